// Package gormstoretest opens real, migrated stores for tests and benchmarks of
// other packages: a SQLite file in a temporary directory, or a private schema in
// the Postgres named by SIGIL_TEST_POSTGRES.
//
// Without SIGIL_TEST_POSTGRES the Postgres backend is skipped on a developer
// machine and fails in CI (CI=true), so CI can never pass without Postgres.
package gormstoretest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver for schema setup

	"github.com/sigil-idp/sigil/storage/gormstore"
)

// PostgresEnv names the environment variable holding the test Postgres DSN.
const PostgresEnv = "SIGIL_TEST_POSTGRES"

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
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s must be set in CI", PostgresEnv)
		}
		tb.Skipf("%s not set", PostgresEnv)
	}
	admin := adminDB(tb, dsn)
	schema := "sigil_test_" + randomHex(tb)
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return openMigrated(tb, u.String(), 20)
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

func adminDB(tb testing.TB, dsn string) *sql.DB {
	adminOnce.Do(func() { admin, adminErr = sql.Open("pgx", dsn) })
	if adminErr != nil {
		tb.Fatalf("open admin connection: %v", adminErr)
	}
	return admin
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

func randomHex(tb testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}
