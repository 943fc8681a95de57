package keys

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/sigil-idp/sigil/storage"
)

func TestJWKSPublishesActiveAndNextKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		m := newTestManager(t, s, newTestClock())
		mustEnsure(t, m, tenant)
		set, err := m.JWKS(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		if len(set.Keys) != 4 {
			t.Fatalf("JWKS has %d keys; want active and next for ES256 and RS256", len(set.Keys))
		}
		for _, k := range set.Keys {
			if k.KeyID == "" || !Supported(k.Algorithm) || k.Use != "sig" || !k.IsPublic() {
				t.Errorf("published key %q alg %q use %q public %v", k.KeyID, k.Algorithm, k.Use, k.IsPublic())
			}
		}
		for _, alg := range Algorithms {
			ks := keysOf(t, s, tenant, alg)
			if len(set.Key(ks.active[0].ID)) != 1 || len(set.Key(ks.next[0].ID)) != 1 {
				t.Errorf("%s: JWKS lacks the active or the next key", alg)
			}
		}
		raw, err := m.JWKSJSON(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		var decoded jose.JSONWebKeySet
		if err := json.Unmarshal(raw, &decoded); err != nil || len(decoded.Keys) != 4 {
			t.Fatalf("JWKSJSON decodes to %d keys, %v", len(decoded.Keys), err)
		}
	})
}

func TestSignaturesVerifyWithThePublishedKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		m := newTestManager(t, s, newTestClock())
		mustEnsure(t, m, tenant)
		for _, alg := range Algorithms {
			token := signWith(t, m, tenant, alg, "before rotation")
			if _, err := m.Rotate(ctx, tenant); err != nil {
				t.Fatal(err)
			}
			set, _ := m.JWKS(ctx, tenant)
			if got := verifyWith(t, set, alg, token); got != "before rotation" {
				t.Fatalf("%s: payload %q", alg, got)
			}
			after := signWith(t, m, tenant, alg, "after rotation")
			if got := verifyWith(t, set, alg, after); got != "after rotation" {
				t.Fatalf("%s: payload %q", alg, got)
			}
		}
	})
}

func signWith(t *testing.T, m *Manager, tenant, alg, payload string) string {
	t.Helper()
	key, err := m.Signer(context.Background(), tenant, alg)
	if err != nil {
		t.Fatal(err)
	}
	opts := (&jose.SignerOptions{}).WithHeader("kid", key.ID)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(key.Algorithm), Key: key.Private}, opts)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := signer.Sign([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	compact, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return compact
}

func verifyWith(t *testing.T, set jose.JSONWebKeySet, alg, token string) string {
	t.Helper()
	parsed, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
	if err != nil {
		t.Fatal(err)
	}
	kid := parsed.Signatures[0].Header.KeyID
	matches := set.Key(kid)
	if len(matches) != 1 {
		t.Fatalf("JWKS has %d keys with kid %q", len(matches), kid)
	}
	payload, err := parsed.Verify(matches[0])
	if err != nil {
		t.Fatalf("verify with published key %s: %v", kid, err)
	}
	return string(payload)
}

func TestPublicKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant, other := newTenant(t, s), newTenant(t, s)
		m := newTestManager(t, s, newTestClock())
		for _, id := range []string{tenant, other} {
			if err := m.EnsureTenantKeys(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		key, _ := m.Signer(ctx, tenant, RS256)
		pub, alg, err := m.PublicKey(ctx, tenant, key.ID)
		if err != nil || alg != RS256 {
			t.Fatalf("PublicKey = %v, %q, %v", pub, alg, err)
		}
		if _, _, err := m.PublicKey(ctx, other, key.ID); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("another tenant's kid: %v; want ErrUnknownKey", err)
		}
		if _, _, err := m.PublicKey(ctx, tenant, "made-up"); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("made-up kid: %v; want ErrUnknownKey", err)
		}
	})
}

func TestSignerErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		m := newTestManager(t, s, newTestClock())
		if _, err := m.Signer(ctx, newTenant(t, s), "HS256"); !errors.Is(err, ErrUnsupportedAlgorithm) {
			t.Fatalf("HS256: %v; want ErrUnsupportedAlgorithm", err)
		}
		if _, err := m.Signer(ctx, newTenant(t, s), ES256); !errors.Is(err, ErrNoActiveKey) {
			t.Fatalf("tenant without keys: %v; want ErrNoActiveKey", err)
		}
	})
}

func TestAReplicaSeesARotationWithinTheCacheTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		clock := newTestClock()
		rotator, replica := newTestManager(t, s, clock), newTestManager(t, s, clock)
		mustEnsure(t, rotator, tenant)
		before, _ := replica.Signer(ctx, tenant, ES256)
		result, err := rotator.Rotate(ctx, tenant)
		if err != nil {
			t.Fatal(err)
		}
		stale, _ := replica.Signer(ctx, tenant, ES256)
		if stale.ID != before.ID {
			t.Fatal("the replica reloaded before its cache expired")
		}
		if set, _ := rotator.JWKS(ctx, tenant); len(set.Key(stale.ID)) != 1 {
			t.Fatal("the key a stale replica signs with is not published")
		}
		clock.Advance(DefaultCacheTTL)
		fresh, _ := replica.Signer(ctx, tenant, ES256)
		if want := rotationOf(t, result, ES256).Activated; fresh.ID != want {
			t.Fatalf("after the cache TTL the replica signs with %s; want %s", fresh.ID, want)
		}
	})
}

func TestConcurrentLookupsDuringRotation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s storage.Storage) {
		tenant := newTenant(t, s)
		clock := newTestClock()
		m := newTestManager(t, s, clock)
		mustEnsure(t, m, tenant)
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for g := range 8 {
			wg.Go(func() {
				for i := range 40 {
					alg := Algorithms[(g+i)%2]
					key, err := m.Signer(ctx, tenant, alg)
					if err == nil && key.Algorithm != alg {
						err = errors.New("signer returned a key of another algorithm")
					}
					if err == nil {
						_, err = m.JWKSJSON(ctx, tenant)
					}
					if err != nil {
						errs <- err
						return
					}
					if i%10 == 0 {
						m.Invalidate(tenant)
					}
				}
			})
		}
		wg.Go(func() {
			for range 2 {
				clock.Advance(time.Second)
				if _, err := m.Rotate(ctx, tenant); err != nil {
					errs <- err
				}
			}
		})
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}
