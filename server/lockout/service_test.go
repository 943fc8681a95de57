package lockout

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// clock is an injected, settable time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

type fixture struct {
	svc    *Service
	clock  *clock
	tenant *storage.Tenant
	users  []*storage.User
}

func newFixture(t testing.TB, store storage.Storage, users int) *fixture {
	ctx := context.Background()
	f := &fixture{clock: &clock{now: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}}
	f.tenant = &storage.Tenant{ID: fmt.Sprintf("t-%d", time.Now().UnixNano()), DisplayName: "Contoso"}
	if err := store.CreateTenant(ctx, f.tenant, nil); err != nil {
		t.Fatal(err)
	}
	for i := range users {
		u := &storage.User{ID: fmt.Sprintf("u%d-%s", i, f.tenant.ID), TenantID: f.tenant.ID,
			UserPrincipalName: fmt.Sprintf("user%d@contoso.example", i), UserType: storage.UserTypeMember, AccountEnabled: true}
		if err := store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		f.users = append(f.users, u)
	}
	f.svc = &Service{Store: store, Now: f.clock.Now}
	return f
}

// try makes one attempt: wrong password unless ok, and returns whether the
// password would have been checked.
func (f *fixture) try(t *testing.T, userID, addr string, ok bool) bool {
	t.Helper()
	ctx := context.Background()
	a := Attempt{Tenant: f.tenant, UserID: userID, Addr: netip.MustParseAddr(addr)}
	v, err := f.svc.Check(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if ok && v.Allowed {
		if err := f.svc.Succeeded(ctx, a, v); err != nil {
			t.Fatal(err)
		}
		return true
	}
	if _, err := f.svc.Failed(ctx, a, v); err != nil {
		t.Fatal(err)
	}
	return v.Allowed
}

const (
	home     = "192.0.2.10"
	homeNext = "192.0.2.200" // same /24 as home
	attacker = "203.0.113.66"
)

func TestSmartLockout(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		run  func(t *testing.T, store storage.Storage)
	}{
		{"the user still signs in at home while an attacker elsewhere is locked out (F-30)", familiarUserSignsInWhileAttackerIsLocked},
		{"a lockout ends after 60 s and the next one lasts twice as long", lockoutEndsAndDoubles},
		{"password spray from one address across many users is throttled", sprayIsThrottled},
		{"a tenant's threshold and an admin unlock apply", tenantThresholdAndUnlock},
	}
	for _, b := range gormstoretest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			store := b.Open(t)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, store) })
			}
		})
	}
}

func familiarUserSignsInWhileAttackerIsLocked(t *testing.T, store storage.Storage) {
	f := newFixture(t, store, 1)
	u := f.users[0].ID
	if !f.try(t, u, home, true) {
		t.Fatal("first sign-in from home refused")
	}
	for i := range Defaults.Threshold {
		if !f.try(t, u, attacker, false) {
			t.Fatalf("attempt %d refused before the threshold", i+1)
		}
	}
	if f.try(t, u, attacker, true) {
		t.Fatal("the attacker's next attempt was checked although the account is locked for unfamiliar networks")
	}
	if !f.try(t, u, homeNext, true) {
		t.Fatal("the user was locked out at a familiar network by failures from elsewhere")
	}
}

func lockoutEndsAndDoubles(t *testing.T, store storage.Storage) {
	f := newFixture(t, store, 1)
	u := f.users[0].ID
	for range Defaults.Threshold {
		f.try(t, u, attacker, false)
	}
	f.clock.add(59 * time.Second)
	if f.try(t, u, attacker, true) {
		t.Fatal("checked a password during the lockout")
	}
	f.clock.add(time.Second)
	for range Defaults.Threshold {
		if !f.try(t, u, attacker, false) {
			t.Fatal("refused after the first lockout ended")
		}
	}
	f.clock.add(119 * time.Second)
	if f.try(t, u, attacker, true) {
		t.Fatal("the second lockout ended before 120 s")
	}
	f.clock.add(time.Second)
	if !f.try(t, u, attacker, true) {
		t.Fatal("the correct password was refused after the second lockout ended")
	}
}

func sprayIsThrottled(t *testing.T, store storage.Storage) {
	f := newFixture(t, store, Defaults.AddressThreshold+2)
	for i := range Defaults.AddressThreshold {
		if !f.try(t, f.users[i].ID, attacker, false) {
			t.Fatalf("spray attempt %d refused before the address threshold", i+1)
		}
	}
	last := f.users[Defaults.AddressThreshold].ID
	if f.try(t, last, attacker, true) {
		t.Fatal("a further account's password was checked from a throttled address")
	}
	if !f.try(t, last, "198.51.100.4", true) {
		t.Fatal("the same account was refused from another address")
	}
	if f.try(t, "", attacker, false) {
		t.Fatal("an unknown account was not throttled like a known one")
	}
}

func tenantThresholdAndUnlock(t *testing.T, store storage.Storage) {
	f := newFixture(t, store, 1)
	f.tenant.Settings.LockoutThreshold = 3
	u := f.users[0].ID
	for range 3 {
		f.try(t, u, attacker, false)
	}
	if f.try(t, u, attacker, true) {
		t.Fatal("not locked after the tenant's threshold of 3")
	}
	if n, err := f.svc.UnlockUser(context.Background(), f.tenant.ID, u); err != nil || n != 1 {
		t.Fatalf("UnlockUser = %d, %v; want 1 counter cleared", n, err)
	}
	if !f.try(t, u, attacker, true) {
		t.Fatal("still locked after the admin unlock")
	}
}
