package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnsureDemoMasterSecretPersistsOnceWithPrivateMode(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	env := envOf(map[string]string{"SIGIL_DATA_DIR": dir})
	cfg, err := Load(nil, env)
	if err != nil {
		t.Fatal(err)
	}
	created, err := EnsureDemoMasterSecret(&cfg)
	if err != nil || !created {
		t.Fatalf("first EnsureDemoMasterSecret = %v, %v", created, err)
	}
	info, err := os.Stat(filepath.Join(dir, DemoMasterSecretFile))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("master.key mode %v, want 0600", info.Mode().Perm())
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("generated secret does not validate: %v", err)
	}

	again, err := Load(nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if again.MasterSecret != cfg.MasterSecret {
		t.Error("a later Load does not read the persisted demo secret")
	}
	created, err = EnsureDemoMasterSecret(&again)
	if err != nil || created {
		t.Errorf("second EnsureDemoMasterSecret = %v, %v; want the existing secret kept", created, err)
	}
}

func TestEnsureDemoMasterSecretKeepsAConfiguredSecret(t *testing.T) {
	t.Parallel()
	cfg := Config{DataDir: t.TempDir(), MasterSecret: secretOfLen(32)}
	created, err := EnsureDemoMasterSecret(&cfg)
	if err != nil || created {
		t.Fatalf("EnsureDemoMasterSecret = %v, %v", created, err)
	}
	if _, err := os.Stat(cfg.DemoMasterSecretPath()); !os.IsNotExist(err) {
		t.Error("a configured secret must not be written to disk")
	}
}

func TestMasterSecretFileIsRead(t *testing.T) {
	t.Parallel()
	secret := secretOfLen(32)
	path := writeFile(t, "secret", secret+"\n")
	cfg, err := Load([]string{"--master-secret-file", path}, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MasterSecret != secret {
		t.Errorf("MasterSecret = %q, want the file's content", cfg.MasterSecret)
	}
	_, err = Load([]string{"--master-secret-file", path + ".missing"}, envOf(nil))
	if err == nil || !strings.Contains(err.Error(), "master_secret_file") {
		t.Errorf("missing secret file: %v", err)
	}
}
