package gormstore

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

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for schema setup

	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/conformance"
)

// postgresEnv names the DSN of the Postgres used by tests.
const postgresEnv = "SIGIL_TEST_POSTGRES"

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

// postgresDSN returns the test Postgres DSN. Without one the test is skipped,
// except in CI where it fails.
func postgresDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s must be set in CI", postgresEnv)
		}
		t.Skipf("%s not set", postgresEnv)
	}
	return dsn
}

var (
	adminOnce sync.Once
	adminDB   *sql.DB
	adminErr  error
)

// newPostgresStore creates a schema of its own, opens a store whose search_path
// is that schema, migrates it, and drops the schema when the test ends.
func newPostgresStore(t *testing.T, dsn string) *Store {
	t.Helper()
	adminOnce.Do(func() { adminDB, adminErr = sql.Open("pgx", dsn) })
	if adminErr != nil {
		t.Fatalf("open admin connection: %v", adminErr)
	}
	schema := "sigil_test_" + randomHex(t, 8)
	if _, err := adminDB.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := adminDB.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return openMigrated(t, u.String())
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

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
