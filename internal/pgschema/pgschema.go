// Package pgschema gives each test its own Postgres schema in the database named
// by SIGIL_TEST_POSTGRES, dropped when the test ends, so tests and benchmarks
// never see each other's rows.
//
// Without SIGIL_TEST_POSTGRES a test is skipped on a developer machine and
// fails in CI (CI=true): CI can never pass without Postgres.
package pgschema

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Env names the environment variable holding the test Postgres DSN.
const Env = "SIGIL_TEST_POSTGRES"

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// Require returns the configured DSN, skipping the test when there is none
// (failing it in CI).
func Require(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s must be set in CI", Env)
		}
		tb.Skipf("%s not set", Env)
	}
	return dsn
}

// DSN creates a fresh schema and returns a DSN whose search_path is that schema.
func DSN(tb testing.TB) string {
	tb.Helper()
	dsn := Require(tb)
	adminOnce.Do(func() { admin, adminErr = sql.Open("pgx", dsn) })
	if adminErr != nil {
		tb.Fatalf("open admin connection: %v", adminErr)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "sigil_test_" + hex.EncodeToString(b)
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
		tb.Fatalf("parse %s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
