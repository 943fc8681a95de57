// Package migrations holds Sigil's versioned SQL schema, one folder per SQL
// dialect (sqlite, postgres), applied with goose by storage/gormstore.
//
// Both folders carry the same version numbers: version N means the same schema on
// every dialect. Files are never edited once released; a change is a new version.
// This package owns only the SQL text; it must not run migrations itself or hold
// Go migration code.
package migrations

import "embed"

// FS holds every migration file, under "sqlite/" and "postgres/".
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS

// Dialect folder names inside FS.
const (
	DirSQLite   = "sqlite"
	DirPostgres = "postgres"
)
