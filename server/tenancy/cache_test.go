package tenancy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

func TestResolverCacheServesFreshEntriesAndExpires(t *testing.T) {
	store := gormstoretest.SQLite(t)
	ctx := context.Background()
	tenant := &storage.Tenant{ID: uuid.NewString(), DisplayName: "Contoso"}
	if err := store.CreateTenant(ctx, tenant, []storage.Domain{{Name: "contoso.test", TenantID: tenant.ID, Verified: true}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	r := tenancy.Resolver{Store: store, Cache: &tenancy.Cache{TTL: 30 * time.Second, Now: func() time.Time { return now }}}
	for _, segment := range []string{tenant.ID, "Contoso.TEST"} {
		if got, err := r.Resolve(ctx, segment); err != nil || got.ID != tenant.ID {
			t.Fatalf("resolve %s: %v %v", segment, got, err)
		}
	}
	if err := store.DeleteTenant(ctx, tenant.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := r.Resolve(ctx, "contoso.test"); err != nil || got.ID != tenant.ID {
		t.Errorf("within the TTL the cached tenant is served: %v %v", got, err)
	}
	now = now.Add(31 * time.Second)
	if _, err := r.Resolve(ctx, "contoso.test"); !errors.Is(err, tenancy.ErrUnknownTenant) {
		t.Errorf("after the TTL a deleted tenant is unknown: %v", err)
	}
	if _, err := r.Resolve(ctx, "never.test"); !errors.Is(err, tenancy.ErrUnknownTenant) {
		t.Errorf("unknown segment: %v", err)
	}
}

func TestCachedTenantCannotBeChangedThroughAResult(t *testing.T) {
	store := gormstoretest.SQLite(t)
	ctx := context.Background()
	tenant := &storage.Tenant{ID: uuid.NewString(), DisplayName: "Contoso"}
	if err := store.CreateTenant(ctx, tenant, nil); err != nil {
		t.Fatal(err)
	}
	r := tenancy.Resolver{Store: store, Cache: &tenancy.Cache{TTL: time.Minute}}
	first, err := r.Resolve(ctx, tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	first.DisplayName = "changed by a caller"
	if again, _ := r.Resolve(ctx, tenant.ID); again.DisplayName != "Contoso" {
		t.Errorf("cache entry was mutated through a returned pointer: %q", again.DisplayName)
	}
}
