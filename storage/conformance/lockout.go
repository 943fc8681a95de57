package conformance

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("lockout", testLockout) }

func testLockout(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"reads a counter never written as not found", lockoutMissing},
		{"creates a counter on first update and keeps what fn set (F-30)", lockoutCreateAndUpdate},
		{"loses no update when replicas count failures at once (F-30)", lockoutConcurrent},
		{"deletes only the counters under a key prefix of one tenant", lockoutDeletePrefix},
		{"deletes stale counters but keeps running lockouts", lockoutDeleteStale},
		{"remembers the last sign-in per user and network", lockoutNetworks},
		{"keeps a tenant's banned terms apart from another's (F-31)", lockoutBannedTerms},
		{"revokes a user's other sessions and their tokens, keeping the current one", lockoutRevokeOthers},
		{"revokes every user sign-in of a tenant, keeping client-credentials tokens", lockoutRevokeTenant},
	})
}

func lockoutMissing(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	_, err := s.GetLockoutCounter(ctxFor(t), tenant.ID, "user:x:familiar")
	mustIs(t, err, storage.ErrNotFound, "GetLockoutCounter")
}

func lockoutCreateAndUpdate(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	now := time.Now().In(farOffZone)
	first, err := s.UpdateLockoutCounter(ctx, tenant.ID, "user:a:unfamiliar", func(c *storage.LockoutCounter) {
		if c.Failures != 0 || c.Lockouts != 0 || !c.LockedUntil.IsZero() {
			t.Errorf("new counter: got %+v, want no failures and no lockout", c)
		}
		c.Failures = 3
		c.UpdatedAt = now
	})
	mustNil(t, err, "UpdateLockoutCounter")
	if first.Failures != 3 || first.TenantID != tenant.ID || first.Key != "user:a:unfamiliar" {
		t.Errorf("returned %+v", first)
	}
	until := now.Add(time.Minute)
	_, err = s.UpdateLockoutCounter(ctx, tenant.ID, "user:a:unfamiliar", func(c *storage.LockoutCounter) {
		c.Failures, c.Lockouts, c.LockedUntil, c.UpdatedAt = 0, 1, until, now
	})
	mustNil(t, err, "UpdateLockoutCounter")
	got, err := s.GetLockoutCounter(ctx, tenant.ID, "user:a:unfamiliar")
	mustNil(t, err, "GetLockoutCounter")
	if got.Failures != 0 || got.Lockouts != 1 {
		t.Errorf("got %+v", got)
	}
	sameTime(t, got.LockedUntil, until, "LockedUntil")
	sameTime(t, got.UpdatedAt, now, "UpdatedAt")
}

func lockoutConcurrent(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	const workers, each = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				_, err := s.UpdateLockoutCounter(context.Background(), tenant.ID, "ip:192.0.2.7", func(c *storage.LockoutCounter) {
					c.Failures++
				})
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		mustNil(t, err, "concurrent UpdateLockoutCounter")
	}
	got, err := s.GetLockoutCounter(ctxFor(t), tenant.ID, "ip:192.0.2.7")
	mustNil(t, err, "GetLockoutCounter")
	if got.Failures != workers*each {
		t.Errorf("failures = %d, want %d", got.Failures, workers*each)
	}
}

func lockoutDeletePrefix(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a, b := seedTenant(t, s, "contoso"), seedTenant(t, s, "fabrikam")
	bump := func(c *storage.LockoutCounter) { c.Failures++ }
	for _, k := range []string{"user:u1:familiar", "user:u1:unfamiliar", "user:u10:familiar", "user:u1_x:familiar"} {
		_, err := s.UpdateLockoutCounter(ctx, a.ID, k, bump)
		mustNil(t, err, "UpdateLockoutCounter "+k)
	}
	_, err := s.UpdateLockoutCounter(ctx, b.ID, "user:u1:familiar", bump)
	mustNil(t, err, "UpdateLockoutCounter other tenant")
	n, err := s.DeleteLockoutCounters(ctx, a.ID, "user:u1:")
	mustNil(t, err, "DeleteLockoutCounters")
	if n != 2 {
		t.Errorf("deleted %d counters, want 2 (an underscore in the prefix is no wildcard)", n)
	}
	for _, k := range []string{"user:u10:familiar", "user:u1_x:familiar"} {
		_, err := s.GetLockoutCounter(ctx, a.ID, k)
		mustNil(t, err, "counter outside the prefix "+k)
	}
	_, err = s.GetLockoutCounter(ctx, b.ID, "user:u1:familiar")
	mustNil(t, err, "other tenant's counter")
}

func lockoutDeleteStale(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	old := time.Now().Add(-48 * time.Hour)
	set := func(key string, lockedUntil time.Time) {
		_, err := s.UpdateLockoutCounter(ctx, tenant.ID, key, func(c *storage.LockoutCounter) {
			c.Failures, c.UpdatedAt, c.LockedUntil = 1, old, lockedUntil
		})
		mustNil(t, err, "UpdateLockoutCounter "+key)
	}
	set("stale", time.Time{})
	set("still-locked", time.Now().Add(time.Hour))
	n, err := s.DeleteStaleLockoutCounters(ctx, time.Now().Add(-24*time.Hour))
	mustNil(t, err, "DeleteStaleLockoutCounters")
	if n != 1 {
		t.Errorf("deleted %d, want 1", n)
	}
	_, err = s.GetLockoutCounter(ctx, tenant.ID, "still-locked")
	mustNil(t, err, "running lockout kept")
}

func lockoutNetworks(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	other := seedTenant(t, s, "fabrikam")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	_, err := s.NetworkLastSeen(ctx, tenant.ID, user.ID, "192.0.2.0/24")
	mustIs(t, err, storage.ErrNotFound, "NetworkLastSeen before any sign-in")
	first := time.Now().In(farOffZone).Add(-time.Hour)
	mustNil(t, s.RememberNetwork(ctx, tenant.ID, user.ID, "192.0.2.0/24", first), "RememberNetwork")
	later := first.Add(30 * time.Minute)
	mustNil(t, s.RememberNetwork(ctx, tenant.ID, user.ID, "192.0.2.0/24", later), "RememberNetwork again")
	got, err := s.NetworkLastSeen(ctx, tenant.ID, user.ID, "192.0.2.0/24")
	mustNil(t, err, "NetworkLastSeen")
	sameTime(t, got, later, "last seen")
	err = s.RememberNetwork(ctx, other.ID, user.ID, "198.51.100.0/24", later)
	mustIs(t, err, storage.ErrNotFound, "RememberNetwork through another tenant (A-02)")
	mustNil(t, s.DeleteUser(ctx, tenant.ID, user.ID), "DeleteUser")
	_, err = s.NetworkLastSeen(ctx, tenant.ID, user.ID, "192.0.2.0/24")
	mustIs(t, err, storage.ErrNotFound, "NetworkLastSeen after the user is deleted")
}

func lockoutBannedTerms(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a, b := seedTenant(t, s, "contoso"), seedTenant(t, s, "fabrikam")
	mustNil(t, s.AddBannedPasswords(ctx, a.ID, []string{"contoso", "blizzard"}, time.Now()), "AddBannedPasswords")
	mustNil(t, s.AddBannedPasswords(ctx, a.ID, []string{"contoso", "azure"}, time.Now()), "AddBannedPasswords again")
	mustNil(t, s.AddBannedPasswords(ctx, b.ID, []string{"fabrikam"}, time.Now()), "AddBannedPasswords other tenant")
	got, err := s.ListBannedPasswords(ctx, a.ID)
	mustNil(t, err, "ListBannedPasswords")
	sameStrings(t, got, []string{"azure", "blizzard", "contoso"}, "tenant a's terms")
	n, err := s.RemoveBannedPasswords(ctx, a.ID, []string{"azure", "fabrikam"})
	mustNil(t, err, "RemoveBannedPasswords")
	if n != 1 {
		t.Errorf("removed %d, want 1", n)
	}
	got, err = s.ListBannedPasswords(ctx, b.ID)
	mustNil(t, err, "ListBannedPasswords other tenant")
	sameStrings(t, got, []string{"fabrikam"}, "tenant b's terms")
}

func lockoutRevokeOthers(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	bob := seedUser(t, s, tenant.ID, "bob@contoso.example")
	keep, other, bobs := newSession(tenant.ID, ann.ID), newSession(tenant.ID, ann.ID), newSession(tenant.ID, bob.ID)
	for _, sess := range []*storage.BrowserSession{keep, other, bobs} {
		mustNil(t, s.CreateBrowserSession(ctx, sess), "CreateBrowserSession")
	}
	token := func(kind, userID, sessionID string) *storage.OAuthRecord {
		return seedToken(t, s, tenant.ID, kind, userID, sessionID)
	}
	kept := token(storage.KindRefreshToken, ann.ID, keep.ID)
	ended := token(storage.KindRefreshToken, ann.ID, other.ID)
	endedAccess := token(storage.KindAccessToken, ann.ID, other.ID)
	bobsToken := token(storage.KindRefreshToken, bob.ID, bobs.ID)
	n, err := s.RevokeOtherSessions(ctx, tenant.ID, ann.ID, keep.ID, time.Now())
	mustNil(t, err, "RevokeOtherSessions")
	if n != 1 {
		t.Errorf("revoked %d sessions, want 1", n)
	}
	for _, c := range []struct {
		r      *storage.OAuthRecord
		active bool
		what   string
	}{{kept, true, "token of the kept session"}, {ended, false, "refresh token of the other session"},
		{endedAccess, false, "access token of the other session"}, {bobsToken, true, "another user's token"}} {
		got, err := s.GetOAuthRecord(ctx, c.r.Kind, c.r.Signature)
		mustNil(t, err, "GetOAuthRecord")
		if got.Active != c.active {
			t.Errorf("%s: active = %v, want %v", c.what, got.Active, c.active)
		}
	}
	for _, c := range []struct {
		id      string
		revoked bool
	}{{keep.ID, false}, {other.ID, true}, {bobs.ID, false}} {
		got, err := s.GetBrowserSession(ctx, c.id)
		mustNil(t, err, "GetBrowserSession")
		if (got.RevokedAt != nil) != c.revoked {
			t.Errorf("session %s: revoked = %v, want %v", c.id, got.RevokedAt != nil, c.revoked)
		}
	}
}

// lockoutRevokeTenant: enabling security defaults ends every user sign-in of
// the tenant (F-18); client-credentials tokens and other tenants stay.
func lockoutRevokeTenant(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant, other := seedTenant(t, s, "contoso"), seedTenant(t, s, "fabrikam")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	eve := seedUser(t, s, other.ID, "eve@fabrikam.example")
	annSession, eveSession := newSession(tenant.ID, ann.ID), newSession(other.ID, eve.ID)
	for _, sess := range []*storage.BrowserSession{annSession, eveSession} {
		mustNil(t, s.CreateBrowserSession(ctx, sess), "CreateBrowserSession")
	}
	annRefresh := seedToken(t, s, tenant.ID, storage.KindRefreshToken, ann.ID, "")
	annAccess := seedToken(t, s, tenant.ID, storage.KindAccessToken, ann.ID, "")
	appAccess := seedToken(t, s, tenant.ID, storage.KindAccessToken, "app", "")
	eveRefresh := seedToken(t, s, other.ID, storage.KindRefreshToken, eve.ID, "")
	n, err := s.RevokeTenantSessions(ctx, tenant.ID, time.Now())
	mustNil(t, err, "RevokeTenantSessions")
	if n != 1 {
		t.Errorf("revoked %d refresh tokens, want 1", n)
	}
	for _, c := range []struct {
		r      *storage.OAuthRecord
		active bool
		what   string
	}{{annRefresh, false, "a user's refresh token"}, {annAccess, false, "a user's access token"},
		{appAccess, true, "a client-credentials token"}, {eveRefresh, true, "another tenant's token"}} {
		got, err := s.GetOAuthRecord(ctx, c.r.Kind, c.r.Signature)
		mustNil(t, err, "GetOAuthRecord")
		if got.Active != c.active {
			t.Errorf("%s: active = %v, want %v", c.what, got.Active, c.active)
		}
	}
	for _, c := range []struct {
		id      string
		revoked bool
	}{{annSession.ID, true}, {eveSession.ID, false}} {
		got, err := s.GetBrowserSession(ctx, c.id)
		mustNil(t, err, "GetBrowserSession")
		if (got.RevokedAt != nil) != c.revoked {
			t.Errorf("session %s: revoked = %v, want %v", c.id, got.RevokedAt != nil, c.revoked)
		}
	}
}

// seedToken stores an active token of the kind for subject, valid for an hour.
func seedToken(t *testing.T, s storage.Storage, tenantID, kind, subject, sessionID string) *storage.OAuthRecord {
	t.Helper()
	r := &storage.OAuthRecord{Kind: kind, Signature: newID(), RequestID: newID(), TenantID: tenantID, ClientID: "app",
		Subject: subject, SessionID: sessionID, Active: true, Data: []byte("{}"),
		RequestedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	mustNil(t, s.CreateOAuthRecord(ctxFor(t), r), "CreateOAuthRecord")
	return r
}
