package apiauth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/apiauth"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// fixture is a running Sigil with a signed-in user's tokens for the web app.
type fixture struct {
	env     *servertest.Env
	access  string
	idToken string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	conf := env.OAuth2(env.Web, env.WebSecret)
	verifier := oauth2.GenerateVerifier()
	q, err := env.NewBrowser().SignIn(conf.AuthCodeURL("state-api-1", oauth2.S256ChallengeOption(verifier)), env.User.UserPrincipalName, servertest.Password)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := conf.Exchange(env.ClientContext(context.Background()), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	id, _ := tok.Extra("id_token").(string)
	return &fixture{env: env, access: tok.AccessToken, idToken: id}
}

func (f *fixture) validator(t *testing.T, cfg apiauth.Config) *apiauth.Validator {
	t.Helper()
	if cfg.Issuer == "" {
		cfg.Issuer = f.env.Issuer
	}
	if cfg.Audience == "" {
		cfg.Audience = f.env.Web.ID
	}
	cfg.HTTPClient = f.env.Server.Client()
	v, err := apiauth.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestValidateSigilAccessTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	c, err := f.validator(t, apiauth.Config{}).Validate(ctx, f.access)
	if err != nil {
		t.Fatalf("a fresh access token was refused: %v", err)
	}
	if c.ObjectID != f.env.User.ID || c.TenantID != f.env.Tenant.ID || c.ClientID != f.env.Web.ID || c.AuthTime.IsZero() {
		t.Errorf("claims %+v do not describe the signed-in user and app", c)
	}
	if c.ACR != apiauth.ACRSingleFactor {
		t.Errorf("acr of a password sign-in = %q, want %q", c.ACR, apiauth.ACRSingleFactor)
	}

	jwksURL := f.env.Server.URL + "/" + f.env.Tenant.ID + "/discovery/v2.0/keys"
	kid := headerKID(t, f.access)
	cases := []struct {
		name  string
		cfg   apiauth.Config
		token string
	}{
		{"refuses an expired token", apiauth.Config{Now: func() time.Time { return time.Now().Add(2 * time.Hour) }}, f.access},
		{"refuses a token not yet valid", apiauth.Config{Now: func() time.Time { return time.Now().Add(-time.Hour) }}, f.access},
		{"refuses a token for another audience", apiauth.Config{Audience: "api://payroll"}, f.access},
		{"refuses a token of another issuer", apiauth.Config{Issuer: "https://elsewhere.example/t/v2.0", JWKSURL: jwksURL}, f.access},
		{"refuses a token signed by another key under the right kid", apiauth.Config{}, forge(t, f, kid, jose.ES256)},
		{"refuses a token whose kid the issuer never published", apiauth.Config{}, forge(t, f, "unknown-kid", jose.ES256)},
		{"refuses an HMAC-signed token (alg allow-list)", apiauth.Config{}, forge(t, f, kid, jose.HS256)},
		{"refuses an ID token as an access token (typ)", apiauth.Config{}, f.idToken},
		{"refuses garbage", apiauth.Config{}, "not.a.jwt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := f.validator(t, tc.cfg).Validate(ctx, tc.token)
			if !errors.Is(err, apiauth.ErrInvalidToken) {
				t.Errorf("Validate = %v, want ErrInvalidToken", err)
			}
		})
	}
	t.Run("a tenant's discovery is not another tenant's", func(t *testing.T) {
		t.Parallel()
		other, err := f.env.Directory.CreateTenant(ctx, directory.NewTenant{DisplayName: "Fabrikam", Domain: "fabrikam-api.test"})
		if err != nil {
			t.Fatal(err)
		}
		v := f.validator(t, apiauth.Config{Issuer: f.env.Server.URL + "/" + other.ID + "/v2.0"})
		if _, err := v.Validate(ctx, f.access); !errors.Is(err, apiauth.ErrInvalidToken) {
			t.Errorf("another tenant's validator accepted the token: %v", err)
		}
	})
}

func TestChallenges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	v := f.validator(t, apiauth.Config{})
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello " + apiauth.FromContext(r.Context()).ObjectID))
	})
	cases := []struct {
		name       string
		req        apiauth.Requirement
		token      string
		wantStatus int
		wantHeader []string
	}{
		{"lets a valid token with the scopes through", apiauth.Requirement{Scopes: []string{"openid", "email"}}, f.access, 200, nil},
		{"asks for a token when there is none (RFC 6750 §3)", apiauth.Requirement{}, "", 401, []string{`Bearer realm="api"`}},
		{"answers invalid_token for a bad token", apiauth.Requirement{}, "abc", 401, []string{`error="invalid_token"`}},
		{"answers insufficient_scope with the scope", apiauth.Requirement{Scopes: []string{"Files.Read"}}, f.access, 403,
			[]string{`error="insufficient_scope"`, `scope="Files.Read"`}},
		{"answers insufficient_scope for a missing app role", apiauth.Requirement{Roles: []string{"Payroll.Admin"}}, f.access, 403,
			[]string{`error="insufficient_scope"`}},
		{"asks for MFA with acr_values when the sign-in lacks it (RFC 9470)", apiauth.Requirement{ACRValues: apiauth.AtLeastMFA}, f.access, 401,
			[]string{`error="insufficient_user_authentication"`, `acr_values="` + strings.Join(apiauth.AtLeastMFA, " ") + `"`}},
		{"asks for a recent sign-in with max_age", apiauth.Requirement{MaxAge: time.Nanosecond}, f.access, 401,
			[]string{`error="insufficient_user_authentication"`, `max_age=0`}},
		{"accepts the single-factor acr when the API allows it", apiauth.Requirement{ACRValues: []string{apiauth.ACRSingleFactor}, MaxAge: time.Hour}, f.access, 200, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if tc.token != "" {
				r.Header.Set("Authorization", "Bearer "+tc.token)
			}
			w := httptest.NewRecorder()
			v.Require(tc.req, ok).ServeHTTP(w, r)
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d (WWW-Authenticate: %s)", w.Code, tc.wantStatus, w.Header().Get("WWW-Authenticate"))
			}
			got := w.Header().Get("WWW-Authenticate")
			for _, want := range tc.wantHeader {
				if !strings.Contains(got, want) {
					t.Errorf("WWW-Authenticate %q lacks %q", got, want)
				}
			}
			if tc.wantStatus == 200 && w.Body.String() != "hello "+f.env.User.ID {
				t.Errorf("body %q", w.Body.String())
			}
		})
	}
}

// headerKID returns the kid of a JWS.
func headerKID(t *testing.T, raw string) string {
	t.Helper()
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.ES256, jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Headers[0].KeyID
}

// forge signs the real token's claims with a key Sigil never had.
func forge(t *testing.T, f *fixture, kid string, alg jose.SignatureAlgorithm) string {
	t.Helper()
	tok, err := jwt.ParseSigned(f.access, []jose.SignatureAlgorithm{jose.ES256, jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := tok.UnsafeClaimsWithoutVerification(&claims); err != nil {
		t.Fatal(err)
	}
	var key any = []byte("a shared secret of thirty-two bytes!")
	if alg == jose.ES256 {
		if key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			t.Fatal(err)
		}
	}
	opts := (&jose.SignerOptions{}).WithType("at+jwt").WithHeader(jose.HeaderKey("kid"), kid)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestACRValuesAreSigils(t *testing.T) {
	t.Parallel()
	ours := append([]string{apiauth.ACRSingleFactor}, apiauth.AtLeastMFA...)
	if !slices.Equal(ours, mfa.ACRValues()) {
		t.Errorf("apiauth's acr values %q differ from the server's %q", ours, mfa.ACRValues())
	}
}
