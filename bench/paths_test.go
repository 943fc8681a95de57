package bench

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
)

// The operations below are the benchmarked paths, one request (or one
// sign-in) each, as a client of Sigil performs them. Each checks the answer
// enough to know it is a success, not a 200 with an error inside.

// clientCredentialsToken asks for an app-only JWT access token for the seeded
// first-party app, authenticated with client_secret_basic.
func (t *target) clientCredentialsToken(ctx context.Context) (string, error) {
	body, err := t.postClient(ctx, "/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"}})
	if err != nil {
		return "", err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(body, &tok); err != nil {
		return "", fmt.Errorf("token answer: %w", err)
	}
	if tok.AccessToken == "" || tok.TokenType != "bearer" && tok.TokenType != "Bearer" {
		return "", fmt.Errorf("token answer without a bearer access token (token_type %q)", tok.TokenType)
	}
	return tok.AccessToken, nil
}

// errInactive reports an introspection answer that is not active.
var errInactive = errors.New("introspection answered active=false for a fresh token")

// introspect asks Sigil whether an access token is active (RFC 7662), as the
// seeded first-party app with client_secret_basic.
func (t *target) introspect(ctx context.Context, accessToken string) error {
	body, err := t.postClient(ctx, "/oauth2/v2.0/introspect",
		url.Values{"token": {accessToken}, "token_type_hint": {"access_token"}})
	if err != nil {
		return err
	}
	var answer struct {
		Active bool `json:"active"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return fmt.Errorf("introspection answer: %w", err)
	}
	if !answer.Active {
		return errInactive
	}
	return nil
}

// getKeys fetches the tenant's JWKS and checks that it holds a key.
func (t *target) getKeys(ctx context.Context) error {
	body, err := t.get(ctx, "/discovery/v2.0/keys")
	if err != nil {
		return err
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return fmt.Errorf("JWKS answer: %w", err)
	}
	if len(set.Keys) == 0 {
		return errors.New("JWKS answer holds no key")
	}
	return nil
}

// accessTokenVerifier checks access tokens as a resource server does: go-oidc
// with a remote key set that fetches the tenant's JWKS once and caches it.
func (t *target) accessTokenVerifier() *oidc.IDTokenVerifier {
	ctx := oidc.ClientContext(context.Background(), t.client)
	keySet := oidc.NewRemoteKeySet(ctx, t.tenantURL+"/discovery/v2.0/keys")
	return oidc.NewVerifier(t.env.Issuer, keySet,
		&oidc.Config{ClientID: t.env.Web.ID, SupportedSigningAlgs: []string{"ES256"}})
}

// signIn is one complete sign-in of the seeded user at the first-party app
// (no consent page): a new cookie jar, authorize with PKCE S256, the username
// and password pages (argon2id), the code exchanged with x/oauth2, and one
// refresh that must rotate the refresh token.
func (t *target) signIn(ctx context.Context) error {
	conf := t.env.OAuth2(t.env.Web, t.env.WebSecret)
	verifier, state := oauth2.GenerateVerifier(), rand.Text()
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(rand.Text()))
	q, err := t.newBrowser().SignIn(authURL, t.env.User.UserPrincipalName, servertest.Password)
	if err != nil {
		return err
	}
	if q.Get("state") != state || q.Get("code") == "" {
		return fmt.Errorf("callback without a code for our state (error %q)", q.Get("error"))
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, t.client)
	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return fmt.Errorf("code exchange: %w", err)
	}
	if idToken, _ := tok.Extra("id_token").(string); idToken == "" || tok.RefreshToken == "" {
		return errors.New("code exchange answered without an ID token or a refresh token")
	}
	expired := &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Minute)}
	refreshed, err := conf.TokenSource(ctx, expired).Token()
	if err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	if refreshed.AccessToken == "" || refreshed.RefreshToken == "" || refreshed.RefreshToken == tok.RefreshToken {
		return errors.New("refresh answered without a new access token and a rotated refresh token")
	}
	return nil
}

// newBrowser returns a servertest browser with a cookie jar and a client of
// its own, over the target's pooled transport.
func (t *target) newBrowser() *servertest.Browser {
	browser := t.env.NewBrowser()
	stayInSigil := browser.Client.CheckRedirect
	jar, _ := cookiejar.New(nil) // New never fails without options
	browser.Client = &http.Client{Transport: t.transport, Jar: jar, CheckRedirect: stayInSigil, Timeout: t.client.Timeout}
	return browser
}
