package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Config is everything the server needs to start.
type Config struct {
	// Listen is the TCP address to serve on (default ":8080").
	Listen string `yaml:"listen"`
	// PublicURL is the externally visible base URL; issuers are PublicURL/{tenantID}/v2.0.
	PublicURL string `yaml:"public_url"`
	// Database is a postgres:// URL or a SQLite file path / sqlite:// URL.
	// Empty means the embedded SQLite file DataDir/sigil.db.
	Database string `yaml:"database"`
	// DataDir holds the SQLite file and, in demo mode, the generated master secret.
	DataDir string `yaml:"data_dir"`
	// MasterSecret (base64, ≥ 32 bytes decoded) encrypts signing keys at rest and
	// derives the session, CSRF and flow-verifier keys.
	MasterSecret string `yaml:"master_secret"`
	// MasterSecretFile names a file holding the master secret (base64), for
	// container secrets. Used only when MasterSecret is empty. When both are empty
	// and DataDir/master.key exists (written by `sigil demo`), that file is read.
	MasterSecretFile string `yaml:"master_secret_file"`
	// PreviousMasterSecrets still decrypt/verify during a rotation (newest first).
	PreviousMasterSecrets []string `yaml:"previous_master_secrets"`
	// TLSCertFile and TLSKeyFile enable HTTPS (and HSTS) when both are set.
	TLSCertFile string `yaml:"tls_cert_file"`
	TLSKeyFile  string `yaml:"tls_key_file"`
	// InsecureCookies drops the Secure flag (only for plain-HTTP development on a
	// non-localhost host; browsers accept Secure cookies on http://localhost).
	InsecureCookies bool `yaml:"insecure_cookies"`
	// MigrateOnStart applies pending migrations when serving (default true).
	MigrateOnStart bool `yaml:"migrate_on_start"`
	// TemplateDir optionally overrides the embedded page templates
	// (<dir>/<name>.html) and static assets (<dir>/static/<file>).
	TemplateDir string `yaml:"template_dir"`
	// Metrics serves Prometheus metrics at /metrics (default true).
	Metrics bool `yaml:"metrics"`
	// LogLevel is debug, info, warn or error; LogFormat is text or json.
	LogLevel  string `yaml:"log_level"`
	LogFormat string `yaml:"log_format"`
	// ShutdownTimeout bounds graceful shutdown.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	// MinLoginResponse is the minimum duration of a password check response, so an
	// unknown user and a wrong password take the same time.
	MinLoginResponse time.Duration `yaml:"min_login_response"`
	// TrustedProxies lists the reverse proxies (IP addresses or CIDR prefixes)
	// whose X-Forwarded-For header names the client address that smart lockout
	// counts under. Empty trusts none: the connection's peer is the client.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// AuditRetention is how long directory audit records are kept; the
	// janitor deletes older ones (at least 24h; default 30 days).
	AuditRetention time.Duration `yaml:"audit_retention"`
	// SignInRetention is how long sign-in log rows are kept (at least 24h;
	// default 30 days, as Entra keeps them on its free tier).
	SignInRetention time.Duration `yaml:"sign_in_retention"`
	// GeoIPDatabase is the path of a DB-IP lite CSV file (country or city)
	// that maps client addresses to countries for Conditional Access country
	// locations and impossible-travel risk (server/geoip). Empty: none.
	GeoIPDatabase string `yaml:"geoip_database"`
}

// MinMasterSecretBytes is the shortest master secret accepted, decoded.
const MinMasterSecretBytes = 32

// DemoMasterSecretFile is the file name, inside DataDir, of the master secret that
// `sigil demo` generates when none is configured.
const DemoMasterSecretFile = "master.key"

// Default returns the configuration used when nothing else is set. The values are
// the secure ones: Secure cookies, migrations applied on start, and a minimum
// password-check response time against user enumeration by timing.
func Default() Config {
	return Config{
		Listen:           ":8080",
		PublicURL:        "http://localhost:8080",
		DataDir:          "./data",
		InsecureCookies:  false,
		MigrateOnStart:   true,
		Metrics:          true,
		LogLevel:         "info",
		LogFormat:        "text",
		ShutdownTimeout:  15 * time.Second,
		MinLoginResponse: 400 * time.Millisecond,
		AuditRetention:   30 * 24 * time.Hour,
		SignInRetention:  30 * 24 * time.Hour,
	}
}

// DatabaseDSN returns the database to open: Database, or the embedded SQLite file
// DataDir/sigil.db when Database is empty.
func (c Config) DatabaseDSN() string {
	if strings.TrimSpace(c.Database) != "" {
		return c.Database
	}
	return filepath.Join(c.DataDir, "sigil.db")
}

// UsesEmbeddedDatabase reports whether the database is a SQLite file (the default
// or an explicit path), as opposed to a Postgres server.
func (c Config) UsesEmbeddedDatabase() bool {
	dsn := c.DatabaseDSN()
	return !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://")
}

// TLSEnabled reports whether the server terminates TLS itself.
func (c Config) TLSEnabled() bool {
	return c.TLSCertFile != "" && c.TLSKeyFile != ""
}

// PublicHTTPS reports whether browsers reach Sigil over HTTPS: either Sigil serves
// TLS or the public URL (a TLS-terminating proxy in front) is https.
func (c Config) PublicHTTPS() bool {
	if c.TLSEnabled() {
		return true
	}
	u, err := url.Parse(c.PublicURL)
	return err == nil && u.Scheme == "https"
}

// MasterSecrets decodes the current master secret followed by the previous ones,
// newest first. Every entry is at least MinMasterSecretBytes long.
func (c Config) MasterSecrets() ([][]byte, error) {
	if strings.TrimSpace(c.MasterSecret) == "" {
		return nil, errors.New("master secret is not set")
	}
	all := append([]string{c.MasterSecret}, c.PreviousMasterSecrets...)
	out := make([][]byte, 0, len(all))
	var errs []error
	for i, encoded := range all {
		secret, err := decodeMasterSecret(encoded)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", masterSecretName(i), err))
			continue
		}
		out = append(out, secret)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func masterSecretName(index int) string {
	if index == 0 {
		return "master_secret"
	}
	return fmt.Sprintf("previous_master_secrets[%d]", index-1)
}

// decodeMasterSecret accepts standard or URL-safe base64, padded or not.
func decodeMasterSecret(encoded string) ([]byte, error) {
	encoded = strings.TrimSpace(encoded)
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		if b, err := enc.DecodeString(encoded); err == nil {
			if len(b) < MinMasterSecretBytes {
				return nil, fmt.Errorf("decodes to %d bytes; at least %d are required", len(b), MinMasterSecretBytes)
			}
			return b, nil
		}
	}
	return nil, errors.New("is not valid base64")
}

// SlogLevel maps LogLevel to a slog level; unknown values give info (Validate
// rejects them first).
func (c Config) SlogLevel() slog.Level {
	switch strings.ToLower(c.LogLevel) {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}
