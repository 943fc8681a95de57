package gormstore

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// txKey carries a store's open transaction in a context. It holds the store so
// that a transaction of one Store is never joined by another.
type txKey struct{ store *Store }

// ErrNoTransaction is returned by Commit and Rollback when the context carries no
// transaction of this store.
var ErrNoTransaction = errors.New("gormstore: no transaction in context")

// ErrTransactionInProgress is returned by BeginTx when the context already carries
// one; use InTx to join an outer transaction.
var ErrTransactionInProgress = errors.New("gormstore: transaction already in progress")

// conn returns the handle every query must use: the context's transaction if it
// carries one, the pool otherwise, bound to ctx either way.
func (s *Store) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{s}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	return s.db.WithContext(ctx)
}

func (s *Store) inTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{s}).(*gorm.DB)
	return ok
}

// InTx runs fn in a transaction carried by the context it passes to fn. It
// commits when fn returns nil and rolls back when fn returns an error or panics
// (the panic is re-raised). A call inside another InTx joins the outer
// transaction: only the outermost call commits.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.inTx(ctx) {
		return fn(ctx)
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{s}, tx))
	})
	return mapErr(err)
}

// BeginTx starts a transaction and returns a context carrying it, for callers
// that commit or roll back themselves (fosite's storage.Transactional).
func (s *Store) BeginTx(ctx context.Context) (context.Context, error) {
	if s.inTx(ctx) {
		return ctx, ErrTransactionInProgress
	}
	tx := s.db.WithContext(ctx).Begin()
	if tx.Error != nil {
		return ctx, fmt.Errorf("gormstore: begin: %w", mapErr(tx.Error))
	}
	return context.WithValue(ctx, txKey{s}, tx), nil
}

// Commit commits the transaction started by BeginTx.
func (s *Store) Commit(ctx context.Context) error {
	tx, ok := ctx.Value(txKey{s}).(*gorm.DB)
	if !ok {
		return ErrNoTransaction
	}
	return mapErr(tx.Commit().Error)
}

// Rollback rolls back the transaction started by BeginTx.
func (s *Store) Rollback(ctx context.Context) error {
	tx, ok := ctx.Value(txKey{s}).(*gorm.DB)
	if !ok {
		return ErrNoTransaction
	}
	return mapErr(tx.Rollback().Error)
}
