package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
)

func TestLogoutWithoutHintNeedsTheConfirmationForm(t *testing.T) {
	env := newEnv(t)
	b := env.NewBrowser()
	conf := env.OAuth2(env.Web, env.WebSecret)
	if _, err := b.SignIn(conf.AuthCodeURL("state-logout-1", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())), env.User.UserPrincipalName, servertest.Password); err != nil {
		t.Fatal(err)
	}
	logoutURL := env.Server.URL + "/" + env.Tenant.ID + "/oauth2/v2.0/logout"
	page, err := b.Get(logoutURL)
	must(t, err)
	form, err := page.FormWith("csrf_token")
	must(t, err)

	forged := url.Values{}
	resp, err := b.Client.PostForm(logoutURL, forged)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-out POST without the form's token: status %d, want 403", resp.StatusCode)
	}
	if !signedIn(t, env, b) {
		t.Fatal("a forged sign-out ended the session")
	}
	page, err = b.Submit(page, form, nil)
	must(t, err)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "You signed out") {
		t.Fatalf("confirmed sign-out: %d %.300s", page.Status, page.Body)
	}
	if signedIn(t, env, b) {
		t.Error("still signed in after confirming sign-out")
	}
}

// signedIn reports whether prompt=none succeeds for this browser.
func signedIn(t *testing.T, env *servertest.Env, b *servertest.Browser) bool {
	t.Helper()
	conf := env.OAuth2(env.Web, env.WebSecret)
	q, err := b.SignIn(conf.AuthCodeURL("state-probe-1", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()),
		oauth2.SetAuthURLParam("prompt", "none")), "", "")
	must(t, err)
	return q.Get("code") != ""
}
