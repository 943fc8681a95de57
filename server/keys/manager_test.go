package keys

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func TestEnsureTenantKeysIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		m := newTestManager(t, s, newTestClock())
		mustEnsure(t, m, tenant)
		first, _ := s.ListSigningKeys(ctx, tenant)
		mustEnsure(t, m, tenant)
		second, _ := s.ListSigningKeys(ctx, tenant)
		if !slices.Equal(kids(first), kids(second)) {
			t.Fatalf("second ensure changed the keys: %v → %v", kids(first), kids(second))
		}
		for _, alg := range Algorithms {
			ks := keysOf(t, s, tenant, alg)
			if len(ks.active) != 1 || len(ks.next) != 1 || len(ks.retired) != 0 {
				t.Fatalf("%s: %d active, %d next, %d retired; want 1, 1, 0", alg, len(ks.active), len(ks.next), len(ks.retired))
			}
		}
	})
}

func TestEnsureTenantKeysRepairsSurplusKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		clock := newTestClock()
		m := newTestManager(t, s, clock)
		mustEnsure(t, m, tenant)
		clock.Advance(time.Minute)
		for _, state := range []string{storage.KeyStateActive, storage.KeyStateNext} {
			if _, err := m.createKey(ctx, tenant, ES256, state, clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		mustEnsure(t, m, tenant)
		ks := keysOf(t, s, tenant, ES256)
		if len(ks.active) != 1 || len(ks.next) != 1 || len(ks.retired) != 1 {
			t.Fatalf("after repair: %d active, %d next, %d retired; want 1, 1, 1", len(ks.active), len(ks.next), len(ks.retired))
		}
		if !ks.active[0].ActivatedAt.Equal(clock.Now()) {
			t.Fatal("repair did not keep the most recently activated key")
		}
	})
}

func TestEnsureTenantKeysPromotesANextKeyWhenNoneIsActive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		m := newTestManager(t, s, newTestClock())
		if _, err := m.createKey(ctx, tenant, ES256, storage.KeyStateNext, m.now()); err != nil {
			t.Fatal(err)
		}
		published := keysOf(t, s, tenant, ES256).next[0].ID
		mustEnsure(t, m, tenant)
		if ks := keysOf(t, s, tenant, ES256); ks.active[0].ID != published || len(ks.next) != 1 {
			t.Fatalf("active %s, %d next; want the published key %s active and a new next", ks.active[0].ID, len(ks.next), published)
		}
	})
}

func TestRotate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		clock := newTestClock()
		m := newTestManager(t, s, clock)
		mustEnsure(t, m, tenant)
		before := keysOf(t, s, tenant, ES256)
		oldActive, oldNext := before.active[0].ID, before.next[0].ID

		clock.Advance(time.Hour)
		result, err := m.Rotate(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		es := rotationOf(t, result, ES256)
		if es.Activated != oldNext || !slices.Equal(es.Retired, []string{oldActive}) || es.Next == "" || len(es.Deleted) != 0 {
			t.Fatalf("rotation result %+v; want %s activated, %s retired, a new next, nothing deleted", es, oldNext, oldActive)
		}
		signer, err := m.Signer(ctx, tenant, ES256)
		if err != nil || signer.ID != oldNext {
			t.Fatalf("Signer = %v, %v; want the previous next key %s", signer, err, oldNext)
		}
		assertPublished(t, m, tenant, map[string]bool{oldActive: true, oldNext: true, es.Next: true})

		clock.Advance(DefaultRetainRetiredFor - time.Minute)
		if r, _ := m.Rotate(ctx, tenant); len(rotationOf(t, r, ES256).Deleted) != 0 {
			t.Fatalf("a retired key inside its retention window was deleted: %+v", r)
		}
		assertPublished(t, m, tenant, map[string]bool{oldActive: true, oldNext: true})

		clock.Advance(time.Minute)
		assertPublished(t, m, tenant, map[string]bool{oldActive: false})
		result, err = m.Rotate(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		if es := rotationOf(t, result, ES256); !slices.Contains(es.Deleted, oldActive) {
			t.Fatalf("rotation after the retention window did not delete %s: %+v", oldActive, es)
		}
		if slices.Contains(kids(keysOf(t, s, tenant, ES256).retired), oldActive) {
			t.Fatal("the expired retired key is still stored")
		}
	})
}

func TestRotateWithoutANextKeyActivatesAFreshKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		m := newTestManager(t, s, newTestClock())
		result, err := m.Rotate(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range result.Algorithms {
			if r.Activated == "" || r.Next == "" || r.Activated == r.Next {
				t.Fatalf("%s: rotation of an empty tenant = %+v; want a new active and a new next key", r.Algorithm, r)
			}
			if key, err := m.Signer(ctx, tenant, r.Algorithm); err != nil || key.ID != r.Activated {
				t.Fatalf("Signer(%s) = %v, %v", r.Algorithm, key, err)
			}
		}
	})
}

func rotationOf(t *testing.T, result RotationResult, alg string) AlgorithmRotation {
	t.Helper()
	i := slices.IndexFunc(result.Algorithms, func(r AlgorithmRotation) bool { return r.Algorithm == alg })
	if i < 0 {
		t.Fatalf("rotation result has no %s entry: %+v", alg, result)
	}
	return result.Algorithms[i]
}

// assertPublished checks, for each kid, whether the tenant's JWKS lists it.
func assertPublished(t *testing.T, m *Manager, tenant string, want map[string]bool) {
	t.Helper()
	m.Invalidate(tenant)
	set, err := m.JWKS(context.Background(), tenant)
	if err != nil {
		t.Fatal(err)
	}
	for kid, published := range want {
		if got := len(set.Key(kid)) == 1; got != published {
			t.Errorf("JWKS lists %s: %v; want %v", kid, got, published)
		}
	}
}

func TestPrivateKeysAreEncryptedAtRest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		m := newTestManager(t, s, newTestClock())
		mustEnsure(t, m, tenant)
		for _, alg := range Algorithms {
			key, err := m.Signer(ctx, tenant, alg)
			if err != nil {
				t.Fatal(err)
			}
			pkcs8, _ := x509.MarshalPKCS8PrivateKey(key.Private)
			secret := privateScalar(key)
			stored := keysOf(t, s, tenant, alg).active[0]
			if stored.PrivateKeyCiphertext[0] != sealVersion1 {
				t.Errorf("%s: ciphertext does not start with the format version", alg)
			}
			if bytes.Contains(stored.PrivateKeyCiphertext, pkcs8) || bytes.Contains(stored.PrivateKeyCiphertext, secret) {
				t.Errorf("%s: stored ciphertext contains the private key in clear", alg)
			}
			if bytes.Contains(stored.PublicJWK, []byte(`"d"`)) {
				t.Errorf("%s: stored public JWK carries a private parameter", alg)
			}
		}
	})
}

func privateScalar(k *SigningKey) []byte {
	switch p := k.Private.(type) {
	case *ecdsa.PrivateKey:
		b, _ := p.Bytes()
		return b
	case *rsa.PrivateKey:
		return p.D.Bytes()
	}
	return nil
}

func TestMasterSecrets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		clock := newTestClock()
		oldMaster, newMaster := master(1), master(2)
		original := newTestManager(t, s, clock, oldMaster)
		mustEnsure(t, original, tenant)
		want, _ := original.Signer(ctx, tenant, ES256)

		wrong := newTestManager(t, s, clock, newMaster)
		if _, err := wrong.Signer(ctx, tenant, ES256); !errors.Is(err, ErrKeyDecryption) {
			t.Fatalf("Signer under a wrong master: %v; want ErrKeyDecryption", err)
		}
		if set, err := wrong.JWKS(ctx, tenant); err != nil || len(set.Keys) != 4 {
			t.Fatalf("JWKS under a wrong master = %d keys, %v; public keys need no master", len(set.Keys), err)
		}

		rotating := newTestManager(t, s, clock, newMaster, oldMaster)
		if got, err := rotating.Signer(ctx, tenant, ES256); err != nil || got.ID != want.ID {
			t.Fatalf("Signer with the previous master configured = %v, %v; want %s", got, err, want.ID)
		}
		for range 2 {
			if _, err := rotating.Rotate(ctx, tenant); err != nil {
				t.Fatal(err)
			}
		}
		wrong.Invalidate(tenant)
		if _, err := wrong.Signer(ctx, tenant, ES256); err != nil {
			t.Fatalf("after two rotations the new master alone cannot sign: %v", err)
		}
	})
}
