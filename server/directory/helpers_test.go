package directory

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

var testNow = time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)

// forEachBackend runs test with a Service over a fresh, migrated SQLite store
// and one over a fresh Postgres schema (skipped without SIGIL_TEST_POSTGRES
// outside CI).
func forEachBackend(t *testing.T, test func(t *testing.T, s *Service)) {
	t.Helper()
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			t.Parallel()
			test(t, newServiceOn(t, backend.Open(t)))
		})
	}
}

// newService returns a Service over a fresh SQLite store.
func newService(t *testing.T) *Service {
	t.Helper()
	return newServiceOn(t, gormstoretest.SQLite(t))
}

func newServiceOn(t *testing.T, store storage.Storage) *Service {
	t.Helper()
	km, err := keys.NewManager(store, [][]byte{[]byte("0123456789abcdef0123456789abcdef")}, keys.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &Service{Store: store, Keys: km, Now: func() time.Time { return testNow }}
}

// mustTenant creates a tenant on domain and returns its ID.
func mustTenant(t *testing.T, s *Service, domain string) string {
	t.Helper()
	tenant, err := s.CreateTenant(context.Background(), NewTenant{DisplayName: "Tenant " + domain, Domain: domain})
	if err != nil {
		t.Fatalf("create tenant %s: %v", domain, err)
	}
	return tenant.ID
}

// assertProblem checks that err is a *ValidationError with a problem on field
// whose message contains fragment.
func assertProblem(t *testing.T, err error, field, fragment string) {
	t.Helper()
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("error = %v; want a *ValidationError", err)
	}
	for _, p := range verr.Problems {
		if p.Field == field && strings.Contains(p.Message, fragment) {
			return
		}
	}
	t.Fatalf("problems %+v lack %s: …%s…", verr.Problems, field, fragment)
}

// assertConflict checks that err is a *ConflictError with the message.
func assertConflict(t *testing.T, err error, message string) {
	t.Helper()
	var cerr *ConflictError
	if !errors.As(err, &cerr) || !errors.Is(err, storage.ErrAlreadyExists) || cerr.Message != message {
		t.Fatalf("error = %v; want conflict %q", err, message)
	}
}
