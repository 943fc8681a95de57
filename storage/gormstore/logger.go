package gormstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm/logger"

	"github.com/sigil-idp/sigil/storage"
)

// queryLogger routes gorm's diagnostics to slog. It logs slow queries at warn
// and failed queries at error, except failures the store turns into sentinel
// errors (not found, duplicate, lost race): those are outcomes the caller
// handles, not faults. SQL is logged with placeholders only, never with its
// arguments, which may be token signatures or password hashes.
type queryLogger struct {
	log  *slog.Logger
	slow time.Duration
}

var (
	_ logger.Interface = queryLogger{}
	_ interface {
		ParamsFilter(ctx context.Context, sql string, params ...any) (string, []any)
	} = queryLogger{}
)

func newGormLogger(l *slog.Logger, slow time.Duration) logger.Interface {
	return queryLogger{log: l.With("component", "gormstore"), slow: slow}
}

// LogMode implements logger.Interface; the level is fixed by the slog handler.
func (l queryLogger) LogMode(logger.LogLevel) logger.Interface { return l }

// Info implements logger.Interface.
func (l queryLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}

// Warn implements logger.Interface.
func (l queryLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}

// Error implements logger.Interface.
func (l queryLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

// Trace implements logger.Interface: one call per executed statement.
func (l queryLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	case err != nil && !expectedFailure(err):
		sql, rows := fc()
		l.log.ErrorContext(ctx, "query failed", "error", err, "sql", sql, "rows", rows, "duration", elapsed)
	case l.slow > 0 && elapsed > l.slow:
		sql, rows := fc()
		l.log.WarnContext(ctx, "slow query", "sql", sql, "rows", rows, "duration", elapsed)
	}
}

// ParamsFilter drops query arguments from logged SQL.
func (l queryLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

// expectedFailure reports whether err maps to a sentinel error callers handle.
func expectedFailure(err error) bool {
	mapped := mapErr(err)
	return errors.Is(mapped, storage.ErrNotFound) ||
		errors.Is(mapped, storage.ErrAlreadyExists) ||
		errors.Is(mapped, storage.ErrConflict) ||
		errors.Is(err, context.Canceled)
}
