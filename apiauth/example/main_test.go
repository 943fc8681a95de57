package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/apiauth"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestPayrollAsksForStepUp: a password-only token reads /hello but gets
// RFC 9470's challenge from /payroll, naming the acr values and max_age.
func TestPayrollAsksForStepUp(t *testing.T) {
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	conf := env.OAuth2(env.Web, env.WebSecret)
	verifier := oauth2.GenerateVerifier()
	q, err := env.NewBrowser().SignIn(conf.AuthCodeURL("state-example", oauth2.S256ChallengeOption(verifier)), env.User.UserPrincipalName, servertest.Password)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := conf.Exchange(env.ClientContext(context.Background()), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	v, err := apiauth.New(context.Background(), apiauth.Config{Issuer: env.Issuer, Audience: env.Web.ID, HTTPClient: env.Server.Client()})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(newMux(v))
	t.Cleanup(api.Close)
	get := func(path string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, api.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := api.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := get("/hello"); resp.StatusCode != http.StatusOK {
		t.Errorf("/hello: %d", resp.StatusCode)
	}
	resp := get("/payroll")
	challenge := resp.Header.Get("WWW-Authenticate")
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(challenge, `error="insufficient_user_authentication"`) ||
		!strings.Contains(challenge, `acr_values="urn:sigil:acr:mfa`) || !strings.Contains(challenge, "max_age=600") {
		t.Errorf("/payroll: %d %q", resp.StatusCode, challenge)
	}
}
