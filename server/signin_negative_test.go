package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

func newEnv(t *testing.T) *servertest.Env {
	return servertest.New(t, gormstoretest.SQLite(t), servertest.Options{MinLoginResponse: 200 * time.Millisecond})
}

// passwordPage opens a sign-in and submits the username, returning the password page.
func passwordPage(t *testing.T, env *servertest.Env, b *servertest.Browser, username string) *servertest.Page {
	t.Helper()
	conf := env.OAuth2(env.Web, env.WebSecret)
	page, err := b.Get(conf.AuthCodeURL("state-neg-123", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	must(t, err)
	f, err := page.FormWith("username")
	must(t, err)
	page, err = b.Submit(page, f, url.Values{"username": {username}})
	must(t, err)
	return page
}

var perRequestValues = regexp.MustCompile(`(name="(flow|csrf_token)" value=")[^"]*"|(flow=)[A-Za-z0-9_-]+|Request ID: [A-Za-z0-9_-]+`)

func TestUnknownUserAndWrongPasswordGetTheSameAnswer(t *testing.T) {
	env := newEnv(t)
	answer := func(username string) (*servertest.Page, time.Duration) {
		b := env.NewBrowser()
		page := passwordPage(t, env, b, username)
		f, err := page.FormWith("password")
		must(t, err)
		start := time.Now()
		page, err = b.Submit(page, f, url.Values{"password": {"wrong password 123"}})
		must(t, err)
		return page, time.Since(start)
	}
	unknown, unknownTook := answer("nobody@" + env.Domain)
	wrong, wrongTook := answer(env.User.UserPrincipalName)
	if unknown.Status != wrong.Status || !strings.Contains(wrong.Body, "Your account or password is incorrect.") {
		t.Fatalf("statuses %d/%d; wrong-password page: %.300s", unknown.Status, wrong.Status, wrong.Body)
	}
	normalize := func(p *servertest.Page) string {
		body := strings.ReplaceAll(p.Body, env.User.UserPrincipalName, "USER")
		return perRequestValues.ReplaceAllString(strings.ReplaceAll(body, "nobody@"+env.Domain, "USER"), "$1$3X")
	}
	if normalize(unknown) != normalize(wrong) {
		t.Errorf("unknown user and wrong password pages differ:\n%s\n---\n%s", normalize(unknown), normalize(wrong))
	}
	// Parity, not a benchmark: both answers are padded to the same minimum.
	for name, took := range map[string]time.Duration{"unknown user": unknownTook, "wrong password": wrongTook} {
		if took < env.MinLoginResponse {
			t.Errorf("%s answered in %v, before the %v minimum", name, took, env.MinLoginResponse)
		}
	}
}

func TestSignInFormsRefuseForgedPosts(t *testing.T) {
	env := newEnv(t)
	b := env.NewBrowser()
	page := passwordPage(t, env, b, env.User.UserPrincipalName)
	form, err := page.FormWith("password")
	must(t, err)
	action, _ := page.URL.Parse(form.Action)
	for name, tc := range map[string]struct {
		csrf    string
		headers map[string]string
	}{
		"missing CSRF token":   {"", nil},
		"CSRF token of others": {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", nil},
		"cross-site post":      {form.Fields.Get("csrf_token"), map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
	} {
		t.Run(name, func(t *testing.T) {
			fields := url.Values{}
			for k, v := range form.Fields {
				fields[k] = v
			}
			fields.Set("password", servertest.Password)
			fields.Set("csrf_token", tc.csrf)
			req, _ := http.NewRequest(http.MethodPost, action.String(), strings.NewReader(fields.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			resp, err := b.Client.Do(req)
			must(t, err)
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("status %d, want 403", resp.StatusCode)
			}
		})
	}
	// The genuine form still works afterwards, and answers a POST with 303.
	q, err := b.SignIn(page.URL.String(), env.User.UserPrincipalName, servertest.Password)
	must(t, err)
	if q.Get("code") == "" {
		t.Errorf("genuine sign-in after forged posts: %v", q)
	}
}

func TestPagesCarrySecurityHeaders(t *testing.T) {
	env := newEnv(t)
	b := env.NewBrowser()
	page := passwordPage(t, env, b, env.User.UserPrincipalName)
	csp := page.Header.Get("Content-Security-Policy")
	// form-action lists the application: browsers apply it to the redirect
	// that follows the sign-in POST.
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "form-action 'self' https://rp.example.test"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	for header, want := range map[string]string{
		"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
		"Strict-Transport-Security": "max-age=63072000; includeSubDomains",
	} {
		if got := page.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	for _, c := range b.Client.Jar.Cookies(page.URL) {
		if c.Name == "sigil_session" {
			t.Error("session cookie set before sign-in")
		}
	}
}
