package gormstore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sigil-idp/sigil/internal/pgschema"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/conformance"
)

func TestConformanceSQLite(t *testing.T) {
	conformance.Run(t, func(t *testing.T) storage.Storage { return newSQLiteStore(t) })
}

func TestConformancePostgres(t *testing.T) {
	dsn := postgresDSN(t)
	conformance.Run(t, func(t *testing.T) storage.Storage { return newPostgresStore(t, dsn) })
}

// newSQLiteStore opens and migrates a store on a fresh file in t.TempDir.
func newSQLiteStore(t *testing.T) *Store {
	t.Helper()
	return openMigrated(t, filepath.Join(t.TempDir(), "sigil.db"))
}

// postgresDSN returns the test Postgres DSN: without one the test is skipped,
// except in CI where it fails (internal/pgschema).
func postgresDSN(t *testing.T) string {
	t.Helper()
	return pgschema.Require(t)
}

// newPostgresStore opens and migrates a store in a schema of its own, dropped
// when the test ends. The base DSN is the one postgresDSN returned.
func newPostgresStore(t *testing.T, _ string) *Store {
	t.Helper()
	return openMigrated(t, pgschema.DSN(t))
}

// openMigrated opens a store on dsn, migrates it and closes it at cleanup.
func openMigrated(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, Options{MaxOpenConns: 4})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}
