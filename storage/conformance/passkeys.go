package conformance

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("passkeys", testPasskeys) }

func testPasskeys(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"takes a WebAuthn ceremony once (F-25 replay guard)", webAuthnSessionOnce},
		{"lets one of two concurrent takes of a ceremony win", webAuthnSessionRace},
		{"replaces a ceremony shown again and refuses an expired one", webAuthnSessionReplaceExpire},
		{"hides another tenant's ceremony (A-02)", webAuthnSessionTenant},
		{"swaps a credential's state only from the state read (sign count) and renames it", passkeySwap},
	})
}

func newCeremony(tenantID, id string, expires time.Time) *storage.WebAuthnSession {
	return &storage.WebAuthnSession{ID: id, TenantID: tenantID, UserID: "u1", Data: []byte(`{"challenge":"abc"}`), ExpiresAt: expires.In(farOffZone)}
}

func webAuthnSessionOnce(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	now := time.Now()
	in := newCeremony(tenant.ID, "flow-1:assert", now.Add(time.Minute))
	mustNil(t, s.SaveWebAuthnSession(ctx, in), "SaveWebAuthnSession")
	got, err := s.TakeWebAuthnSession(ctx, tenant.ID, in.ID, now)
	mustNil(t, err, "TakeWebAuthnSession")
	if got.UserID != "u1" || !bytes.Equal(got.Data, in.Data) {
		t.Errorf("got %+v, want %+v", got, in)
	}
	sameTime(t, got.ExpiresAt, in.ExpiresAt, "ExpiresAt")
	_, err = s.TakeWebAuthnSession(ctx, tenant.ID, in.ID, now)
	mustIs(t, err, storage.ErrNotFound, "second TakeWebAuthnSession")
}

func webAuthnSessionRace(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	now := time.Now()
	mustNil(t, s.SaveWebAuthnSession(ctx, newCeremony(tenant.ID, "flow-2:assert", now.Add(time.Minute))), "SaveWebAuthnSession")
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 4 {
		wg.Go(func() {
			if _, err := s.TakeWebAuthnSession(ctx, tenant.ID, "flow-2:assert", now); err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d concurrent takes succeeded, want 1", won)
	}
}

func webAuthnSessionReplaceExpire(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	now := time.Now()
	first := newCeremony(tenant.ID, "flow-3:register", now.Add(time.Minute))
	mustNil(t, s.SaveWebAuthnSession(ctx, first), "SaveWebAuthnSession first")
	second := newCeremony(tenant.ID, "flow-3:register", now.Add(2*time.Minute))
	second.Data = []byte(`{"challenge":"def"}`)
	mustNil(t, s.SaveWebAuthnSession(ctx, second), "SaveWebAuthnSession again")
	got, err := s.TakeWebAuthnSession(ctx, tenant.ID, second.ID, now)
	mustNil(t, err, "TakeWebAuthnSession")
	if !bytes.Equal(got.Data, second.Data) {
		t.Errorf("got data %s, want the second ceremony's", got.Data)
	}
	expired := newCeremony(tenant.ID, "flow-4:assert", now.Add(-time.Second))
	mustNil(t, s.SaveWebAuthnSession(ctx, expired), "SaveWebAuthnSession expired")
	_, err = s.TakeWebAuthnSession(ctx, tenant.ID, expired.ID, now)
	mustIs(t, err, storage.ErrNotFound, "TakeWebAuthnSession expired")
	mustNil(t, s.SaveWebAuthnSession(ctx, newCeremony(tenant.ID, "flow-5:assert", now.Add(-time.Second))), "SaveWebAuthnSession old")
	n, err := s.DeleteExpiredWebAuthnSessions(ctx, now)
	mustNil(t, err, "DeleteExpiredWebAuthnSessions")
	if n != 1 {
		t.Errorf("deleted %d expired ceremonies, want 1", n)
	}
}

func webAuthnSessionTenant(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	contoso := seedTenant(t, s, "contoso")
	fabrikam := seedTenant(t, s, "fabrikam")
	now := time.Now()
	mustNil(t, s.SaveWebAuthnSession(ctx, newCeremony(contoso.ID, "flow-6:assert", now.Add(time.Minute))), "SaveWebAuthnSession")
	_, err := s.TakeWebAuthnSession(ctx, fabrikam.ID, "flow-6:assert", now)
	mustIs(t, err, storage.ErrNotFound, "TakeWebAuthnSession from another tenant")
	_, err = s.TakeWebAuthnSession(ctx, contoso.ID, "flow-6:assert", now)
	mustNil(t, err, "TakeWebAuthnSession in its tenant")
}

func passkeySwap(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	m := newTOTPMethod(tenant.ID, user.ID)
	m.Kind, m.Handle, m.Secret = storage.AuthMethodPasskey, "cred-a", []byte(`{"signCount":1}`)
	mustNil(t, s.CreateAuthMethod(ctx, m), "CreateAuthMethod")
	at := time.Now()
	mustNil(t, s.SwapAuthMethodSecret(ctx, tenant.ID, user.ID, m.ID, m.Secret, []byte(`{"signCount":2}`), at), "SwapAuthMethodSecret")
	err := s.SwapAuthMethodSecret(ctx, tenant.ID, user.ID, m.ID, m.Secret, []byte(`{"signCount":3}`), at)
	mustIs(t, err, storage.ErrConflict, "SwapAuthMethodSecret from a stale state")
	err = s.SwapAuthMethodSecret(ctx, tenant.ID, "someone-else", m.ID, []byte(`{"signCount":2}`), []byte(`{}`), at)
	mustIs(t, err, storage.ErrNotFound, "SwapAuthMethodSecret of another user's method")
	got, err := s.GetAuthMethod(ctx, tenant.ID, user.ID, m.ID)
	mustNil(t, err, "GetAuthMethod")
	if string(got.Secret) != `{"signCount":2}` || got.LastUsedAt == nil {
		t.Errorf("got secret %s, last used %v", got.Secret, got.LastUsedAt)
	}
	mustNil(t, s.RenameAuthMethod(ctx, tenant.ID, user.ID, m.ID, "Work laptop"), "RenameAuthMethod")
	mustIs(t, s.RenameAuthMethod(ctx, tenant.ID, "someone-else", m.ID, "Mine now"), storage.ErrNotFound, "renaming another user's method")
	got, err = s.GetAuthMethod(ctx, tenant.ID, user.ID, m.ID)
	mustNil(t, err, "GetAuthMethod after rename")
	if got.Name != "Work laptop" || string(got.Secret) != `{"signCount":2}` {
		t.Errorf("after rename: name %q, secret %s; want the new name and the same state", got.Name, got.Secret)
	}
}
