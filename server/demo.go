package server

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/page"
)

// demoApp is the built-in relying party of `sigil demo`: /demo/ starts a code
// flow with PKCE for the demo web app, /demo/callback exchanges the code and
// shows the verified claims. It exists only in demo mode.
type demoApp struct {
	demo    *directory.Demo
	pages   *page.Renderer
	baseURL string
}

const demoCookie = "sigil_demo_rp"

func (d *demoApp) mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /demo/{$}", d.home)
	mux.HandleFunc("GET /demo/login", d.login)
	mux.HandleFunc("GET /demo/callback", d.callback)
}

func (d *demoApp) oauth2Config() *oauth2.Config {
	base := d.baseURL + "/" + d.demo.TenantID
	return &oauth2.Config{
		ClientID:     d.demo.WebClientID,
		ClientSecret: d.demo.WebClientSecret,
		RedirectURL:  d.baseURL + "/demo/callback",
		Scopes:       []string{oidc.ScopeOpenID, "profile", "email", oidc.ScopeOfflineAccess},
		Endpoint: oauth2.Endpoint{
			AuthURL: base + "/oauth2/v2.0/authorize", TokenURL: base + "/oauth2/v2.0/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
}

func (d *demoApp) home(w http.ResponseWriter, r *http.Request) {
	d.pages.Render(w, r, http.StatusOK, "demo", map[string]any{"Demo": d.demo})
}

// login starts a sign-in: state, nonce and the PKCE verifier go in a short-lived
// cookie that only /demo/callback reads. It is Secure only over TLS: the demo
// usually runs on plain http://localhost.
func (d *demoApp) login(w http.ResponseWriter, r *http.Request) {
	state, nonce, verifier := oauth2.GenerateVerifier(), oauth2.GenerateVerifier(), oauth2.GenerateVerifier()
	http.SetCookie(w, &http.Cookie{
		Name: demoCookie, Value: state + "." + nonce + "." + verifier, Path: "/demo/", MaxAge: 600,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	url := d.oauth2Config().AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// callback exchanges the code when it answers this RP's own request and the web
// app's secret is known (it is only on the run that created it); otherwise it
// shows the code to exchange by hand.
func (d *demoApp) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	view := map[string]any{"Demo": d.demo, "Query": q}
	var saved [3]string
	if c, err := r.Cookie(demoCookie); err == nil {
		copy(saved[:], strings.SplitN(c.Value, ".", 3))
	}
	if q.Get("error") != "" || q.Get("code") == "" || saved[0] == "" || saved[0] != q.Get("state") || d.demo.WebClientSecret == "" {
		d.pages.Render(w, r, http.StatusOK, "demo", view)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: demoCookie, Path: "/demo/", MaxAge: -1})
	claims, err := d.exchange(r.Context(), q.Get("code"), saved[1], saved[2])
	if err != nil {
		view["Error"] = err.Error()
	} else {
		view["Claims"] = claims
	}
	d.pages.Render(w, r, http.StatusOK, "demo", view)
}

func (d *demoApp) exchange(ctx context.Context, code, nonce, verifier string) (string, error) {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}}
	ctx = oidc.ClientContext(ctx, client)
	tok, err := d.oauth2Config().Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return "", err
	}
	provider, err := oidc.NewProvider(ctx, d.demo.Issuer)
	if err != nil {
		return "", err
	}
	rawID, _ := tok.Extra("id_token").(string)
	idToken, err := provider.Verifier(&oidc.Config{ClientID: d.demo.WebClientID, SupportedSigningAlgs: []string{"ES256", "RS256"}}).Verify(ctx, rawID)
	if err != nil {
		return "", err
	}
	var claims map[string]any
	if err := idToken.Claims(&claims); err != nil {
		return "", err
	}
	if claims["nonce"] != nonce {
		return "", errNonce
	}
	out, err := json.MarshalIndent(claims, "", "  ")
	return string(out), err
}

var errNonce = errors.New("the ID token's nonce does not match this sign-in")
