package apiauth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func TestKeySetRefreshesOnUnknownKidAtMostOncePerInterval(t *testing.T) {
	t.Parallel()
	var (
		mu      sync.Mutex
		kids    = []string{"k1"}
		fetches atomic.Int32
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		mu.Lock()
		defer mu.Unlock()
		var set jose.JSONWebKeySet
		for _, kid := range kids {
			k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.PublicKey, KeyID: kid, Algorithm: "ES256", Use: "sig"})
		}
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(srv.Close)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ks := &keySet{url: srv.URL, client: srv.Client(), minRefresh: 10 * time.Second, now: func() time.Time { return now }}
	ctx := context.Background()
	if _, err := ks.key(ctx, "k1"); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.key(ctx, "k1"); err != nil || fetches.Load() != 1 {
		t.Fatalf("a cached kid fetched again: %d fetches, %v", fetches.Load(), err)
	}
	mu.Lock()
	kids = append(kids, "k2") // the issuer rotates
	mu.Unlock()
	if _, err := ks.key(ctx, "k2"); err == nil || fetches.Load() != 1 {
		t.Fatalf("within the minimum interval: %d fetches, err %v; want no fetch and an error", fetches.Load(), err)
	}
	now = now.Add(11 * time.Second)
	if _, err := ks.key(ctx, "k2"); err != nil || fetches.Load() != 2 {
		t.Fatalf("after the interval the rotated key was not fetched: %d fetches, %v", fetches.Load(), err)
	}
}

func TestNewRefusesSymmetricAlgorithms(t *testing.T) {
	t.Parallel()
	_, err := New(context.Background(), Config{Issuer: "https://x/t/v2.0", Audience: "a", Algorithms: []jose.SignatureAlgorithm{jose.HS256}})
	if err == nil {
		t.Error("HS256 was accepted as an allowed algorithm")
	}
}
