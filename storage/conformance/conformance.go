package conformance

import (
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

// NewStore returns a fresh, migrated, empty store for one test. It must be safe
// to call from parallel tests and must close the store in t.Cleanup.
type NewStore func(t *testing.T) storage.Storage

// group is a named set of conformance tests.
type group struct {
	name string
	run  func(t *testing.T, newStore NewStore)
}

// groups lists the suite's groups in registration order (file name order).
var groups []group

// register adds a group to the suite. Call it from an init function.
func register(name string, run func(t *testing.T, newStore NewStore)) {
	groups = append(groups, group{name: name, run: run})
}

// Run runs every conformance group against stores built by newStore, each as
// a subtest named after the group.
func Run(t *testing.T, newStore NewStore) {
	t.Helper()
	if len(groups) == 0 {
		t.Fatal("conformance: no test groups registered")
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.run(t, newStore) })
	}
}

// testCase is one behaviour checked against a fresh store.
type testCase struct {
	name string
	run  func(t *testing.T, s storage.Storage)
}

// runCases runs each case in parallel on its own store.
func runCases(t *testing.T, newStore NewStore, cases []testCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore(t))
		})
	}
}
