package op_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/storage"
)

// onBackends runs a test on a fresh fixture over SQLite and over Postgres.
func onBackends(t *testing.T, test func(t *testing.T, f *fixture)) {
	for _, b := range []struct {
		name string
		open func(testing.TB) storage.Storage
	}{{"sqlite", sqlite}, {"postgres", postgres}} {
		t.Run(b.name, func(t *testing.T) { test(t, newFixture(t, b.open)) })
	}
}

func TestCodeFlowIssuesTokensARelyingPartyVerifies(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		conf := f.oauth2Config(f.web, f.secret)
		tok := f.signInWithCode(conf, "nonce-abcdef")
		ctx := f.clientCtx()
		provider, err := oidc.NewProvider(ctx, f.issuer)
		must(t, err)

		rawID, _ := tok.Extra("id_token").(string)
		idToken, err := provider.Verifier(&oidc.Config{ClientID: f.web.ID, SupportedSigningAlgs: []string{"ES256"}}).Verify(ctx, rawID)
		must(t, err)
		if idToken.Nonce != "nonce-abcdef" {
			t.Errorf("nonce = %q", idToken.Nonce)
		}
		must(t, idToken.VerifyAccessToken(tok.AccessToken))
		var id map[string]any
		must(t, idToken.Claims(&id))
		for claim, want := range map[string]any{
			"oid": f.user.ID, "tid": f.tenant.ID, "ver": "2.0", "name": "Adele Vance",
			"preferred_username": f.user.UserPrincipalName, "email": strings.ToLower(f.user.Mail),
		} {
			if id[claim] != want {
				t.Errorf("id token %s = %v, want %v", claim, id[claim], want)
			}
		}
		for _, claim := range []string{"sid", "auth_time", "amr", "at_hash", "nbf", "iat", "exp"} {
			if id[claim] == nil {
				t.Errorf("id token lacks %s", claim)
			}
		}
		if idToken.Subject == f.user.ID || idToken.Subject == "" {
			t.Errorf("sub %q must be pairwise, not the object ID", idToken.Subject)
		}

		at := verifyAccessToken(t, f, tok.AccessToken, f.web.ID)
		if at["sub"] != idToken.Subject || at["scp"] != "openid profile email offline_access" || at["azp"] != f.web.ID {
			t.Errorf("access token claims = %v", at)
		}
		if tok.RefreshToken == "" {
			t.Error("offline_access granted but no refresh token")
		}
	})
}

// verifyAccessToken checks an RFC 9068 access token the way a resource server
// does: go-oidc against the published JWKS, plus the at+jwt type and kid.
func verifyAccessToken(t *testing.T, f *fixture, raw, audience string) map[string]any {
	t.Helper()
	header := jwtHeader(t, raw)
	if header["typ"] != "at+jwt" || header["kid"] == nil {
		t.Errorf("access token header = %v, want typ at+jwt and a kid", header)
	}
	keySet := oidc.NewRemoteKeySet(f.clientCtx(), f.srv.URL+"/"+f.tenant.ID+"/discovery/v2.0/keys")
	v := oidc.NewVerifier(f.issuer, keySet, &oidc.Config{ClientID: audience, SupportedSigningAlgs: []string{"ES256", "RS256"}})
	tok, err := v.Verify(f.clientCtx(), raw)
	must(t, err)
	var claims map[string]any
	must(t, tok.Claims(&claims))
	return claims
}

func jwtHeader(t *testing.T, raw string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(raw, ".")[0])
	must(t, err)
	var h map[string]any
	must(t, json.Unmarshal(b, &h))
	return h
}

func TestPairwiseSubjectIsStablePerAppAndDiffersAcrossApps(t *testing.T) {
	f := newFixture(t, sqlite)
	other, otherSecret := f.newApp(f.tenant.ID, false, "ES256")
	sub := func(conf *oauth2.Config) any {
		return verifyAccessToken(t, f, f.signInWithCode(conf, "n-123456789").AccessToken, conf.ClientID)["sub"]
	}
	first, again := sub(f.oauth2Config(f.web, f.secret)), sub(f.oauth2Config(f.web, f.secret))
	if first != again {
		t.Errorf("sub changed between sign-ins: %v then %v", first, again)
	}
	if sub(f.oauth2Config(other, otherSecret)) == first {
		t.Error("two apps received the same sub")
	}
}

func TestAuthorizeResponseCarriesIssuer(t *testing.T) {
	f := newFixture(t, sqlite)
	conf := f.oauth2Config(f.web, f.secret)
	q := f.redirectQuery(f.authorize(conf.AuthCodeURL("state-1234", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))))
	if q.Get("iss") != f.issuer || q.Get("state") != "state-1234" || q.Get("code") == "" {
		t.Errorf("redirect query = %v, want code, state and iss %s (RFC 9207)", q, f.issuer)
	}
}

func TestRS256AppGetsRS256Tokens(t *testing.T) {
	f := newFixture(t, sqlite)
	app, secret := f.newApp(f.tenant.ID, false, "RS256")
	tok := f.signInWithCode(f.oauth2Config(app, secret), "nonce-rs256")
	ctx := f.clientCtx()
	provider, err := oidc.NewProvider(ctx, f.issuer)
	must(t, err)
	_, err = provider.Verifier(&oidc.Config{ClientID: app.ID, SupportedSigningAlgs: []string{"RS256"}}).Verify(ctx, tok.Extra("id_token").(string))
	must(t, err)
	if h := jwtHeader(t, tok.AccessToken); h["alg"] != "RS256" {
		t.Errorf("access token alg = %v", h["alg"])
	}
}

func TestRefreshRotatesAndReuseRevokesTheFamily(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		conf := f.oauth2Config(f.web, f.secret)
		first := f.signInWithCode(conf, "nonce-refresh")
		second := refresh(t, f, conf, first.RefreshToken)
		if second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
			t.Fatal("refresh did not rotate the refresh token")
		}
		_, err := conf.TokenSource(f.clientCtx(), &oauth2.Token{RefreshToken: first.RefreshToken, Expiry: time.Now().Add(-time.Hour)}).Token()
		wantOAuthError(t, err, "invalid_grant")
		_, err = conf.TokenSource(f.clientCtx(), &oauth2.Token{RefreshToken: second.RefreshToken, Expiry: time.Now().Add(-time.Hour)}).Token()
		wantOAuthError(t, err, "invalid_grant")
		if introspect(t, f, second.AccessToken)["active"] != false {
			t.Error("access token of the revoked family is still active")
		}
	})
}

func refresh(t *testing.T, f *fixture, conf *oauth2.Config, rt string) *oauth2.Token {
	t.Helper()
	tok, err := conf.TokenSource(f.clientCtx(), &oauth2.Token{RefreshToken: rt, Expiry: time.Now().Add(-time.Hour)}).Token()
	must(t, err)
	return tok
}

func wantOAuthError(t *testing.T, err error, code string) {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != code {
		t.Fatalf("error = %v, want OAuth error %s", err, code)
	}
}

func TestCodeReplayIsRefusedAndRevokesIssuedTokens(t *testing.T) {
	onBackends(t, func(t *testing.T, f *fixture) {
		conf := f.oauth2Config(f.web, f.secret)
		verifier := oauth2.GenerateVerifier()
		q := f.redirectQuery(f.authorize(conf.AuthCodeURL("state-1234", oauth2.S256ChallengeOption(verifier))))
		tok, err := conf.Exchange(f.clientCtx(), q.Get("code"), oauth2.VerifierOption(verifier))
		must(t, err)
		_, err = conf.Exchange(f.clientCtx(), q.Get("code"), oauth2.VerifierOption(verifier))
		wantOAuthError(t, err, "invalid_grant")
		if introspect(t, f, tok.AccessToken)["active"] != false {
			t.Error("token issued from a replayed code is still active")
		}
		_, err = conf.TokenSource(f.clientCtx(), &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Hour)}).Token()
		wantOAuthError(t, err, "invalid_grant")
	})
}

func TestDisabledUserCannotRefresh(t *testing.T) {
	f := newFixture(t, sqlite)
	conf := f.oauth2Config(f.web, f.secret)
	tok := f.signInWithCode(conf, "nonce-disabled")
	f.user.AccountEnabled = false
	must(t, f.store.UpdateUser(f.ctx, f.user))
	_, err := conf.TokenSource(f.clientCtx(), &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Hour)}).Token()
	wantOAuthError(t, err, "invalid_grant")
}

func TestUserinfoReturnsClaimsForAValidToken(t *testing.T) {
	f := newFixture(t, sqlite)
	conf := f.oauth2Config(f.web, f.secret)
	tok := f.signInWithCode(conf, "nonce-userinfo")
	provider, err := oidc.NewProvider(f.clientCtx(), f.issuer)
	must(t, err)
	info, err := provider.UserInfo(f.clientCtx(), oauth2.StaticTokenSource(tok))
	must(t, err)
	if info.Email != strings.ToLower(f.user.Mail) || info.Subject == "" {
		t.Errorf("userinfo = %+v", info)
	}
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/"+f.tenant.ID+"/oidc/userinfo", nil)
	req.Header.Set("Authorization", "Bearer not-a-token")
	resp, err := f.srv.Client().Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("bad token: status %d, WWW-Authenticate %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}

func introspect(t *testing.T, f *fixture, token string) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/"+f.tenant.ID+"/oauth2/v2.0/introspect",
		strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(f.web.ID), url.QueryEscape(f.secret))
	resp, err := f.srv.Client().Do(req)
	must(t, err)
	defer resp.Body.Close()
	var out map[string]any
	must(t, json.NewDecoder(resp.Body).Decode(&out))
	return out
}

func TestTenantLifetimesApplyToIssuedTokens(t *testing.T) {
	f := newFixture(t, sqlite)
	f.tenant.Settings.AccessTokenLifetime = 10 * time.Minute
	f.tenant.Settings.IDTokenLifetime = 7 * time.Minute
	must(t, f.store.UpdateTenant(f.ctx, f.tenant))
	tok := f.signInWithCode(f.oauth2Config(f.web, f.secret), "nonce-lifetime")
	lifetime := func(raw string) int64 {
		claims := map[string]any{}
		b, err := base64.RawURLEncoding.DecodeString(strings.Split(raw, ".")[1])
		must(t, err)
		must(t, json.Unmarshal(b, &claims))
		return int64(claims["exp"].(float64) - claims["iat"].(float64))
	}
	// fosite rounds the expiry to the second, so allow one second either way.
	if got := lifetime(tok.AccessToken); got < 599 || got > 601 {
		t.Errorf("access token lifetime %ds, want 600", got)
	}
	if got := lifetime(tok.Extra("id_token").(string)); got < 419 || got > 421 {
		t.Errorf("ID token lifetime %ds, want 420", got)
	}
}
