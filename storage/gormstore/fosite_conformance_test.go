package gormstore

import (
	"testing"

	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/conformance"
)

// The fosite adapter (storage/fositestore) over this backend must keep fosite's
// storage semantics: digested keys, invalidated codes and inactive tokens
// returned with their requester, refresh-token rotation races, family revocation.

func TestFositeConformanceSQLite(t *testing.T) {
	conformance.RunFosite(t, func(t *testing.T) storage.Storage { return newSQLiteStore(t) })
}

func TestFositeConformancePostgres(t *testing.T) {
	dsn := postgresDSN(t)
	conformance.RunFosite(t, func(t *testing.T) storage.Storage { return newPostgresStore(t, dsn) })
}
