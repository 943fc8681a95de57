package keys

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// testClock is a settable clock shared by a test's managers.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// forEachBackend runs test against a fresh, migrated SQLite store and a fresh
// Postgres schema (skipped without SIGIL_TEST_POSTGRES outside CI).
func forEachBackend(t *testing.T, test func(t *testing.T, s storage.Storage)) {
	t.Helper()
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			t.Parallel()
			test(t, backend.Open(t))
		})
	}
}

// newTenant creates a tenant row (signing keys reference it) and returns its ID.
func newTenant(t *testing.T, s storage.Storage) string {
	t.Helper()
	id := uuid.NewString()
	tenant := &storage.Tenant{ID: id, DisplayName: "Test tenant"}
	domains := []storage.Domain{{Name: id[:8] + ".test.example", TenantID: id, Verified: true, Initial: true}}
	if err := s.CreateTenant(context.Background(), tenant, domains); err != nil {
		t.Fatalf("create tenant: %v", err)
	}
	return id
}

func master(fill byte) []byte {
	b := make([]byte, MinMasterSecretLength)
	for i := range b {
		b[i] = fill
	}
	return b
}

func newTestManager(t *testing.T, s storage.Storage, clock *testClock, masters ...[]byte) *Manager {
	t.Helper()
	if len(masters) == 0 {
		masters = [][]byte{master(1)}
	}
	m, err := NewManager(s, masters, Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("NewManager: %v", err)
	}
	return m
}

// keysOf returns the tenant's stored keys of alg grouped by state.
func keysOf(t *testing.T, s storage.Storage, tenantID, alg string) keysByState {
	t.Helper()
	stored, err := s.ListSigningKeys(context.Background(), tenantID)
	if err != nil {
		t.Fatal(err)
	}
	return splitByState(stored, alg)
}

func kids(ks []storage.SigningKey) []string {
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		out = append(out, k.ID)
	}
	return out
}

// mustEnsure gives the tenant its active and next keys, failing the test on error.
func mustEnsure(t *testing.T, m *Manager, tenant string) {
	t.Helper()
	if err := m.EnsureTenantKeys(context.Background(), tenant); err != nil {
		t.Fatal(err)
	}
}
