package gormstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"github.com/sigil-idp/sigil/storage"
)

var _ storage.Storage = (*Store)(nil)

// Dialects a Store can run on.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Options tune a Store. The zero value is usable.
type Options struct {
	// Logger receives warnings (slow queries, migration progress). Defaults to a
	// logger that discards everything. Query arguments are never logged.
	Logger *slog.Logger
	// MaxOpenConns caps the pool. Defaults: 16 on Postgres, 4 on SQLite (several
	// readers; writers are serialized by SQLite's immediate transactions).
	MaxOpenConns int
	// MaxIdleConns defaults to MaxOpenConns.
	MaxIdleConns int
	// ConnMaxLifetime recycles connections; zero keeps them (Postgres default 30m).
	ConnMaxLifetime time.Duration
	// SlowQueryThreshold logs queries slower than this at warn level; default 200ms.
	SlowQueryThreshold time.Duration
	// Now is the clock used for store-managed timestamps and expiry checks.
	// Defaults to time.Now.
	Now func() time.Time
}

// Store is the gorm implementation of storage.Storage. It is safe for concurrent use.
type Store struct {
	db      *gorm.DB
	dialect string
	log     *slog.Logger
	clock   func() time.Time
}

// Open connects to the database named by dsn: a Postgres URL (postgres:// or
// postgresql://) or a SQLite file path, optionally written sqlite://path or
// file:path. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	dialect, dialector, err := dialectorFor(dsn)
	if err != nil {
		return nil, err
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 newGormLogger(opts.Logger, opts.SlowQueryThreshold),
		NowFunc:                func() time.Time { return normalize(opts.Now()) },
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
	})
	if err != nil {
		return nil, fmt.Errorf("gormstore: open %s: %w", dialect, err)
	}
	s := &Store{db: db, dialect: dialect, log: opts.Logger, clock: opts.Now}
	if err := s.configurePool(opts); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	if err := s.Ping(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("gormstore: connect %s: %w", dialect, err), s.Close())
	}
	return s, nil
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SlowQueryThreshold <= 0 {
		o.SlowQueryThreshold = 200 * time.Millisecond
	}
	return o
}

// dialectorFor picks the driver from the DSN's form.
func dialectorFor(dsn string) (string, gorm.Dialector, error) {
	switch {
	case strings.TrimSpace(dsn) == "":
		return "", nil, errors.New("gormstore: empty database DSN")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return DialectPostgres, postgres.Open(dsn), nil
	default:
		sqliteDSN, err := sqliteDSN(dsn)
		if err != nil {
			return "", nil, err
		}
		return DialectSQLite, sqlite.Open(sqliteDSN), nil
	}
}

// sqlitePragmas are forced on every SQLite connection: immediate write locks (so
// read-then-write transactions queue instead of failing with "database is
// locked"), enforced foreign keys (tenant cascade), a generous busy timeout and WAL
// so readers do not block the writer.
var sqlitePragmas = []string{
	"foreign_keys(1)",
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"synchronous(NORMAL)",
}

// sqliteDSN turns a path, sqlite://path or file:path into the driver's DSN with
// Sigil's pragmas appended. Caller-supplied query parameters are kept.
func sqliteDSN(dsn string) (string, error) {
	path, rawQuery, _ := strings.Cut(strings.TrimPrefix(dsn, "sqlite://"), "?")
	if path == "" || path == "file:" {
		return "", errors.New("gormstore: SQLite DSN has no file path")
	}
	if path == ":memory:" || strings.Contains(rawQuery, "mode=memory") {
		return "", errors.New("gormstore: in-memory SQLite is not supported; use a file (t.TempDir() in tests)")
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", fmt.Errorf("gormstore: SQLite DSN query: %w", err)
	}
	q.Set("_txlock", "immediate")
	q.Del("_time_format") // the driver skips _txlock when it is set
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	return path + "?" + q.Encode(), nil
}

func (s *Store) configurePool(opts Options) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("gormstore: pool: %w", err)
	}
	maxOpen, lifetime := opts.MaxOpenConns, opts.ConnMaxLifetime
	if maxOpen <= 0 {
		maxOpen = 16
		if s.dialect == DialectSQLite {
			maxOpen = 4
		}
	}
	if lifetime <= 0 && s.dialect == DialectPostgres {
		lifetime = 30 * time.Minute
	}
	maxIdle := opts.MaxIdleConns
	if maxIdle <= 0 || maxIdle > maxOpen {
		maxIdle = maxOpen
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxIdle)
	sqlDB.SetConnMaxLifetime(lifetime)
	return nil
}

// Dialect reports DialectSQLite or DialectPostgres.
func (s *Store) Dialect() string { return s.dialect }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close releases the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// now is the store clock in UTC at microsecond precision.
func (s *Store) now() time.Time { return normalize(s.clock()) }
