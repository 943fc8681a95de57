package account_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

const newPassword = "lanterns over the quiet harbour"

// signIn signs b in through the web app and returns the app's tokens.
func signIn(t *testing.T, env *servertest.Env, b *servertest.Browser, password string) (*oauth2.Token, error) {
	t.Helper()
	conf := env.OAuth2(env.Web, env.WebSecret)
	verifier := oauth2.GenerateVerifier()
	q, err := b.SignIn(conf.AuthCodeURL("state-password-1", oauth2.S256ChallengeOption(verifier)), env.User.UserPrincipalName, password)
	if err != nil {
		return nil, err
	}
	return conf.Exchange(env.ClientContext(context.Background()), q.Get("code"), oauth2.VerifierOption(verifier))
}

func TestSelfServicePasswordChange(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	ctx := env.ClientContext(context.Background())
	conf := env.OAuth2(env.Web, env.WebSecret)
	laptop, phone := env.NewBrowser(), env.NewBrowser()
	if _, err := signIn(t, env, laptop, servertest.Password); err != nil {
		t.Fatal(err)
	}
	phoneTokens, err := signIn(t, env, phone, servertest.Password)
	if err != nil {
		t.Fatal(err)
	}
	info, err := laptop.Get(env.Server.URL + "/" + env.Domain + "/account/security-info")
	if err != nil || !strings.Contains(info.Body, `href="password"`) {
		t.Fatalf("the security-info page does not link to the password change: %v", err)
	}
	pageURL := env.Server.URL + "/" + env.Domain + "/account/password"
	form, err := laptop.Get(pageURL)
	if err != nil || form.Status != http.StatusOK {
		t.Fatalf("GET the password page: %v %+v", err, form)
	}
	submit := func(set url.Values) *servertest.Page {
		t.Helper()
		f, err := form.FormWith("new_password")
		if err != nil {
			t.Fatal(err)
		}
		p, err := laptop.Submit(form, f, set)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	refusals := []struct {
		name, current, next, confirm, message string
	}{
		{"refuses new passwords that don't match", servertest.Password, newPassword, newPassword + "x", "The new passwords don&#39;t match."},
		{"refuses a wrong current password", "not my password", newPassword, newPassword, "Your current password is incorrect."},
		{"refuses a banned password without repeating it (F-31)", servertest.Password, "P@ssw0rd2024", "P@ssw0rd2024", "This password has been used too many times."},
		{"refuses a password shorter than 8 characters (F-32)", servertest.Password, "k8#Lq2!", "k8#Lq2!", "between 8 and 256 characters"},
		{"refuses the current password as the new one", servertest.Password, servertest.Password, servertest.Password, "must be different from your current password"},
	}
	for _, tc := range refusals {
		p := submit(url.Values{"current_password": {tc.current}, "new_password": {tc.next}, "confirm_password": {tc.confirm}})
		if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, tc.message) {
			t.Errorf("%s: got %d, body lacks %q", tc.name, p.Status, tc.message)
		}
		if tc.next != servertest.Password && strings.Contains(p.Body, tc.next) {
			t.Errorf("%s: the page repeats the typed password", tc.name)
		}
	}
	if p := submit(url.Values{"csrf_token": {"forged"}, "current_password": {servertest.Password}, "new_password": {newPassword}, "confirm_password": {newPassword}}); p.Status != http.StatusForbidden {
		t.Errorf("a forged form token got %d, want 403", p.Status)
	}

	done := submit(url.Values{"current_password": {servertest.Password}, "new_password": {newPassword}, "confirm_password": {newPassword}})
	if done.Status != http.StatusOK || !strings.Contains(done.Body, "Your password was changed.") || !strings.HasSuffix(done.URL.String(), "?done=changed") {
		t.Fatalf("change: got %d at %s", done.Status, done.URL)
	}
	stored, err := env.Store.GetUser(context.Background(), env.Tenant.ID, env.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := credential.VerifyPassword(stored.PasswordHash, newPassword); !ok {
		t.Error("the new password does not verify")
	}
	if _, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: phoneTokens.RefreshToken, Expiry: time.Now().Add(-time.Minute)}).Token(); err == nil {
		t.Error("the other device's refresh token still works after the password change")
	}
	if again, err := laptop.Get(pageURL); err != nil || again.Status != http.StatusOK || !strings.Contains(again.Body, `name="new_password"`) {
		t.Error("the browser that changed the password was signed out")
	}
	if _, err := signIn(t, env, env.NewBrowser(), servertest.Password); err == nil {
		t.Error("the old password still signs in")
	}
	if _, err := signIn(t, env, env.NewBrowser(), newPassword); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}
}
