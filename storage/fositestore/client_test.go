package fositestore_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/fositestore"
)

var clientNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func digestOf(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

func newTestClient(t *testing.T, app *storage.Application) *fositestore.Client {
	t.Helper()
	c, err := fositestore.NewClient(app, clientNow)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func TestClientSecrets(t *testing.T) {
	t.Parallel()
	expired := clientNow.Add(-time.Minute)
	later := clientNow.Add(time.Hour)
	app := &storage.Application{ID: "app", Secrets: []storage.ClientSecret{
		{ID: "old", Digest: digestOf("old"), CreatedAt: clientNow.Add(-48 * time.Hour), ExpiresAt: &later},
		{ID: "newest", Digest: digestOf("newest"), CreatedAt: clientNow.Add(-time.Hour)},
		{ID: "expired", Digest: digestOf("expired"), CreatedAt: clientNow.Add(-time.Minute), ExpiresAt: &expired},
		{ID: "middle", Digest: digestOf("middle"), CreatedAt: clientNow.Add(-24 * time.Hour)},
	}}
	c := newTestClient(t, app)

	if got := c.GetHashedSecret(); string(got) != string(digestOf("newest")) {
		t.Fatalf("GetHashedSecret is not the newest unexpired secret's digest")
	}
	rotated := c.GetRotatedHashes()
	want := [][]byte{digestOf("middle"), digestOf("old")}
	if !slices.EqualFunc(rotated, want, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Fatalf("GetRotatedHashes returned %d hashes in the wrong order or with an expired one", len(rotated))
	}

	none := newTestClient(t, &storage.Application{ID: "public", Public: true})
	if none.GetHashedSecret() != nil || none.GetRotatedHashes() != nil {
		t.Fatalf("a client without secrets must offer no hashes")
	}
}

func TestClientDefaults(t *testing.T) {
	t.Parallel()
	web := &storage.Application{ID: "web", RedirectURIs: []string{"https://app.example/cb"}}
	spa := &storage.Application{ID: "spa", Public: true, RedirectURIs: []string{"https://spa.example/cb"}}
	daemon := &storage.Application{ID: "daemon"}
	explicit := &storage.Application{ID: "x", GrantTypes: []string{"client_credentials"},
		TokenEndpointAuthMethod: storage.AuthMethodPrivateKeyJWT, RedirectURIs: []string{"https://x.example/cb"}}

	tests := []struct {
		name       string
		app        *storage.Application
		grants     fosite.Arguments
		authMethod string
	}{
		{"gives a confidential web app code, refresh and client credentials", web,
			fosite.Arguments{"authorization_code", "refresh_token", "client_credentials"}, "client_secret_basic"},
		{"gives a public app code and refresh without client credentials", spa,
			fosite.Arguments{"authorization_code", "refresh_token"}, "none"},
		{"gives a confidential app without redirect URIs only client credentials", daemon,
			fosite.Arguments{"client_credentials"}, "client_secret_basic"},
		{"keeps registered grant types and auth method", explicit,
			fosite.Arguments{"client_credentials"}, "private_key_jwt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, tc.app)
			if got := c.GetGrantTypes(); !slices.Equal(got, tc.grants) {
				t.Errorf("GetGrantTypes = %v, want %v", got, tc.grants)
			}
			if got := c.GetTokenEndpointAuthMethod(); got != tc.authMethod {
				t.Errorf("GetTokenEndpointAuthMethod = %q, want %q", got, tc.authMethod)
			}
			if got := c.GetResponseTypes(); !slices.Equal(got, fosite.Arguments{"code"}) {
				t.Errorf("GetResponseTypes = %v, want [code]", got)
			}
			if got := c.GetAudience(); !slices.Equal(got, fosite.Arguments{tc.app.ID, storage.AdminResourceID}) {
				t.Errorf("GetAudience = %v, want [%s %s]", got, tc.app.ID, storage.AdminResourceID)
			}
			modes := c.GetResponseModes()
			if !slices.Contains(modes, fosite.ResponseModeFormPost) || slices.Contains(modes, fosite.ResponseModeFragment) {
				t.Errorf("GetResponseModes = %v, want query and form_post only", modes)
			}
		})
	}
}

func jwksOf(t *testing.T, keys ...jose.JSONWebKey) string {
	t.Helper()
	raw, err := json.Marshal(jose.JSONWebKeySet{Keys: keys})
	if err != nil {
		t.Fatalf("marshal JWKS: %v", err)
	}
	return string(raw)
}

func publicKey(t *testing.T, generate func() (crypto.Signer, error)) crypto.PublicKey {
	t.Helper()
	k, err := generate()
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	return k.Public()
}

func TestClientJSONWebKeys(t *testing.T) {
	t.Parallel()
	ec := func(curve elliptic.Curve) func() (crypto.Signer, error) {
		return func() (crypto.Signer, error) { return ecdsa.GenerateKey(curve, rand.Reader) }
	}
	rsaKey := func() (crypto.Signer, error) { return rsa.GenerateKey(rand.Reader, 2048) }

	tests := []struct {
		name string
		jwks string
		alg  string
		keys int
	}{
		{"has no keys and expects ES256 when none are registered", "", "ES256", 0},
		{"expects ES256 for a P-256 key", jwksOf(t, jose.JSONWebKey{Key: publicKey(t, ec(elliptic.P256())), KeyID: "a"}), "ES256", 1},
		{"expects ES384 for a P-384 key", jwksOf(t, jose.JSONWebKey{Key: publicKey(t, ec(elliptic.P384())), KeyID: "b"}), "ES384", 1},
		{"expects RS256 for an RSA key", jwksOf(t, jose.JSONWebKey{Key: publicKey(t, rsaKey), KeyID: "c"}), "RS256", 1},
		{"expects the alg the first key declares", jwksOf(t,
			jose.JSONWebKey{Key: publicKey(t, rsaKey), KeyID: "d", Algorithm: "PS256"},
			jose.JSONWebKey{Key: publicKey(t, ec(elliptic.P256())), KeyID: "e"}), "PS256", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, &storage.Application{ID: "jwt-client", JWKS: tc.jwks})
			if got := c.GetTokenEndpointAuthSigningAlgorithm(); got != tc.alg {
				t.Errorf("GetTokenEndpointAuthSigningAlgorithm = %q, want %q", got, tc.alg)
			}
			if got := c.GetRequestObjectSigningAlgorithm(); got != tc.alg {
				t.Errorf("GetRequestObjectSigningAlgorithm = %q, want %q (never empty: that admits unsigned objects)", got, tc.alg)
			}
			set := c.GetJSONWebKeys()
			if tc.keys == 0 && set != nil {
				t.Errorf("GetJSONWebKeys = %v, want nil", set)
			}
			if tc.keys > 0 && (set == nil || len(set.Keys) != tc.keys) {
				t.Errorf("GetJSONWebKeys does not hold the %d registered keys", tc.keys)
			}
		})
	}

	if _, err := fositestore.NewClient(&storage.Application{ID: "bad", JWKS: "{not json"}, clientNow); err == nil {
		t.Fatalf("NewClient accepted an unparsable JWKS")
	}
}
