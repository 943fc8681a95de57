package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestSignInEndToEnd walks the real pages with a cookie-jar browser, exchanges
// the code with golang.org/x/oauth2 (PKCE S256), verifies both tokens with
// coreos/go-oidc against the published JWKS, refreshes, introspects, revokes
// and signs out — on SQLite and on Postgres.
func TestSignInEndToEnd(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{})
			ctx := env.ClientContext(context.Background())
			conf := env.OAuth2(env.ThirdParty, env.ThirdSecret)
			browser := env.NewBrowser()

			verifier := oauth2.GenerateVerifier()
			authURL := conf.AuthCodeURL("state-e2e-123", oauth2.S256ChallengeOption(verifier), oidc.Nonce("nonce-e2e-123"))
			q, err := browser.SignIn(authURL, env.User.UserPrincipalName, servertest.Password)
			must(t, err)
			if q.Get("state") != "state-e2e-123" || q.Get("iss") != env.Issuer {
				t.Fatalf("callback query %v: want our state and iss %s", q, env.Issuer)
			}
			tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
			must(t, err)

			provider, err := oidc.NewProvider(ctx, env.Issuer)
			must(t, err)
			idToken, err := provider.Verifier(&oidc.Config{ClientID: env.ThirdParty.ID}).Verify(ctx, tok.Extra("id_token").(string))
			must(t, err)
			var id struct {
				Nonce, OID, TID, SID, Name, PreferredUsername string
				AMR                                           []string
			}
			must(t, idToken.Claims(&struct {
				Nonce             *string   `json:"nonce"`
				OID               *string   `json:"oid"`
				TID               *string   `json:"tid"`
				SID               *string   `json:"sid"`
				Name              *string   `json:"name"`
				PreferredUsername *string   `json:"preferred_username"`
				AMR               *[]string `json:"amr"`
			}{&id.Nonce, &id.OID, &id.TID, &id.SID, &id.Name, &id.PreferredUsername, &id.AMR}))
			if id.Nonce != "nonce-e2e-123" || id.OID != env.User.ID || id.TID != env.Tenant.ID || id.SID == "" ||
				id.Name != "Adele Vance" || id.PreferredUsername != env.User.UserPrincipalName || len(id.AMR) != 1 || id.AMR[0] != "pwd" {
				t.Errorf("ID token claims = %+v", id)
			}
			must(t, idToken.VerifyAccessToken(tok.AccessToken))
			access, err := oidc.NewVerifier(env.Issuer, oidc.NewRemoteKeySet(ctx, env.Server.URL+"/"+env.Tenant.ID+"/discovery/v2.0/keys"),
				&oidc.Config{ClientID: env.ThirdParty.ID, SupportedSigningAlgs: []string{"ES256"}}).Verify(ctx, tok.AccessToken)
			must(t, err)
			if access.Subject != idToken.Subject {
				t.Errorf("access token sub %q differs from ID token sub %q", access.Subject, idToken.Subject)
			}

			refreshed, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Minute)}).Token()
			must(t, err)
			if refreshed.RefreshToken == tok.RefreshToken {
				t.Error("refresh token was not rotated")
			}
			if got := introspect(t, env, refreshed.AccessToken); got["active"] != true {
				t.Errorf("introspection of a fresh token: %v", got)
			}
			revoke(t, env, refreshed.AccessToken)
			if got := introspect(t, env, refreshed.AccessToken); got["active"] != false {
				t.Errorf("introspection after revocation: %v", got)
			}

			signOut(t, env, browser, tok.Extra("id_token").(string))
			q, err = browser.SignIn(conf.AuthCodeURL("state-after-logout", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("prompt", "none")), "", "")
			must(t, err)
			if q.Get("error") != "login_required" {
				t.Errorf("prompt=none after sign-out: %v, want login_required", q)
			}
			if _, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: refreshed.RefreshToken, Expiry: time.Now().Add(-time.Minute)}).Token(); !isOAuthError(err, "invalid_grant") {
				t.Errorf("refresh after sign-out: %v, want invalid_grant", err)
			}
		})
	}
}

func signOut(t *testing.T, env *servertest.Env, b *servertest.Browser, idToken string) {
	t.Helper()
	q := url.Values{"id_token_hint": {idToken}, "post_logout_redirect_uri": {servertest.SignedOut}, "state": {"bye-123"}}
	page, err := b.Get(env.Server.URL + "/" + env.Tenant.ID + "/oauth2/v2.0/logout?" + q.Encode())
	must(t, err)
	if page.Status != http.StatusSeeOther || page.Location != servertest.SignedOut+"?state=bye-123" {
		t.Fatalf("logout: %d Location %q", page.Status, page.Location)
	}
}

func isOAuthError(err error, code string) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re) && re.ErrorCode == code
}

func introspect(t *testing.T, env *servertest.Env, token string) map[string]any {
	t.Helper()
	return postClient(t, env, "/oauth2/v2.0/introspect", url.Values{"token": {token}})
}

func revoke(t *testing.T, env *servertest.Env, token string) {
	t.Helper()
	postClient(t, env, "/oauth2/v2.0/revoke", url.Values{"token": {token}})
}

func postClient(t *testing.T, env *servertest.Env, path string, form url.Values) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/"+env.Tenant.ID+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(env.ThirdParty.ID), url.QueryEscape(env.ThirdSecret))
	resp, err := env.Server.Client().Do(req)
	must(t, err)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", path, resp.StatusCode)
	}
	out := map[string]any{}
	_ = decodeJSON(resp, &out)
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
