package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DemoMasterSecretPath is where `sigil demo` keeps its generated master secret.
func (c Config) DemoMasterSecretPath() string {
	return filepath.Join(c.DataDir, DemoMasterSecretFile)
}

// resolveMasterSecret fills MasterSecret from MasterSecretFile, or else from the
// demo's DataDir/master.key when that file exists, so admin commands work against
// a demo data directory without extra flags.
func resolveMasterSecret(cfg *Config) error {
	if strings.TrimSpace(cfg.MasterSecret) != "" {
		return nil
	}
	if cfg.MasterSecretFile != "" {
		secret, err := readSecretFile(cfg.MasterSecretFile)
		if err != nil {
			return fmt.Errorf("master_secret_file: %w", err)
		}
		cfg.MasterSecret = secret
		return nil
	}
	secret, err := readSecretFile(cfg.DemoMasterSecretPath())
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("demo master secret: %w", err)
	}
	cfg.MasterSecret = secret
	return nil
}

func readSecretFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(data)), nil
}

// GenerateMasterSecret returns a new random master secret, base64-encoded.
func GenerateMasterSecret() (string, error) {
	b := make([]byte, MinMasterSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate master secret: %w", err)
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// EnsureDemoMasterSecret gives cfg a master secret when none is configured: it
// generates one and writes it to DataDir/master.key with mode 0600 (creating
// DataDir with 0700). It reports whether a secret was created. A configured secret
// (or an existing master.key, already read by Load) is left untouched.
func EnsureDemoMasterSecret(cfg *Config) (created bool, err error) {
	if strings.TrimSpace(cfg.MasterSecret) != "" {
		return false, nil
	}
	secret, err := GenerateMasterSecret()
	if err != nil {
		return false, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return false, fmt.Errorf("create data directory: %w", err)
	}
	path := cfg.DemoMasterSecretPath()
	// O_EXCL: never overwrite a secret that appeared since Load ran.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return false, fmt.Errorf("write demo master secret: %w", err)
	}
	_, writeErr := f.WriteString(secret + "\n")
	if err := errors.Join(writeErr, f.Close()); err != nil {
		return false, fmt.Errorf("write demo master secret: %w", err)
	}
	cfg.MasterSecret = secret
	return true, nil
}
