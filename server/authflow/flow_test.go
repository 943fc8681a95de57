package authflow

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPasswordSignInCompletesTheAuthorizeRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user := e.addUser("alex@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()

	p := b.authorize(app, "openid profile", "login_hint", "alex@contoso.example")
	requirePage(t, p, "username")
	if !strings.Contains(p.body, `value="alex@contoso.example"`) {
		t.Errorf("username page is not pre-filled from login_hint")
	}
	p = b.submit(p, 0, url.Values{"username": {"alex@contoso.example"}})
	requirePage(t, p, "password")
	if !strings.Contains(p.body, "alex@contoso.example") || !strings.Contains(p.body, "Not you?") {
		t.Errorf("password page does not show the username with a way back")
	}
	p = b.submit(p, 1, url.Values{"password": {testPassword}})
	if p.body != "authorization complete" {
		t.Fatalf("final answer %d %q, want the Authorizer's completion", p.status, p.body)
	}

	done := e.az.lastCompleted(t)
	if done.UserID != user.ID || !slices.Equal(done.AMR, []string{"pwd"}) || done.SessionID == "" || done.AuthTime == nil {
		t.Errorf("completed flow user=%q amr=%v sid=%q auth_time=%v", done.UserID, done.AMR, done.SessionID, done.AuthTime)
	}
	if !slices.Equal(done.GrantedScopes, []string{"openid", "profile"}) {
		t.Errorf("granted scopes %v, want the requested [openid profile] (first-party: no consent page)", done.GrantedScopes)
	}
	sess, err := e.store.GetBrowserSession(context.Background(), done.SessionID)
	if err != nil || sess.UserID != user.ID || !sess.ExpiresAt.Equal(sess.AuthTime.Add(24*time.Hour)) {
		t.Errorf("browser session %+v, err %v; want the user's, lasting the tenant's 24h", sess, err)
	}
}

func TestSignInCookiesHaveSafeAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()

	p := b.authorize(app, "openid")
	p = b.submit(p, 0, url.Values{"username": {"alex@contoso.example"}})
	forms := parseForms(p.body)
	f := forms[1]
	f.fields.Set("password", testPassword)
	r := b.post(f.action, f.fields)

	cookies := map[string]string{}
	for _, line := range r.header.Values("Set-Cookie") {
		cookies[line[:strings.Index(line, "=")]] = line
	}
	session := cookies["sigil_session"]
	for _, want := range []string{"Path=/", "Max-Age=86400", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(session, want) {
			t.Errorf("session cookie %q lacks %s", session, want)
		}
	}
	if b.cookie("sigil_csrf") == nil {
		t.Fatal("no CSRF cookie was set")
	}
	fresh := e.browser().get("/" + e.tenant.ID + "/oauth2/v2.0/authorize?" + authorizeParams(app, "openid").Encode())
	line := fresh.header.Get("Set-Cookie")
	for _, want := range []string{"sigil_csrf=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(line, want) {
			t.Errorf("CSRF cookie %q lacks %s", line, want)
		}
	}
}

func TestPagesUseNoScriptAndPostsAnswerSeeOther(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Payroll", false)
	b := e.browser()

	p := b.authorize(app, "openid")
	pages := []*response{p}
	p = b.submit(p, 0, url.Values{"username": {"alex@contoso.example"}})
	pages = append(pages, p)
	p = b.submit(p, 1, url.Values{"password": {testPassword}})
	pages = append(pages, p)
	requirePage(t, p, "consent")
	for _, pg := range pages {
		if strings.Contains(pg.body, "<script") || strings.Contains(pg.body, " style=") {
			t.Errorf("%s has script or inline style", pg.url.Path)
		}
	}
	b.submit(p, 0, url.Values{"decision": {"accept"}})
}

func TestNotYouReturnsToAnEmptyUsernamePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user := e.addUser("sam@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()

	p := b.authorize(app, "openid")
	p = b.submit(p, 0, url.Values{"username": {"alex@contoso.example"}})
	requirePage(t, p, "password")
	p = b.submit(p, 0, url.Values{"action": {"switch_user"}})
	requirePage(t, p, "username")
	if strings.Contains(p.body, "alex@contoso.example") {
		t.Error("the username page still shows the previous name")
	}
	p = b.submit(p, 0, url.Values{"username": {"sam@contoso.example"}})
	b.submit(p, 1, url.Values{"password": {testPassword}})
	if got := e.az.lastCompleted(t).UserID; got != user.ID {
		t.Errorf("signed in %q, want sam (%q)", got, user.ID)
	}
}

func TestUsernamePageRejectsMalformedNamesWithoutLeavingThePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()

	p := b.authorize(app, "openid")
	for _, name := range []string{"", "   ", "alex @contoso.example", strings.Repeat("a", 300)} {
		r := b.submitRaw(p, 0, url.Values{"username": {name}})
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `role="alert"`) ||
			!strings.Contains(r.body, `aria-describedby="username-error"`) {
			t.Errorf("username %q: got %d, want the page again with an announced error", name, r.status)
		}
	}
}

func TestPromptNoneWithoutASessionFailsWithLoginRequired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	app := e.addApp("Contoso Portal", true)

	p := e.browser().authorize(app, "openid", "prompt", "none")
	if p.body != "authorization failed: login_required" {
		t.Fatalf("got %d %q, want login_required from the Authorizer", p.status, p.body)
	}
	if got := e.az.lastFailure(t); got.code != "login_required" {
		t.Errorf("failure code %q", got.code)
	}
}

func TestExpiredFlowShowsTheExpiredPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()

	p := b.authorize(app, "openid")
	requirePage(t, p, "username")
	e.clock.Advance(DefaultFlowLifetime + time.Second)
	requireErrorPage(t, b.get(p.url.String()), http.StatusBadRequest, msgExpired)
	requireErrorPage(t, b.submitRaw(p, 0, url.Values{"username": {"alex@contoso.example"}}), http.StatusBadRequest, msgExpired)
}

func TestFlowIsRefusedThroughAnotherTenantsURL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other := e.addTenant("fabrikam.example")
	app := e.addApp("Contoso Portal", true)
	b := e.browser()

	p := b.authorize(app, "openid")
	requirePage(t, p, "username")
	foreign := strings.Replace(p.url.String(), "/"+e.tenant.ID+"/", "/"+other.ID+"/", 1)
	requireErrorPage(t, b.get(foreign), http.StatusBadRequest, msgWrongTenant)
	viaDomain := strings.Replace(p.url.String(), "/"+e.tenant.ID+"/", "/fabrikam.example/", 1)
	requireErrorPage(t, b.get(viaDomain), http.StatusBadRequest, msgWrongTenant)
	requireErrorPage(t, b.get(strings.Replace(p.url.String(), "/"+e.tenant.ID+"/", "/nowhere.example/", 1)),
		http.StatusNotFound, msgNoDirectory)
}

func TestUnknownFlowShowsTheExpiredPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	requireErrorPage(t, b.get("/"+e.tenant.ID+"/login/username?flow=nope"), http.StatusBadRequest, msgExpired)
	requireErrorPage(t, b.get("/"+e.tenant.ID+"/login?flow=&v=x"), http.StatusBadRequest, msgExpired)
}
