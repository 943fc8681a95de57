package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

func TestJanitorDeletesOnlyWhatExpiredBeforeTheGrace(t *testing.T) {
	store := gormstoretest.SQLite(t)
	ctx := context.Background()
	tenant := &storage.Tenant{ID: uuid.NewString(), DisplayName: "T"}
	must(t, store.CreateTenant(ctx, tenant, []storage.Domain{{Name: "t.test", TenantID: tenant.ID, Verified: true}}))
	app := &storage.Application{ID: uuid.NewString(), TenantID: tenant.ID, DisplayName: "A", Public: true, TokenEndpointAuthMethod: "none"}
	must(t, store.CreateApplication(ctx, app))
	now := time.Now().UTC()
	for sig, exp := range map[string]time.Time{"long-gone": now.Add(-48 * time.Hour), "recent": now.Add(-time.Hour), "live": now.Add(time.Hour)} {
		must(t, store.CreateOAuthRecord(ctx, &storage.OAuthRecord{Kind: storage.KindRefreshToken, Signature: sig, RequestID: sig,
			TenantID: tenant.ID, ClientID: app.ID, Active: true, Data: []byte("{}"), RequestedAt: now, ExpiresAt: exp}))
	}
	(&server.Janitor{Store: store}).Sweep(ctx)
	for sig, kept := range map[string]bool{"long-gone": false, "recent": true, "live": true} {
		_, err := store.GetOAuthRecord(ctx, storage.KindRefreshToken, sig)
		if (err == nil) != kept {
			t.Errorf("%s: kept=%v, want %v (err %v)", sig, err == nil, kept, err)
		}
	}
}
