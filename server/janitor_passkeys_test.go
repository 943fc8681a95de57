package server_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestJanitorDeletesExpiredCeremoniesAndApprovals: WebAuthn challenges and
// number-matching requests that expired before the grace period go; live
// and recent ones stay.
func TestJanitorDeletesExpiredCeremoniesAndApprovals(t *testing.T) {
	store := gormstoretest.SQLite(t)
	ctx := context.Background()
	tenant := &storage.Tenant{ID: uuid.NewString(), DisplayName: "T"}
	must(t, store.CreateTenant(ctx, tenant, []storage.Domain{{Name: "t.test", TenantID: tenant.ID, Verified: true}}))
	user := &storage.User{ID: uuid.NewString(), TenantID: tenant.ID, UserPrincipalName: "u@t.test", AccountEnabled: true}
	must(t, store.CreateUser(ctx, user))
	now := time.Now().UTC()
	expiries := map[string]time.Time{"long-gone": now.Add(-48 * time.Hour), "recent": now.Add(-time.Minute), "live": now.Add(time.Minute)}
	for id, exp := range expiries {
		must(t, store.SaveWebAuthnSession(ctx, &storage.WebAuthnSession{ID: id, TenantID: tenant.ID, Data: []byte("{}"), ExpiresAt: exp}))
		must(t, store.SaveApprovalRequest(ctx, &storage.ApprovalRequest{ID: id, TenantID: tenant.ID, UserID: user.ID, Number: 42,
			State: storage.ApprovalPending, CreatedAt: exp.Add(-time.Minute), ExpiresAt: exp}))
	}
	(&server.Janitor{Store: store}).Sweep(ctx)
	for id, kept := range map[string]bool{"long-gone": false, "recent": true, "live": true} {
		_, err := store.GetApprovalRequest(ctx, tenant.ID, id)
		if (err == nil) != kept || (err != nil && !errors.Is(err, storage.ErrNotFound)) {
			t.Errorf("approval %s: kept=%v, want %v (err %v)", id, err == nil, kept, err)
		}
	}
	if _, err := store.TakeWebAuthnSession(ctx, tenant.ID, "long-gone", now.Add(-72*time.Hour)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("the long-expired ceremony was kept (err %v)", err)
	}
	if _, err := store.TakeWebAuthnSession(ctx, tenant.ID, "live", now); err != nil {
		t.Errorf("the live ceremony was deleted: %v", err)
	}
}
