package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Setting describes one configuration value under its three names: the YAML key,
// the SIGIL_* environment variable and the command-line flag. The table of
// settings is the single source for loading, flags and the documentation.
type Setting struct {
	// Key is the YAML key.
	Key string
	// Env is the environment variable.
	Env string
	// Flag is the command-line flag name, without dashes.
	Flag string
	// Usage is a one-line description.
	Usage string
	// Storage marks settings that every command needs (database, master secret,
	// logging); the others only matter when serving.
	Storage bool
	// field returns a pointer into the Config: *string, *bool, *time.Duration or
	// *[]string.
	field func(c *Config) any
}

// Settings lists every configuration value in documentation order.
func Settings() []Setting {
	return []Setting{
		{"listen", "SIGIL_LISTEN", "listen", "TCP address to serve on", false,
			func(c *Config) any { return &c.Listen }},
		{"public_url", "SIGIL_PUBLIC_URL", "public-url", "externally visible base URL (issuers are PUBLIC_URL/{tenantID}/v2.0)", false,
			func(c *Config) any { return &c.PublicURL }},
		{"database", "SIGIL_DATABASE", "database", "postgres:// URL or SQLite file path (empty: DATA_DIR/sigil.db)", true,
			func(c *Config) any { return &c.Database }},
		{"data_dir", "SIGIL_DATA_DIR", "data-dir", "directory for the embedded SQLite file and the demo master secret", true,
			func(c *Config) any { return &c.DataDir }},
		{"master_secret", "SIGIL_MASTER_SECRET", "master-secret", "base64 secret (≥ 32 bytes decoded) that encrypts signing keys and derives cookie keys", true,
			func(c *Config) any { return &c.MasterSecret }},
		{"master_secret_file", "SIGIL_MASTER_SECRET_FILE", "master-secret-file", "file holding the base64 master secret (used when master_secret is empty)", true,
			func(c *Config) any { return &c.MasterSecretFile }},
		{"previous_master_secrets", "SIGIL_PREVIOUS_MASTER_SECRETS", "previous-master-secrets", "comma-separated older master secrets still accepted during a rotation, newest first", true,
			func(c *Config) any { return &c.PreviousMasterSecrets }},
		{"tls_cert_file", "SIGIL_TLS_CERT_FILE", "tls-cert-file", "PEM certificate chain; with tls_key_file enables HTTPS", false,
			func(c *Config) any { return &c.TLSCertFile }},
		{"tls_key_file", "SIGIL_TLS_KEY_FILE", "tls-key-file", "PEM private key for tls_cert_file", false,
			func(c *Config) any { return &c.TLSKeyFile }},
		{"insecure_cookies", "SIGIL_INSECURE_COOKIES", "insecure-cookies", "drop the Secure cookie flag (plain-HTTP development on a non-localhost host only)", false,
			func(c *Config) any { return &c.InsecureCookies }},
		{"migrate_on_start", "SIGIL_MIGRATE_ON_START", "migrate-on-start", "apply pending database migrations when serving and before admin commands", false,
			func(c *Config) any { return &c.MigrateOnStart }},
		{"template_dir", "SIGIL_TEMPLATE_DIR", "template-dir", "directory whose templates (<name>.html) and static/ files replace the embedded ones", false,
			func(c *Config) any { return &c.TemplateDir }},
		{"metrics", "SIGIL_METRICS", "metrics", "serve Prometheus metrics at /metrics", false,
			func(c *Config) any { return &c.Metrics }},
		{"log_level", "SIGIL_LOG_LEVEL", "log-level", "debug, info, warn or error", true,
			func(c *Config) any { return &c.LogLevel }},
		{"log_format", "SIGIL_LOG_FORMAT", "log-format", "text or json", true,
			func(c *Config) any { return &c.LogFormat }},
		{"shutdown_timeout", "SIGIL_SHUTDOWN_TIMEOUT", "shutdown-timeout", "how long graceful shutdown waits for in-flight requests", false,
			func(c *Config) any { return &c.ShutdownTimeout }},
		{"min_login_response", "SIGIL_MIN_LOGIN_RESPONSE", "min-login-response", "minimum duration of a password check response", false,
			func(c *Config) any { return &c.MinLoginResponse }},
		{"audit_retention", "SIGIL_AUDIT_RETENTION", "audit-retention", "how long directory audit records are kept (at least 24h)", false,
			func(c *Config) any { return &c.AuditRetention }},
		{"sign_in_retention", "SIGIL_SIGN_IN_RETENTION", "sign-in-retention", "how long sign-in log rows are kept (at least 24h)", false,
			func(c *Config) any { return &c.SignInRetention }},
		{"trusted_proxies", "SIGIL_TRUSTED_PROXIES", "trusted-proxies", "comma-separated proxy addresses or CIDR prefixes whose X-Forwarded-For names the client (smart lockout)", false,
			func(c *Config) any { return &c.TrustedProxies }},
		{"geoip_database", "SIGIL_GEOIP_DATABASE", "geoip-database", "DB-IP lite CSV (country or city) for Conditional Access country locations and impossible-travel risk", false,
			func(c *Config) any { return &c.GeoIPDatabase }},
	}
}

// DefaultText renders the setting's value in d the way it would be written in the
// environment, for usage text and documentation.
func (s Setting) DefaultText(d Config) string {
	switch v := s.field(&d).(type) {
	case *string:
		return *v
	case *bool:
		return strconv.FormatBool(*v)
	case *time.Duration:
		return v.String()
	case *[]string:
		return strings.Join(*v, ",")
	default:
		panic(fmt.Sprintf("config: setting %s has an unsupported type %T", s.Key, v))
	}
}

// isBool reports whether the setting is a switch (a flag that needs no value).
func (s Setting) isBool() bool {
	_, ok := s.field(&Config{}).(*bool)
	return ok
}

// set parses raw as the setting's type and stores it in c.
func (s Setting) set(c *Config, raw string) error {
	switch v := s.field(c).(type) {
	case *string:
		*v = strings.TrimSpace(raw)
	case *bool:
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("%q is not a boolean (true or false)", raw)
		}
		*v = b
	case *time.Duration:
		d, err := time.ParseDuration(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("%q is not a duration (e.g. 15s, 400ms)", raw)
		}
		*v = d
	case *[]string:
		*v = splitList(raw)
	default:
		panic(fmt.Sprintf("config: setting %s has an unsupported type %T", s.Key, v))
	}
	return nil
}

func splitList(raw string) []string {
	var out []string
	for _, part := range strings.Split(raw, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
