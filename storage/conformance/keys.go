package conformance

import (
	"bytes"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("signing_keys", testSigningKeys) }

func testSigningKeys(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates keys and lists them newest first", keyListNewestFirst},
		{"rejects a kid already used", keyDuplicateID},
		{"moves a key through its states", keyRotate},
		{"keeps each tenant's keys to itself (A-02)", keyTenantIsolation},
		{"deletes a key", keyDelete},
	})
}

func newKey(tenantID string, createdAt time.Time) *storage.SigningKey {
	return &storage.SigningKey{
		ID: newID(), TenantID: tenantID, Algorithm: "ES256", State: storage.KeyStateNext,
		PrivateKeyCiphertext: []byte("sealed-private-key"), PublicJWK: []byte(`{"kty":"EC"}`),
		CreatedAt: createdAt,
	}
}

func keyListNewestFirst(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	base := time.Now().In(farOffZone)
	old, mid, fresh := newKey(tenant.ID, base.Add(-2*time.Hour)), newKey(tenant.ID, base.Add(-time.Hour)), newKey(tenant.ID, base)
	for _, k := range []*storage.SigningKey{mid, fresh, old} {
		mustNil(t, s.CreateSigningKey(ctx, k), "CreateSigningKey")
	}
	keys, err := s.ListSigningKeys(ctx, tenant.ID)
	mustNil(t, err, "ListSigningKeys")
	if len(keys) != 3 {
		t.Fatalf("got %d keys, want 3", len(keys))
	}
	for i, want := range []*storage.SigningKey{fresh, mid, old} {
		got := keys[i]
		if got.ID != want.ID || got.Algorithm != want.Algorithm || got.State != want.State ||
			!bytes.Equal(got.PrivateKeyCiphertext, want.PrivateKeyCiphertext) || !bytes.Equal(got.PublicJWK, want.PublicJWK) ||
			got.ActivatedAt != nil || got.RetiredAt != nil {
			t.Errorf("key %d: got %+v, want %+v", i, got, want)
		}
		sameTime(t, got.CreatedAt, want.CreatedAt, "CreatedAt")
	}
}

func keyDuplicateID(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	k := newKey(tenant.ID, time.Now())
	mustNil(t, s.CreateSigningKey(ctxFor(t), k), "CreateSigningKey")
	dup := newKey(tenant.ID, time.Now())
	dup.ID = k.ID
	mustIs(t, s.CreateSigningKey(ctxFor(t), dup), storage.ErrAlreadyExists, "CreateSigningKey with a taken kid")
}

func keyRotate(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	k := newKey(tenant.ID, time.Now())
	mustNil(t, s.CreateSigningKey(ctx, k), "CreateSigningKey")
	activated := time.Now().In(farOffZone)
	k.State, k.ActivatedAt = storage.KeyStateActive, &activated
	mustNil(t, s.UpdateSigningKey(ctx, k), "UpdateSigningKey to active")
	retired := activated.Add(time.Hour)
	k.State, k.RetiredAt = storage.KeyStateRetired, &retired
	mustNil(t, s.UpdateSigningKey(ctx, k), "UpdateSigningKey to retired")
	keys, err := s.ListSigningKeys(ctx, tenant.ID)
	mustNil(t, err, "ListSigningKeys")
	if len(keys) != 1 || keys[0].State != storage.KeyStateRetired || keys[0].ActivatedAt == nil || keys[0].RetiredAt == nil {
		t.Fatalf("after rotation got %+v", keys)
	}
	sameTime(t, *keys[0].ActivatedAt, activated, "ActivatedAt")
	sameTime(t, *keys[0].RetiredAt, retired, "RetiredAt")
}

func keyTenantIsolation(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a := seedTenant(t, s, "alpha")
	b := seedTenant(t, s, "beta")
	k := newKey(a.ID, time.Now())
	mustNil(t, s.CreateSigningKey(ctx, k), "CreateSigningKey")
	keys, err := s.ListSigningKeys(ctx, b.ID)
	mustNil(t, err, "ListSigningKeys(B)")
	if len(keys) != 0 {
		t.Errorf("tenant B sees %d keys of tenant A", len(keys))
	}
	hijack := *k
	hijack.TenantID, hijack.State = b.ID, storage.KeyStateRetired
	mustIs(t, s.UpdateSigningKey(ctx, &hijack), storage.ErrNotFound, "UpdateSigningKey through tenant B")
	mustIs(t, s.DeleteSigningKey(ctx, b.ID, k.ID), storage.ErrNotFound, "DeleteSigningKey through tenant B")
}

func keyDelete(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	k := newKey(tenant.ID, time.Now())
	mustNil(t, s.CreateSigningKey(ctx, k), "CreateSigningKey")
	mustNil(t, s.DeleteSigningKey(ctx, tenant.ID, k.ID), "DeleteSigningKey")
	keys, err := s.ListSigningKeys(ctx, tenant.ID)
	mustNil(t, err, "ListSigningKeys")
	if len(keys) != 0 {
		t.Errorf("deleted key still listed: %+v", keys)
	}
	mustIs(t, s.DeleteSigningKey(ctx, tenant.ID, k.ID), storage.ErrNotFound, "DeleteSigningKey twice")
}
