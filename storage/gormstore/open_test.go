package gormstore

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/sigil-idp/sigil/storage"
)

func TestSQLiteDSN(t *testing.T) {
	tests := []struct {
		name, dsn, wantPath string
		wantQuery           map[string]string
	}{
		{"adds Sigil's pragmas to a plain path", "/var/lib/sigil/sigil.db", "/var/lib/sigil/sigil.db", nil},
		{"strips the sqlite:// scheme", "sqlite://data/sigil.db", "data/sigil.db", nil},
		{"keeps a file: URI and its parameters", "file:data/sigil.db?mode=rwc", "file:data/sigil.db",
			map[string]string{"mode": "rwc"}},
		{"drops _time_format, which would disable _txlock", "sigil.db?_time_format=sqlite", "sigil.db",
			map[string]string{"_time_format": ""}},
		{"overrides a weaker _txlock", "sigil.db?_txlock=deferred", "sigil.db", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sqliteDSN(tc.dsn)
			if err != nil {
				t.Fatalf("sqliteDSN(%q): %v", tc.dsn, err)
			}
			path, rawQuery, _ := strings.Cut(got, "?")
			if path != tc.wantPath {
				t.Errorf("path %q, want %q", path, tc.wantPath)
			}
			q, err := url.ParseQuery(rawQuery)
			if err != nil {
				t.Fatal(err)
			}
			if q.Get("_txlock") != "immediate" || len(q["_txlock"]) != 1 {
				t.Errorf("_txlock = %q, want exactly immediate", q["_txlock"])
			}
			for _, p := range sqlitePragmas {
				if !strings.Contains(strings.Join(q["_pragma"], " "), p) {
					t.Errorf("pragma %s missing from %q", p, got)
				}
			}
			for k, v := range tc.wantQuery {
				if q.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, q.Get(k), v)
				}
			}
		})
	}
}

func TestOpenRejectsUnusableDSNs(t *testing.T) {
	for _, dsn := range []string{"", "  ", ":memory:", "file::memory:?mode=memory", "sqlite://", "file:"} {
		if s, err := Open(context.Background(), dsn, Options{}); err == nil {
			_ = s.Close()
			t.Errorf("Open(%q) succeeded, want an error", dsn)
		}
	}
}

func TestMapErr(t *testing.T) {
	plain := errors.New("connection reset")
	tests := []struct {
		name string
		in   error
		want error
	}{
		{"passes nil through", nil, nil},
		{"maps gorm's record not found to ErrNotFound", gorm.ErrRecordNotFound, storage.ErrNotFound},
		{"maps a Postgres unique violation to ErrAlreadyExists",
			&pgconn.PgError{Code: "23505", ConstraintName: "users_tenant_upn_idx"}, storage.ErrAlreadyExists},
		{"maps a Postgres foreign-key violation to ErrNotFound", &pgconn.PgError{Code: "23503"}, storage.ErrNotFound},
		{"maps a Postgres serialization failure to ErrConflict", &pgconn.PgError{Code: "40001"}, storage.ErrConflict},
		{"maps a Postgres deadlock to ErrConflict", &pgconn.PgError{Code: "40P01"}, storage.ErrConflict},
		{"keeps other Postgres errors", &pgconn.PgError{Code: "42P01"}, nil},
		{"keeps sentinel errors", storage.ErrConflict, storage.ErrConflict},
		{"keeps unknown errors", plain, plain},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mapErr(tc.in)
			switch {
			case tc.in == nil && got != nil:
				t.Errorf("mapErr(nil) = %v", got)
			case tc.want != nil && !errors.Is(got, tc.want):
				t.Errorf("mapErr(%v) = %v, want %v", tc.in, got, tc.want)
			case tc.want == nil && tc.in != nil && got != tc.in:
				t.Errorf("mapErr(%v) = %v, want it unchanged", tc.in, got)
			}
		})
	}
}
