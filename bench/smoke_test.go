package bench

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestEveryBenchmarkedPathSucceedsOnce runs one iteration of each benchmarked
// path, so `go test ./bench/` (without -bench) catches a path that no longer
// works before anyone reads a figure off it.
func TestEveryBenchmarkedPathSucceedsOnce(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			tg := newTarget(t, backend.Open(t))
			ctx := context.Background()
			token, err := tg.clientCredentialsToken(ctx)
			if err != nil {
				t.Fatalf("client_credentials: %v", err)
			}
			verifier := tg.accessTokenVerifier()
			paths := []struct {
				name string
				run  func(ctx context.Context) error
			}{
				{"introspection answers active for a fresh token", func(ctx context.Context) error { return tg.introspect(ctx, token) }},
				{"JWKS endpoint serves a key", tg.getKeys},
				{"go-oidc validates the token against the JWKS", func(ctx context.Context) error {
					_, err := verifier.Verify(ctx, token)
					return err
				}},
				{"browser sign-in with PKCE, code exchange and refresh", tg.signIn},
			}
			for _, p := range paths {
				if err := p.run(ctx); err != nil {
					t.Errorf("%s: %v", p.name, err)
				}
			}
		})
	}
}

// TestClientCredentialsTokenIsAnAppOnlyJWT checks that the benchmark measures
// what the targets name: a signed JWT access token (RFC 9068) for the app.
func TestClientCredentialsTokenIsAnAppOnlyJWT(t *testing.T) {
	tg := newTarget(t, gormstoretest.SQLite(t))
	ctx := context.Background()
	token, err := tg.clientCredentialsToken(ctx)
	if err != nil {
		t.Fatalf("client_credentials: %v", err)
	}
	if strings.Count(token, ".") != 2 {
		t.Fatalf("access token is not a compact JWS")
	}
	idToken, err := tg.accessTokenVerifier().Verify(ctx, token)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var claims struct {
		IDType string `json:"idtyp"`
		TID    string `json:"tid"`
	}
	if err := idToken.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if idToken.Subject != tg.env.Web.ID || claims.IDType != "app" || claims.TID != tg.env.Tenant.ID {
		t.Errorf("sub %q idtyp %q tid %q: want the app, \"app\" and the tenant", idToken.Subject, claims.IDType, claims.TID)
	}
}

// TestRefusedRequestsAreErrors checks that the harness fails on a non-200
// answer instead of counting it as an operation.
func TestRefusedRequestsAreErrors(t *testing.T) {
	tg := newTarget(t, gormstoretest.SQLite(t))
	ctx := context.Background()
	cases := map[string]func() error{
		"a GET of the token endpoint (405)": func() error {
			_, err := tg.get(ctx, "/oauth2/v2.0/token")
			return err
		},
		"a token request with an unknown grant (400)": func() error {
			_, err := tg.postClient(ctx, "/oauth2/v2.0/token", url.Values{"grant_type": {"password"}})
			return err
		},
		"introspection of a made-up token (active=false)": func() error {
			return tg.introspect(ctx, "not-a-token")
		},
	}
	for name, run := range cases {
		if run() == nil {
			t.Errorf("%s was counted as a success", name)
		}
	}
}
