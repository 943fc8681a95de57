// Package gormstoretest opens real, migrated stores for tests and benchmarks of
// other packages: a SQLite file in a temporary directory, or a private schema in
// the Postgres named by SIGIL_TEST_POSTGRES (see internal/pgschema: skipped on a
// developer machine without it, a failure in CI).
package gormstoretest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sigil-idp/sigil/internal/pgschema"
	"github.com/sigil-idp/sigil/storage/gormstore"
)

// PostgresEnv names the environment variable holding the test Postgres DSN.
const PostgresEnv = pgschema.Env

// Backend opens a fresh store of one kind.
type Backend struct {
	Name string
	Open func(tb testing.TB) *gormstore.Store
}

// Backends are SQLite and Postgres, for tests that run on both.
func Backends() []Backend {
	return []Backend{{Name: "sqlite", Open: SQLite}, {Name: "postgres", Open: Postgres}}
}

// SQLite opens a migrated store on a new SQLite file.
func SQLite(tb testing.TB) *gormstore.Store {
	tb.Helper()
	return openMigrated(tb, filepath.Join(tb.TempDir(), "sigil.db"), 0)
}

// Postgres opens a migrated store in a schema of its own, dropped at cleanup.
func Postgres(tb testing.TB) *gormstore.Store {
	tb.Helper()
	return openMigrated(tb, pgschema.DSN(tb), 20)
}

func openMigrated(tb testing.TB, dsn string, maxConns int) *gormstore.Store {
	tb.Helper()
	s, err := gormstore.Open(context.Background(), dsn, gormstore.Options{MaxOpenConns: maxConns})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return s
}
