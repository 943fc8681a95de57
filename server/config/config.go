package config

import "time"

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
	// LogLevel is debug, info, warn or error; LogFormat is text or json.
	LogLevel  string `yaml:"log_level"`
	LogFormat string `yaml:"log_format"`
	// ShutdownTimeout bounds graceful shutdown.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	// MinLoginResponse is the minimum duration of a password check response, so an
	// unknown user and a wrong password take the same time.
	MinLoginResponse time.Duration `yaml:"min_login_response"`
}
