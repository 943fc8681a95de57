// Package gormstore implements storage.Storage with gorm on Postgres (production)
// and on an embedded SQLite file (zero-setup default, pure Go, CGO_ENABLED=0).
//
// It owns the mapping between the domain types of package storage and the tables
// created by the versioned SQL in package migrations, the translation of driver
// errors into storage's sentinel errors, and transactions carried in the context.
//
// Rules it keeps:
//   - The schema comes only from migrations (goose); it never calls AutoMigrate.
//   - Every query runs with the caller's context (.WithContext(ctx)) and joins the
//     transaction that context carries, if any.
//   - Times are written in UTC, truncated to microseconds (Postgres precision), and
//     returned in UTC; the store writes the normalized values back into the
//     caller's struct on create and update so that they compare equal to a re-read.
//   - Row structs with gorm tags are private; callers only see storage types.
//
// It must not hold business rules (who may read what, token lifetimes, policy):
// those belong to the server packages. It must not import fosite.
package gormstore
