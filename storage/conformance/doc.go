// Package conformance is the behavioural test suite every storage.Storage
// backend must pass. A backend's own tests call Run with a constructor that
// returns a fresh, migrated, empty store:
//
//	func TestConformance(t *testing.T) {
//		conformance.Run(t, func(t *testing.T) storage.Storage { return openTestStore(t) })
//	}
//
// The suite is split into groups (tenants, users, applications, keys, OAuth
// records, jtis, flows, sessions and consent, transactions, value round-trips),
// one file each; a file adds its group with register in an init function, so
// further groups live in their own files without touching the others. fosite's
// storage semantics, checked through the adapter in storage/fositestore, run
// separately through RunFosite (fosite*.go).
//
// Every test builds its own store and fixtures and runs in parallel with the
// others; the constructor must therefore be safe for concurrent use and must
// register its own cleanup with t.Cleanup.
//
// This package holds tests only: it must not depend on a particular backend and
// must not be imported by production code.
package conformance
