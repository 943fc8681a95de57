package gormstore

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/sigil-idp/sigil/migrations"
)

// MigrationState is one migration's version and whether it is applied.
type MigrationState struct {
	Version int64
	Name    string
	Applied bool
}

// Migrate applies every pending migration for the store's dialect from
// migrations.FS. On Postgres a session advisory lock, keyed by the schema the
// connection works in, serializes replicas that start at the same time.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.provider(ctx, true)
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("gormstore: migrate: %w", err)
	}
	for _, r := range results {
		s.log.InfoContext(ctx, "applied migration",
			"version", r.Source.Version, "duration", r.Duration, "dialect", s.dialect)
	}
	return nil
}

// Version returns the highest applied migration version (0 before any).
func (s *Store) Version(ctx context.Context) (int64, error) {
	p, err := s.provider(ctx, false)
	if err != nil {
		return 0, err
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("gormstore: migration version: %w", err)
	}
	return v, nil
}

// MigrationStatus lists every known migration and whether it is applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	p, err := s.provider(ctx, false)
	if err != nil {
		return nil, err
	}
	status, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("gormstore: migration status: %w", err)
	}
	out := make([]MigrationState, 0, len(status))
	for _, st := range status {
		out = append(out, MigrationState{
			Version: st.Source.Version,
			Name:    st.Source.Path,
			Applied: st.State == goose.StateApplied,
		})
	}
	return out, nil
}

// provider builds a goose provider over the dialect's folder. goose's provider
// is used instead of its package-level functions because those keep global state
// (base FS, dialect) that concurrent stores would race on.
func (s *Store) provider(ctx context.Context, withLock bool) (*goose.Provider, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	dir, dialect := migrations.DirSQLite, goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.dialect == DialectPostgres {
		dir, dialect = migrations.DirPostgres, goose.DialectPostgres
		if withLock {
			locker, err := s.migrationLocker(ctx)
			if err != nil {
				return nil, err
			}
			opts = append(opts, goose.WithSessionLocker(locker))
		}
	}
	fsys, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return nil, fmt.Errorf("gormstore: migrations folder %s: %w", dir, err)
	}
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	p, err := goose.NewProvider(dialect, sqlDB, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("gormstore: migrations: %w", err)
	}
	return p, nil
}

// migrationLocker returns a Postgres advisory-lock locker whose lock ID is
// derived from the current schema, so that deployments (or test runs) in
// different schemas of one database do not wait for each other. It polls every
// second for up to five minutes.
func (s *Store) migrationLocker(ctx context.Context) (lock.SessionLocker, error) {
	var schema string
	if err := s.db.WithContext(ctx).Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		return nil, fmt.Errorf("gormstore: current schema: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("sigil-migrations:" + schema))
	lockID := int64(h.Sum64() & math.MaxInt64)
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID), lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, fmt.Errorf("gormstore: migration lock: %w", err)
	}
	return locker, nil
}
