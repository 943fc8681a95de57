package config

import (
	"encoding/base64"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func envOf(pairs map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := pairs[k]
		return v, ok
	}
}

func secretOfLen(n int) string {
	return base64.StdEncoding.EncodeToString(make([]byte, n))
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDefaultsAreSecure(t *testing.T) {
	t.Parallel()
	d := Default()
	if d.InsecureCookies {
		t.Error("cookies must carry the Secure flag by default")
	}
	if !d.MigrateOnStart {
		t.Error("migrations must be applied on start by default")
	}
	if d.MinLoginResponse <= 0 {
		t.Error("a minimum login response time must be set by default")
	}
	if d.ShutdownTimeout <= 0 {
		t.Error("graceful shutdown must be bounded by default")
	}
	if d.MasterSecret != "" {
		t.Error("no master secret may be built in")
	}
	want := Config{Listen: ":8080", PublicURL: "http://localhost:8080", DataDir: "./data",
		MigrateOnStart: true, Metrics: true, LogLevel: "info", LogFormat: "text",
		ShutdownTimeout: 15 * time.Second, MinLoginResponse: 400 * time.Millisecond, AuditRetention: 30 * 24 * time.Hour, SignInRetention: 30 * 24 * time.Hour}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("Default() = %+v, want %+v", d, want)
	}
}

func TestLoadPrecedenceFlagOverEnvOverFileOverDefault(t *testing.T) {
	t.Parallel()
	file := writeFile(t, "sigil.yaml", `
listen: ":1000"
public_url: "https://file.example.com"
log_level: warn
shutdown_timeout: 20s
`)
	env := envOf(map[string]string{
		ConfigEnv:          file,
		"SIGIL_LISTEN":     ":2000",
		"SIGIL_PUBLIC_URL": "https://env.example.com/",
	})
	cfg, err := Load([]string{"--listen", ":3000"}, env)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"flag beats env and file", cfg.Listen, ":3000"},
		{"env beats file", cfg.PublicURL, "https://env.example.com"},
		{"file beats default", cfg.LogLevel, "warn"},
		{"file duration", cfg.ShutdownTimeout.String(), "20s"},
		{"default when unset", cfg.LogFormat, "text"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestLoadConfigFlagBeatsConfigEnv(t *testing.T) {
	t.Parallel()
	fromEnv := writeFile(t, "env.yaml", "log_level: error\n")
	fromFlag := writeFile(t, "flag.yaml", "log_level: debug\n")
	cfg, err := Load([]string{"--config", fromFlag}, envOf(map[string]string{ConfigEnv: fromEnv}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.LogLevel != "debug" {
		t.Errorf("log level %q, want the --config file's debug", cfg.LogLevel)
	}
}

func TestLoadRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"rejects an unknown YAML key", nil,
			map[string]string{ConfigEnv: writeFile(t, "typo.yaml", "listn: \":80\"\n")}, []string{"listn"}},
		{"rejects a missing config file", []string{"--config", "/nonexistent/sigil.yaml"}, nil, []string{"config file"}},
		{"reports every unreadable variable", nil,
			map[string]string{"SIGIL_SHUTDOWN_TIMEOUT": "soon", "SIGIL_METRICS": "maybe"},
			[]string{"SIGIL_SHUTDOWN_TIMEOUT", "SIGIL_METRICS"}},
		{"rejects a bad flag value", []string{"--shutdown-timeout", "never"}, nil, []string{"never"}},
		{"rejects a stray argument", []string{"extra"}, nil, []string{"extra"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.args, envOf(tt.env))
			if err == nil {
				t.Fatal("Load succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadSwitchFlagNeedsNoValue(t *testing.T) {
	t.Parallel()
	cfg, err := Load([]string{"--insecure-cookies", "--migrate-on-start=false"}, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.InsecureCookies || cfg.MigrateOnStart {
		t.Errorf("got InsecureCookies=%v MigrateOnStart=%v", cfg.InsecureCookies, cfg.MigrateOnStart)
	}
}

func TestStorageScopeBindsOnlyStorageFlags(t *testing.T) {
	t.Parallel()
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	Bind(fs, StorageSettings)
	if fs.Lookup("database") == nil || fs.Lookup("config") == nil {
		t.Error("--database and --config must be bound for every command")
	}
	if fs.Lookup("listen") != nil {
		t.Error("--listen must not be bound for storage-only commands")
	}
}

func TestSettingsCoverEveryConfigField(t *testing.T) {
	t.Parallel()
	keys := map[string]bool{}
	for _, s := range Settings() {
		keys[s.Key] = true
		if !strings.HasPrefix(s.Env, "SIGIL_") || s.Flag == "" || s.Usage == "" {
			t.Errorf("setting %s is incompletely described: %+v", s.Key, s)
		}
	}
	typ := reflect.TypeOf(Config{})
	for i := range typ.NumField() {
		tag := typ.Field(i).Tag.Get("yaml")
		if !keys[tag] {
			t.Errorf("Config field %s (yaml %q) has no setting", typ.Field(i).Name, tag)
		}
	}
	if len(keys) != typ.NumField() {
		t.Errorf("%d settings for %d fields", len(keys), typ.NumField())
	}
}

func validConfig(t *testing.T) Config {
	t.Helper()
	c := Default()
	c.DataDir = t.TempDir()
	c.MasterSecret = secretOfLen(32)
	return c
}

func TestValidateAcceptsAGoodConfig(t *testing.T) {
	t.Parallel()
	c := validConfig(t)
	c.PreviousMasterSecrets = []string{base64.RawURLEncoding.EncodeToString(make([]byte, 48))}
	c.TLSCertFile = writeFile(t, "cert.pem", "x")
	c.TLSKeyFile = writeFile(t, "key.pem", "x")
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateListsEveryProblemTogether(t *testing.T) {
	t.Parallel()
	c := Default()
	c.Listen = "8080"
	c.PublicURL = "https://id.example.com/?x=1"
	c.TLSCertFile = "/nonexistent/cert.pem"
	c.MasterSecret = secretOfLen(16)
	c.LogLevel = "loud"
	c.LogFormat = "xml"
	c.ShutdownTimeout = 0
	c.MinLoginResponse = -time.Second
	err := c.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate() = %v, want a *ValidationError", err)
	}
	for _, field := range []string{"listen", "public_url", "tls_cert_file", "master_secret",
		"log_level", "log_format", "shutdown_timeout", "min_login_response"} {
		if !strings.Contains(ve.Error(), field+":") && !strings.Contains(ve.Error(), field+" and") {
			t.Errorf("problem with %s not reported in:\n%s", field, ve)
		}
	}
	if len(ve.Problems) != 8 {
		t.Errorf("got %d problems, want 8:\n%s", len(ve.Problems), ve)
	}
}

func TestValidateRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(c *Config)
		want   string
	}{
		{"rejects a missing master secret", func(c *Config) { c.MasterSecret = "" }, "master_secret: required"},
		{"rejects a master secret that is not base64", func(c *Config) { c.MasterSecret = "not base64!" }, "not valid base64"},
		{"rejects a short previous master secret", func(c *Config) { c.PreviousMasterSecrets = []string{secretOfLen(8)} }, "previous_master_secrets[0]"},
		{"rejects a relative public URL", func(c *Config) { c.PublicURL = "/sigil" }, "absolute http or https"},
		{"rejects a public URL with a fragment", func(c *Config) { c.PublicURL = "https://a.example#x" }, "fragment"},
		{"rejects a non-http public URL", func(c *Config) { c.PublicURL = "ftp://a.example" }, "absolute http or https"},
		{"rejects a port out of range", func(c *Config) { c.Listen = ":70000" }, "between 0 and 65535"},
		{"rejects a key without a certificate", func(c *Config) { c.TLSKeyFile = "key.pem" }, "set both"},
		{"rejects a missing template directory", func(c *Config) { c.TemplateDir = "/nonexistent/templates" }, "template_dir"},
		{"rejects no data dir with the embedded database", func(c *Config) { c.DataDir = "" }, "data_dir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig(t)
			tt.mutate(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want a problem mentioning %q", err, tt.want)
			}
		})
	}
}

func TestValidateStorageNeedsNoMasterSecret(t *testing.T) {
	t.Parallel()
	c := Default()
	if err := c.ValidateStorage(); err != nil {
		t.Errorf("ValidateStorage() = %v", err)
	}
}

func TestValidateAdminNeedsTheSecretButNoServerSettings(t *testing.T) {
	t.Parallel()
	c := Default()
	c.Listen = "not an address"
	err := c.ValidateAdmin()
	if err == nil || !strings.Contains(err.Error(), "master_secret") || strings.Contains(err.Error(), "listen") {
		t.Errorf("ValidateAdmin() = %v, want only the missing master secret", err)
	}
	c.MasterSecret = secretOfLen(32)
	if err := c.ValidateAdmin(); err != nil {
		t.Errorf("ValidateAdmin() = %v", err)
	}
}

func TestMasterSecretsDecodeNewestFirst(t *testing.T) {
	t.Parallel()
	current, previous := make([]byte, 32), make([]byte, 40)
	current[0], previous[0] = 1, 2
	c := Config{MasterSecret: base64.StdEncoding.EncodeToString(current),
		PreviousMasterSecrets: []string{base64.RawStdEncoding.EncodeToString(previous)}}
	got, err := c.MasterSecrets()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0][0] != 1 || got[1][0] != 2 || len(got[1]) != 40 {
		t.Errorf("MasterSecrets() = %v", got)
	}
	if _, err := (Config{}).MasterSecrets(); err == nil {
		t.Error("MasterSecrets() without a secret succeeded")
	}
}

func TestDatabaseDSNDefaultsToSQLiteInDataDir(t *testing.T) {
	t.Parallel()
	c := Config{DataDir: "/var/lib/sigil"}
	if got := c.DatabaseDSN(); got != "/var/lib/sigil/sigil.db" || !c.UsesEmbeddedDatabase() {
		t.Errorf("DatabaseDSN() = %q", got)
	}
	c.Database = "postgres://db/sigil"
	if got := c.DatabaseDSN(); got != c.Database || c.UsesEmbeddedDatabase() {
		t.Errorf("DatabaseDSN() = %q", got)
	}
}

func TestPublicHTTPS(t *testing.T) {
	t.Parallel()
	if (Config{PublicURL: "http://localhost:8080"}).PublicHTTPS() {
		t.Error("plain http reported as https")
	}
	if !(Config{PublicURL: "https://id.example.com"}).PublicHTTPS() {
		t.Error("https public URL not reported")
	}
	if !(Config{PublicURL: "http://x", TLSCertFile: "c", TLSKeyFile: "k"}).PublicHTTPS() {
		t.Error("TLS serving not reported")
	}
}
