package op_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	josev4 "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/storage"
)

// postForm posts to a tenant endpoint, optionally with HTTP Basic client auth.
func (f *fixture) postForm(path string, form url.Values, basicID, basicSecret string) (int, map[string]any) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/"+f.tenant.ID+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicID != "" {
		req.SetBasicAuth(url.QueryEscape(basicID), url.QueryEscape(basicSecret))
	}
	resp, err := f.srv.Client().Do(req)
	must(f.t, err)
	defer resp.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestClientCredentialsWithEachSecretMethod(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		grant := url.Values{"grant_type": {"client_credentials"}}
		status, body := f.postForm("/oauth2/v2.0/token", grant, f.web.ID, f.secret)
		if status != http.StatusOK {
			t.Fatalf("client_secret_basic: %d %v", status, body)
		}
		claims := verifyAccessToken(t, f, body["access_token"].(string), f.web.ID)
		if claims["idtyp"] != "app" || claims["sub"] != f.web.ID || claims["tid"] != f.tenant.ID {
			t.Errorf("app token claims = %v", claims)
		}
		postApp, postSecret := f.newApp(f.tenant.ID, false, "ES256")
		postApp.TokenEndpointAuthMethod = storage.AuthMethodClientSecretPost
		must(t, f.store.UpdateApplication(f.ctx, postApp))
		post := url.Values{"grant_type": {"client_credentials"}, "client_id": {postApp.ID}, "client_secret": {postSecret}}
		if status, body := f.postForm("/oauth2/v2.0/token", post, "", ""); status != http.StatusOK {
			t.Errorf("client_secret_post: %d %v", status, body)
		}
		// Each app authenticates with the method it registered (RFC 7591 token_endpoint_auth_method).
		if status, body := f.postForm("/oauth2/v2.0/token", grant, postApp.ID, postSecret); status != http.StatusUnauthorized {
			t.Errorf("basic auth for a client_secret_post app: %d %v, want 401", status, body)
		}
	})
}

func TestTokenEndpointRefusesBadClientsAndLegacyGrants(t *testing.T) {
	f := newFixture(t, sqlite)
	other, otherSecret := f.newApp(f.otherTenant(), false, "ES256")
	for name, tc := range map[string]struct {
		form         url.Values
		id, secret   string
		status       int
		wantErrorOne string
	}{
		"wrong secret":                 {url.Values{"grant_type": {"client_credentials"}}, f.web.ID, f.secret + "x", 401, "invalid_client"},
		"unknown client":               {url.Values{"grant_type": {"client_credentials"}}, uuid.NewString(), "whatever", 401, "invalid_client"},
		"client of another tenant":     {url.Values{"grant_type": {"client_credentials"}}, other.ID, otherSecret, 401, "invalid_client"},
		"public client credentials":    {url.Values{"grant_type": {"client_credentials"}, "client_id": {f.spa.ID}}, "", "", 400, "invalid_grant"},
		"password grant (legacy auth)": {url.Values{"grant_type": {"password"}, "username": {f.user.UserPrincipalName}, "password": {"x"}}, f.web.ID, f.secret, 400, "invalid_request"},
		"unknown grant type":           {url.Values{"grant_type": {"urn:example:bogus"}}, f.web.ID, f.secret, 400, "invalid_request"},
		"code that was never issued":   {url.Values{"grant_type": {"authorization_code"}, "code": {"bogus.code"}, "redirect_uri": {rpCallback}}, f.web.ID, f.secret, 400, "invalid_grant"},
		"refresh token never issued":   {url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"bogus.token"}}, f.web.ID, f.secret, 400, "invalid_grant"},
	} {
		t.Run(name, func(t *testing.T) {
			status, body := f.postForm("/oauth2/v2.0/token", tc.form, tc.id, tc.secret)
			if status != tc.status || body["error"] != tc.wantErrorOne || body["access_token"] != nil {
				t.Errorf("status %d body %v, want %d %s", status, body, tc.status, tc.wantErrorOne)
			}
		})
	}
}

func TestPrivateKeyJWTClientAuthenticationAndReplay(t *testing.T) {
	f := newFixture(t, sqlite)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	jwks, err := json.Marshal(josev4.JSONWebKeySet{Keys: []josev4.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
	must(t, err)
	app, _ := f.newApp(f.tenant.ID, false, "ES256")
	app.TokenEndpointAuthMethod, app.JWKS, app.Secrets = storage.AuthMethodPrivateKeyJWT, string(jwks), nil
	must(t, f.store.UpdateApplication(f.ctx, app))

	assertion := func(jti string) string {
		signer, err := josev4.NewSigner(josev4.SigningKey{Algorithm: josev4.ES256, Key: key}, (&josev4.SignerOptions{}).WithHeader("kid", "k1"))
		must(t, err)
		now := time.Now()
		raw, err := josejwt.Signed(signer).Claims(josejwt.Claims{
			Issuer: app.ID, Subject: app.ID, ID: jti, Audience: josejwt.Audience{f.srv.URL + "/" + f.tenant.ID + "/oauth2/v2.0/token"},
			IssuedAt: josejwt.NewNumericDate(now), Expiry: josejwt.NewNumericDate(now.Add(5 * time.Minute)),
		}).Serialize()
		must(t, err)
		return raw
	}
	form := func(a string) url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ID},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {a}}
	}
	a := assertion(uuid.NewString())
	if status, body := f.postForm("/oauth2/v2.0/token", form(a), "", ""); status != http.StatusOK {
		t.Fatalf("private_key_jwt: %d %v", status, body)
	}
	if status, body := f.postForm("/oauth2/v2.0/token", form(a), "", ""); status != http.StatusBadRequest || body["error"] != "jti_known" {
		t.Errorf("replayed assertion: %d %v, want 400 jti_known (RFC 7523 §3: a jti is used once)", status, body)
	}
	status, body := f.postForm("/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ID}, "client_secret": {"guess"}}, "", "")
	if status != http.StatusUnauthorized {
		t.Errorf("secret for a private_key_jwt client: %d %v", status, body)
	}
}

func TestIntrospectionNeedsAnAuthenticatedConfidentialClient(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		tok := f.signInWithCode(f.oauth2Config(f.web, f.secret), "nonce-introspect")
		form := url.Values{"token": {tok.AccessToken}}
		status, body := f.postForm("/oauth2/v2.0/introspect", form, f.web.ID, f.secret)
		if status != http.StatusOK || body["active"] != true || body["client_id"] != f.web.ID || body["scope"] != "openid profile email offline_access" {
			t.Fatalf("introspection: %d %v", status, body)
		}
		if status, body := f.postForm("/oauth2/v2.0/introspect", url.Values{"token": {tok.RefreshToken}}, f.web.ID, f.secret); status != http.StatusOK || body["active"] != true || body["token_type"] != "refresh_token" {
			t.Errorf("refresh token: %d %v", status, body)
		}
		for name, c := range map[string][2]string{"wrong secret": {f.web.ID, "nope"}, "no credentials": {"", ""}} {
			if status, body := f.postForm("/oauth2/v2.0/introspect", form, c[0], c[1]); status != http.StatusUnauthorized || body["active"] == true {
				t.Errorf("%s: %d %v, want 401", name, status, body)
			}
		}
		spa := url.Values{"token": {tok.AccessToken}, "client_id": {f.spa.ID}}
		if status, _ := f.postForm("/oauth2/v2.0/introspect", spa, "", ""); status != http.StatusUnauthorized {
			t.Errorf("public client introspected: %d", status)
		}
	})
}

func TestRevocationEndsTheGrant(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		tok := f.signInWithCode(f.oauth2Config(f.web, f.secret), "nonce-revoke")
		if status, _ := f.postForm("/oauth2/v2.0/revoke", url.Values{"token": {tok.RefreshToken}}, f.web.ID, f.secret); status != http.StatusOK {
			t.Fatalf("revoke: %d", status)
		}
		for _, token := range []string{tok.RefreshToken, tok.AccessToken} {
			if introspect(t, f, token)["active"] != false {
				t.Errorf("token still active after revoking the refresh token")
			}
		}
	})
}

func TestKeyRotationKeepsEarlierTokensVerifiable(t *testing.T) {
	f := newFixture(t, sqlite)
	conf := f.oauth2Config(f.web, f.secret)
	before := f.signInWithCode(conf, "nonce-before")
	_, err := f.keys.Rotate(f.ctx, f.tenant.ID)
	must(t, err)
	f.keys.Invalidate(f.tenant.ID)
	after := f.signInWithCode(conf, "nonce-after")
	if jwtHeader(t, before.AccessToken)["kid"] == jwtHeader(t, after.AccessToken)["kid"] {
		t.Error("rotation did not change the signing key")
	}
	verifyAccessToken(t, f, before.AccessToken, f.web.ID)
	verifyAccessToken(t, f, after.AccessToken, f.web.ID)
}
