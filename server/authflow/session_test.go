package authflow

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func TestSSOSessionSignsInTheNextFlowWithoutAPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user := e.addUser("alex@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()
	b.signIn(app, "alex@contoso.example", "openid")
	first := e.az.lastCompleted(t)

	e.clock.Advance(time.Hour)
	p := b.authorize(app, "openid profile")
	if p.body != "authorization complete" {
		t.Fatalf("second flow answered %d at %s, want completion without pages", p.status, p.url.Path)
	}
	second := e.az.lastCompleted(t)
	if second.UserID != user.ID || second.SessionID != first.SessionID || !second.AuthTime.Equal(*first.AuthTime) {
		t.Errorf("second flow user=%q sid=%q auth_time=%v; want the first session's (sid %q, %v)",
			second.UserID, second.SessionID, second.AuthTime, first.SessionID, first.AuthTime)
	}

	p = b.authorize(app, "openid", "prompt", "none")
	if p.body != "authorization complete" {
		t.Errorf("prompt=none with a session answered %q, want silent completion", p.body)
	}
}

func TestReauthenticationIsForced(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		extra []string
		after time.Duration
	}{
		{"by prompt=login", []string{"prompt", "login"}, 0},
		{"by max_age=0", []string{"max_age", "0"}, 0},
		{"by an exceeded max_age", []string{"max_age", "60"}, 2 * time.Minute},
		{"by a login_hint naming someone else", []string{"login_hint", "sam@contoso.example"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.addUser("alex@contoso.example", true)
			app := e.addApp("Contoso Portal", true)
			b := e.browser()
			b.signIn(app, "alex@contoso.example", "openid")
			first := e.az.lastCompleted(t)
			e.clock.Advance(c.after)

			p := b.authorize(app, "openid", c.extra...)
			requirePage(t, p, "username")
			hint := parseForms(p.body)[0].fields.Get("username")
			if c.extra[0] != "login_hint" && hint != "alex@contoso.example" {
				t.Errorf("username pre-filled with %q, want the session's user", hint)
			}
			p = b.submit(p, 0, url.Values{"username": {"alex@contoso.example"}})
			b.submit(p, 1, url.Values{"password": {testPassword}})
			again := e.az.lastCompleted(t)
			if again.SessionID == first.SessionID {
				t.Errorf("re-authentication kept session %q", again.SessionID)
			}
		})
	}
}

func TestMaxAgeWithinTheLimitKeepsTheSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()
	b.signIn(app, "alex@contoso.example", "openid")
	e.clock.Advance(30 * time.Second)
	if p := b.authorize(app, "openid", "max_age", "60"); p.body != "authorization complete" {
		t.Errorf("max_age=60 after 30s answered %d at %s, want completion", p.status, p.url.Path)
	}
}

func TestPromptNoneFailsWhenTheSessionIsTooOld(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()
	b.signIn(app, "alex@contoso.example", "openid")
	e.clock.Advance(2 * time.Minute)
	if p := b.authorize(app, "openid", "prompt", "none", "max_age", "60"); p.body != "authorization failed: login_required" {
		t.Errorf("got %q, want login_required", p.body)
	}
}

// A-26, D-21: a disabled or deleted user loses access at the next sign-in.
func TestSessionStopsWorking(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		spoil func(e *env, user *storage.User, sessionID string)
	}{
		{"when the user is disabled", func(e *env, u *storage.User, _ string) {
			u.AccountEnabled = false
			if err := e.store.UpdateUser(context.Background(), u); err != nil {
				e.t.Fatal(err)
			}
		}},
		{"when the user is deleted", func(e *env, u *storage.User, _ string) {
			if err := e.store.DeleteUser(context.Background(), u.TenantID, u.ID); err != nil {
				e.t.Fatal(err)
			}
		}},
		{"when it is revoked", func(e *env, _ *storage.User, sid string) {
			if err := e.store.RevokeBrowserSession(context.Background(), sid, time.Now()); err != nil {
				e.t.Fatal(err)
			}
		}},
		{"when it expires", func(e *env, _ *storage.User, _ string) { e.clock.Advance(25 * time.Hour) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			user := e.addUser("alex@contoso.example", true)
			app := e.addApp("Contoso Portal", true)
			b := e.browser()
			b.signIn(app, "alex@contoso.example", "openid")
			c.spoil(e, user, e.az.lastCompleted(t).SessionID)

			requirePage(t, b.authorize(app, "openid"), "username")
			if p := b.authorize(app, "openid", "prompt", "none"); p.body != "authorization failed: login_required" {
				t.Errorf("prompt=none answered %q, want login_required", p.body)
			}
		})
	}
}

func TestSignOutRevokesTheSessionAndForgetsIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()
	b.signIn(app, "alex@contoso.example", "openid")
	sid := e.az.lastCompleted(t).SessionID

	r := b.post("/"+e.tenant.ID+"/test/signout", url.Values{})
	if r.body != sid {
		t.Fatalf("SignOut returned %q, want the session ID %q", r.body, sid)
	}
	if s, err := e.store.GetBrowserSession(context.Background(), sid); err != nil || s.RevokedAt == nil {
		t.Errorf("session after sign-out: %+v, %v; want revoked", s, err)
	}
	if !strings.Contains(r.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("the session cookie was not deleted: %q", r.header.Get("Set-Cookie"))
	}
	requirePage(t, b.authorize(app, "openid"), "username")
	if again := b.post("/"+e.tenant.ID+"/test/signout", url.Values{}); again.body != "" {
		t.Errorf("a second sign-out returned %q, want no session", again.body)
	}
}

func TestSessionsOfTwoTenantsShareOneCookie(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()
	b.signIn(app, "alex@contoso.example", "openid")

	contoso := e.tenant
	e.tenant = e.addTenant("fabrikam.example")
	e.addUser("alex@fabrikam.example", true)
	other := e.addApp("Fabrikam Portal", true)
	b.signIn(other, "alex@fabrikam.example", "openid")

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(b.cookie(sessionCookieName))
	for _, tenant := range []*storage.Tenant{contoso, e.tenant} {
		if _, err := e.h.CurrentSession(req, tenant.ID); err != nil {
			t.Errorf("tenant %s: %v, want its session", tenant.DisplayName, err)
		}
	}
	if _, err := e.h.CurrentSession(req, "00000000-0000-0000-0000-000000000000"); !errors.Is(err, ErrNoSession) {
		t.Errorf("unknown tenant: %v, want ErrNoSession", err)
	}
}

func TestSessionCookieKeysRotate(t *testing.T) {
	t.Parallel()
	oldAuth, oldEnc, newAuth, newEnc := randomKey(64), randomKey(32), randomKey(64), randomKey(32)
	before := NewSessionCookies(oldAuth, oldEnc)
	rotated := NewSessionCookies(newAuth, newEnc, oldAuth, oldEnc)
	retired := NewSessionCookies(newAuth, newEnc)

	rec := httptest.NewRecorder()
	if err := before.write(rec, httptest.NewRequest(http.MethodGet, "/", nil), map[string]string{"t1": "s1"}, time.Hour, true); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	if got := rotated.read(req)["t1"]; got != "s1" {
		t.Errorf("after rotation the old cookie reads %q, want s1", got)
	}
	if got := retired.read(req); len(got) != 0 {
		t.Errorf("with the old key retired the cookie reads %v, want nothing", got)
	}
	tampered := httptest.NewRequest(http.MethodGet, "/", nil)
	tampered.AddCookie(&http.Cookie{Name: sessionCookieName, Value: "x" + rec.Result().Cookies()[0].Value})
	if got := rotated.read(tampered); len(got) != 0 {
		t.Errorf("a tampered cookie reads %v, want nothing", got)
	}
}
