package gormstore

import (
	"context"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/migrations"
)

// latestVersion is the highest version among a dialect's migration files
// (versions are assigned per feature, so the numbering may have gaps while
// features land; migrations' own tests check the folders agree).
func latestVersion(t *testing.T, dir string) int64 {
	t.Helper()
	files, err := fs.Glob(migrations.FS, dir+"/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations in %s: %v", dir, err)
	}
	var latest int64
	for _, f := range files {
		v, err := strconv.ParseInt(strings.SplitN(path.Base(f), "_", 2)[0], 10, 64)
		if err != nil {
			t.Fatalf("migration %s has no numeric version: %v", f, err)
		}
		latest = max(latest, v)
	}
	return latest
}

func TestMigrationsSQLite(t *testing.T) {
	t.Parallel()
	s := openMigrated(t, filepath.Join(t.TempDir(), "sigil.db"))
	checkMigrations(t, s, latestVersion(t, migrations.DirSQLite))
}

func TestMigrationsPostgres(t *testing.T) {
	t.Parallel()
	s := newPostgresStore(t, postgresDSN(t))
	checkMigrations(t, s, latestVersion(t, migrations.DirPostgres))
}

// checkMigrations asserts that a migrated store is at the latest version, that
// migrating again is a no-op, and that every Down section undoes its Up so the
// schema can be rebuilt from nothing.
func checkMigrations(t *testing.T, s *Store, latest int64) {
	ctx := context.Background()
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	assertVersion(t, s, latest)
	status, err := s.MigrationStatus(ctx)
	if err != nil {
		t.Fatalf("MigrationStatus: %v", err)
	}
	for _, m := range status {
		if !m.Applied {
			t.Errorf("migration %d (%s) not applied", m.Version, m.Name)
		}
	}
	p, err := s.provider(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("migrate down to 0: %v", err)
	}
	assertVersion(t, s, 0)
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate after down: %v", err)
	}
	assertVersion(t, s, latest)
}

func assertVersion(t *testing.T, s *Store, want int64) {
	t.Helper()
	got, err := s.Version(context.Background())
	if err != nil {
		t.Fatalf("Version: %v", err)
	}
	if got != want {
		t.Errorf("Version = %d, want %d", got, want)
	}
}
