package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// ValidationError lists every problem found in a Config.
type ValidationError struct {
	Problems []string
}

// Error joins the problems, one per line.
func (e *ValidationError) Error() string {
	return "invalid configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// problems collects messages; err returns nil when there are none.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// Validate checks everything the server needs and reports every problem at once as
// a *ValidationError. A master secret is required.
func (c Config) Validate() error {
	var p problems
	c.checkStorage(&p)
	c.checkServer(&p)
	c.checkMasterSecrets(&p)
	return p.err()
}

// ValidateAdmin checks what the admin commands need: the database location,
// logging and the master secrets (signing keys are created and rotated). Server
// settings (listen address, public URL, TLS) are not checked.
func (c Config) ValidateAdmin() error {
	var p problems
	c.checkStorage(&p)
	c.checkMasterSecrets(&p)
	return p.err()
}

// ValidateStorage checks only what commands that touch nothing but the database
// need (migrate): the database location and logging.
func (c Config) ValidateStorage() error {
	var p problems
	c.checkStorage(&p)
	return p.err()
}

func (c Config) checkStorage(p *problems) {
	if strings.TrimSpace(c.Database) == "" && strings.TrimSpace(c.DataDir) == "" {
		p.addf("data_dir: must be set when database is empty (the embedded SQLite file lives there)")
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		p.addf("log_level: %q is not one of debug, info, warn, error", c.LogLevel)
	}
	switch strings.ToLower(c.LogFormat) {
	case "text", "json":
	default:
		p.addf("log_format: %q is not one of text, json", c.LogFormat)
	}
}

func (c Config) checkServer(p *problems) {
	checkListen(p, c.Listen)
	checkPublicURL(p, c.PublicURL)
	c.checkTLS(p)
	if c.TemplateDir != "" {
		if info, err := os.Stat(c.TemplateDir); err != nil {
			p.addf("template_dir: %v", err)
		} else if !info.IsDir() {
			p.addf("template_dir: %s is not a directory", c.TemplateDir)
		}
	}
	checkPositive(p, "shutdown_timeout", c.ShutdownTimeout)
	checkPositive(p, "min_login_response", c.MinLoginResponse)
	if c.SignInRetention < 24*time.Hour {
		p.addf("sign_in_retention: must be at least 24h, got %s", c.SignInRetention)
	}
	if c.AuditRetention < 24*time.Hour {
		p.addf("audit_retention: must be at least 24h, got %s", c.AuditRetention)
	}
	if _, err := c.TrustedProxyPrefixes(); err != nil {
		p.addf("trusted_proxies: %v", err)
	}
}

// TrustedProxyPrefixes parses TrustedProxies; a bare address is a /32 or /128.
func (c Config) TrustedProxyPrefixes() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range c.TrustedProxies {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR prefix", s)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func checkListen(p *problems, listen string) {
	_, port, err := net.SplitHostPort(listen)
	if err != nil {
		p.addf("listen: %q is not host:port (e.g. :8080 or 127.0.0.1:8080)", listen)
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.addf("listen: port %q is not a number between 0 and 65535", port)
	}
}

func checkPublicURL(p *problems, raw string) {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		p.addf("public_url: must be set")
	case err != nil:
		p.addf("public_url: %q does not parse: %v", raw, err)
	case u.Scheme != "http" && u.Scheme != "https":
		p.addf("public_url: %q must be an absolute http or https URL", raw)
	case u.Host == "":
		p.addf("public_url: %q has no host", raw)
	case u.User != nil:
		p.addf("public_url: %q must not carry user information", raw)
	case u.RawQuery != "" || u.ForceQuery:
		p.addf("public_url: %q must not have a query", raw)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		p.addf("public_url: %q must not have a fragment", raw)
	}
}

func (c Config) checkTLS(p *problems) {
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		p.addf("tls_cert_file and tls_key_file: set both to serve HTTPS, or neither")
		return
	}
	for _, file := range []struct{ name, path string }{
		{"tls_cert_file", c.TLSCertFile}, {"tls_key_file", c.TLSKeyFile},
	} {
		if file.path == "" {
			continue
		}
		if _, err := os.Stat(file.path); err != nil {
			p.addf("%s: %v", file.name, err)
		}
	}
}

func checkPositive(p *problems, name string, d time.Duration) {
	if d <= 0 {
		p.addf("%s: must be a positive duration, got %s", name, d)
	}
}

func (c Config) checkMasterSecrets(p *problems) {
	if strings.TrimSpace(c.MasterSecret) == "" {
		p.addf("master_secret: required; generate one with `openssl rand -base64 32` and set SIGIL_MASTER_SECRET (or master_secret_file)")
		return
	}
	for i, encoded := range append([]string{c.MasterSecret}, c.PreviousMasterSecrets...) {
		if _, err := decodeMasterSecret(encoded); err != nil {
			p.addf("%s: %v", masterSecretName(i), err)
		}
	}
}
