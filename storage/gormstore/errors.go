package gormstore

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/sigil-idp/sigil/storage"
)

// Postgres SQLSTATE codes the store translates.
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
)

// SQLite extended result codes the store translates.
const (
	sqliteConstraintForeignKey = 787
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintUnique     = 2067
)

// mapErr translates driver and gorm errors into storage's sentinel errors,
// keeping the original text for logs. Errors it does not recognize pass through.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, storage.ErrNotFound), errors.Is(err, storage.ErrAlreadyExists),
		errors.Is(err, storage.ErrConflict):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return storage.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case pgUniqueViolation:
			return fmt.Errorf("%w: %s", storage.ErrAlreadyExists, pgErr.ConstraintName)
		case pgForeignKeyViolation:
			return fmt.Errorf("%w: referenced record (%s)", storage.ErrNotFound, pgErr.ConstraintName)
		case pgSerializationFailure, pgDeadlockDetected:
			return fmt.Errorf("%w: %s", storage.ErrConflict, pgErr.Message)
		}
		return err
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() {
		case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
			return fmt.Errorf("%w: %s", storage.ErrAlreadyExists, err.Error())
		case sqliteConstraintForeignKey:
			return fmt.Errorf("%w: referenced record (%s)", storage.ErrNotFound, err.Error())
		}
	}
	if strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return fmt.Errorf("%w: %s", storage.ErrAlreadyExists, err.Error())
	}
	return err
}
