package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
)

// mfaClient is a relying party of the test tenant that asks for tokens and
// reads acr and amr from them the way a real client does (go-oidc).
type mfaClient struct {
	env  *servertest.Env
	conf *oauth2.Config
}

func newMFAClient(env *servertest.Env) *mfaClient {
	return &mfaClient{env: env, conf: env.OAuth2(env.Web, env.WebSecret)}
}

// authURL is an authorize URL with PKCE and the extra parameters; the PKCE
// verifier is returned for the exchange.
func (c *mfaClient) authURL(extra url.Values) (string, string) {
	verifier := oauth2.GenerateVerifier()
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier), oidc.Nonce("n-" + verifier[:8])}
	for k, v := range extra {
		opts = append(opts, oauth2.SetAuthURLParam(k, v[0]))
	}
	return c.conf.AuthCodeURL("state-mfa", opts...), verifier
}

// mfaTokens is what a client learns from a sign-in's tokens.
type mfaTokens struct {
	ACR, AccessACR string
	AMR            []string
}

// exchange redeems the callback's code and verifies both tokens with go-oidc.
func (c *mfaClient) exchange(t *testing.T, callback url.Values, verifier string) mfaTokens {
	t.Helper()
	if callback.Get("error") != "" {
		t.Fatalf("sign-in failed: %s: %s", callback.Get("error"), callback.Get("error_description"))
	}
	ctx := c.env.ClientContext(context.Background())
	tok, err := c.conf.Exchange(ctx, callback.Get("code"), oauth2.VerifierOption(verifier))
	must(t, err)
	provider, err := oidc.NewProvider(ctx, c.env.Issuer)
	must(t, err)
	idToken, err := provider.Verifier(&oidc.Config{ClientID: c.env.Web.ID}).Verify(ctx, tok.Extra("id_token").(string))
	must(t, err)
	var out mfaTokens
	must(t, idToken.Claims(&struct {
		ACR *string   `json:"acr"`
		AMR *[]string `json:"amr"`
	}{&out.ACR, &out.AMR}))
	access, err := oidc.NewVerifier(c.env.Issuer, oidc.NewRemoteKeySet(ctx, c.env.Server.URL+"/"+c.env.Tenant.ID+"/discovery/v2.0/keys"),
		&oidc.Config{ClientID: c.env.Web.ID, SupportedSigningAlgs: []string{"ES256"}, SkipClientIDCheck: true}).Verify(ctx, tok.AccessToken)
	must(t, err)
	must(t, access.Claims(&struct {
		ACR *string `json:"acr"`
	}{&out.AccessACR}))
	return out
}

// walkToMFA loads the authorize URL and answers the username and password
// pages until Sigil shows something else: an MFA page, or the redirect back.
func walkToMFA(t *testing.T, b *servertest.Browser, authURL, upn string) *servertest.Page {
	t.Helper()
	page, err := b.Get(authURL)
	must(t, err)
	for range 4 {
		var f servertest.Form
		switch {
		case isCallback(page):
			return page
		case hasField(page, "password"):
			f, err = page.FormWith("password")
			must(t, err)
			page, err = b.Submit(page, f, url.Values{"password": {servertest.Password}})
		case hasField(page, "username"):
			f, err = page.FormWith("username")
			must(t, err)
			page, err = b.Submit(page, f, url.Values{"username": {upn}})
		default:
			return page
		}
		must(t, err)
	}
	return page
}

func hasField(p *servertest.Page, name string) bool {
	_, err := p.FormWith(name)
	return err == nil
}

func isCallback(p *servertest.Page) bool {
	return p.Status == http.StatusSeeOther && strings.HasPrefix(p.Location, servertest.Callback)
}

// callbackQuery returns the query of the redirect back to the client.
func callbackQuery(t *testing.T, p *servertest.Page) url.Values {
	t.Helper()
	if !isCallback(p) {
		t.Fatalf("expected the redirect to the client, got %s (%d): %.800s", p.URL, p.Status, p.Body)
	}
	loc, err := url.Parse(p.Location)
	must(t, err)
	return loc.Query()
}

// submitCode posts a code on an MFA or registration page.
func submitCode(t *testing.T, b *servertest.Browser, p *servertest.Page, code string) *servertest.Page {
	t.Helper()
	f, err := p.FormWith("code")
	must(t, err)
	next, err := b.Submit(p, f, url.Values{"code": {code}})
	must(t, err)
	return next
}

var secretKeyPattern = regexp.MustCompile(`class="ext-secret-key" dir="ltr">([A-Z2-7 ]+)<`)

// registeredSecret reads the manual key off the TOTP registration page, as a
// user typing it into an authenticator app would.
func registeredSecret(t *testing.T, p *servertest.Page) string {
	t.Helper()
	if !strings.Contains(p.URL.Path, "/login/mfa_register") && !strings.Contains(p.URL.Path, "/security-info") {
		t.Fatalf("expected a TOTP registration page, got %s (%d): %.800s", p.URL, p.Status, p.Body)
	}
	m := secretKeyPattern.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no secret key on the registration page: %.800s", p.Body)
	}
	if !strings.Contains(p.Body, `src="data:image/png;base64,`) {
		t.Error("the registration page has no inline PNG QR code")
	}
	return strings.ReplaceAll(m[1], " ", "")
}

// codeAt is what an authenticator app shows for the secret at the time.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	must(t, err)
	return code
}

// wrongCode is a six-digit code that is none of the secret's codes around now.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	now := time.Now()
	for i := 0; ; i++ {
		c := fmt.Sprintf("%06d", (123456+i*7919)%1000000)
		if c != codeAt(t, secret, now) && c != codeAt(t, secret, now.Add(-30*time.Second)) && c != codeAt(t, secret, now.Add(30*time.Second)) {
			return c
		}
	}
}

// requireMFA turns on the tenant setting "require MFA for all users".
func requireMFA(t *testing.T, env *servertest.Env) {
	t.Helper()
	tenant, err := env.Store.GetTenant(context.Background(), env.Tenant.ID)
	must(t, err)
	tenant.Settings.RequireMFA = true
	must(t, env.Store.UpdateTenant(context.Background(), tenant))
}

// registerTOTP signs the user in through the registration page and returns
// the secret and the client's view of that first sign-in.
func registerTOTP(t *testing.T, env *servertest.Env, extra url.Values) (string, mfaTokens) {
	t.Helper()
	client := newMFAClient(env)
	authURL, verifier := client.authURL(extra)
	b := env.NewBrowser()
	page := walkToMFA(t, b, authURL, env.User.UserPrincipalName)
	secret := registeredSecret(t, page)
	done := submitCode(t, b, page, codeAt(t, secret, time.Now()))
	return secret, client.exchange(t, callbackQuery(t, done), verifier)
}

// onlyMethod returns the user's single confirmed method of the kind.
func onlyMethod(t *testing.T, env *servertest.Env, kind string) storage.AuthMethod {
	t.Helper()
	ms, err := env.Store.ListAuthMethods(context.Background(), env.Tenant.ID, env.User.ID)
	must(t, err)
	var found []storage.AuthMethod
	for _, m := range ms {
		if m.Kind == kind && m.Confirmed {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		t.Fatalf("user has %d confirmed %s methods, want 1: %+v", len(found), kind, ms)
	}
	return found[0]
}
