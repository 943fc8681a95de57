package authflow

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/sigil-idp/sigil/server/lockout"
)

// normalize removes what legitimately differs between two flows' pages: the
// flow ID, the CSRF token, the typed username and the asset hash stays equal.
func normalize(body, flowID, username string) string {
	body = strings.ReplaceAll(body, flowID, "FLOW")
	body = strings.ReplaceAll(body, username, "USER")
	return regexp.MustCompile(`name="csrf_token" value="[^"]*"`).ReplaceAllString(body, `name="csrf_token" value="TOKEN"`)
}

func TestUnknownUserDisabledUserAndWrongPasswordAreIndistinguishable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	e.addUser("dana@contoso.example", false)
	app := e.addApp("Contoso Portal", true)

	cases := []struct{ name, username, password string }{
		{"wrong password", "alex@contoso.example", "not the password"},
		{"unknown user", "nobody@contoso.example", "not the password"},
		{"disabled user with the right password", "dana@contoso.example", testPassword},
	}
	var pages []string
	for _, c := range cases {
		b := e.browser()
		p := b.authorize(app, "openid")
		p = b.submit(p, 0, url.Values{"username": {c.username}})
		requirePage(t, p, "password")
		flowID := p.url.Query().Get("flow")
		r := b.submitRaw(p, 1, url.Values{"password": {c.password}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("%s: POST answered %d, want 303", c.name, r.status)
		}
		if r.elapsed < testMinResponse {
			t.Errorf("%s: answered in %v, before the minimum %v", c.name, r.elapsed, testMinResponse)
		}
		p = b.follow(r)
		requirePage(t, p, "password")
		if !strings.Contains(p.body, "Your account or password is incorrect.") || !strings.Contains(p.body, `role="alert"`) {
			t.Errorf("%s: page lacks the announced error", c.name)
		}
		if e.flow(flowID).Failures != 1 {
			t.Errorf("%s: failure not counted", c.name)
		}
		pages = append(pages, normalize(p.body, flowID, c.username))
	}
	for i := 1; i < len(pages); i++ {
		if pages[i] != pages[0] {
			t.Errorf("%s page differs from %s page:\n%s\n---\n%s", cases[i].name, cases[0].name, pages[i], pages[0])
		}
	}
	if completed, _ := e.az.counts(); completed != 0 {
		t.Errorf("%d flows completed, want none", completed)
	}
}

// TestTenPasswordFailuresLockTheAccountWithTheSameAnswer: smart lockout (F-30)
// replaces the per-flow limit. The locked account's right password gets the
// wrong-password answer until the lockout ends on the injected clock.
func TestTenPasswordFailuresLockTheAccountWithTheSameAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()

	p := b.authorize(app, "openid")
	p = b.submit(p, 0, url.Values{"username": {"alex@contoso.example"}})
	for range lockout.Defaults.Threshold {
		p = b.submit(p, 1, url.Values{"password": {"guess"}})
		requirePage(t, p, "password")
	}
	p = b.submit(p, 1, url.Values{"password": {testPassword}})
	requirePage(t, p, "password")
	if !strings.Contains(p.body, "Your account or password is incorrect.") {
		t.Error("a locked account's right password must get the wrong-password answer")
	}
	if completed, _ := e.az.counts(); completed != 0 {
		t.Fatal("the right password was accepted during the lockout")
	}
	e.clock.Advance(lockout.Defaults.Duration)
	b.submit(p, 1, url.Values{"password": {testPassword}})
	if completed, _ := e.az.counts(); completed != 1 {
		t.Error("the right password was refused after the lockout ended")
	}
}

func TestFormsWithoutTheRightCSRFTokenAreForbidden(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()
	p := b.authorize(app, "openid")
	requirePage(t, p, "username")
	otherFlow := e.browser().authorize(app, "openid")

	cases := []struct {
		name  string
		token []string
	}{
		{"missing", nil},
		{"empty", []string{""}},
		{"forged", []string{"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},
		{"minted for another browser and flow", []string{parseForms(otherFlow.body)[0].fields.Get("csrf_token")}},
	}
	for _, c := range cases {
		f := parseForms(p.body)[0]
		f.fields.Set("username", "alex@contoso.example")
		f.fields["csrf_token"] = c.token
		requireErrorPage(t, b.post(f.action, f.fields), http.StatusForbidden, msgUnverified)
	}
	// A token for the username step does not work on another step's form.
	f := parseForms(p.body)[0]
	f.fields.Set("password", testPassword)
	requireErrorPage(t, b.post(strings.Replace(f.action, "/username", "/password", 1), f.fields), http.StatusForbidden, msgUnverified)
	// Without the CSRF cookie the token is worthless.
	stranger := e.browser()
	f.fields.Set("username", "alex@contoso.example")
	requireErrorPage(t, stranger.post(f.action, f.fields), http.StatusForbidden, msgUnverified)

	if got := e.flow(p.url.Query().Get("flow")); got.Step != stepUsername || got.LoginHint != "" {
		t.Errorf("a refused POST changed the flow: step %q hint %q", got.Step, got.LoginHint)
	}
}

func TestCrossOriginPostsAreForbidden(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()
	p := b.authorize(app, "openid")
	f := parseForms(p.body)[0]
	f.fields.Set("username", "alex@contoso.example")

	for _, header := range [][]string{
		{"Origin", "https://attacker.example"},
		{"Sec-Fetch-Site", "cross-site"},
		{"Sec-Fetch-Site", "same-site"},
	} {
		requireErrorPage(t, b.post(f.action, f.fields, header...), http.StatusForbidden, msgUnverified)
	}
	ok := b.post(f.action, f.fields, "Sec-Fetch-Site", "same-origin")
	if ok.status != http.StatusSeeOther {
		t.Errorf("a same-origin POST answered %d, want 303", ok.status)
	}
}

func TestAStepVerifierWorksOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()
	p := b.authorize(app, "openid")

	r := b.submitRaw(p, 0, url.Values{"username": {"alex@contoso.example"}})
	if r.status != http.StatusSeeOther || r.location.Query().Get("v") == "" {
		t.Fatalf("username POST answered %d to %v, want 303 to the dispatcher with a verifier", r.status, r.location)
	}
	dispatcher := r.location.String()
	first := b.get(dispatcher)
	if first.status != http.StatusSeeOther || !strings.HasSuffix(first.location.Path, "/login/password") {
		t.Fatalf("first use answered %d to %v, want the password page", first.status, first.location)
	}
	requireErrorPage(t, b.get(dispatcher), http.StatusBadRequest, msgStale)

	tampered := *r.location
	q := tampered.Query()
	q.Set("v", strings.Repeat("A", 43))
	tampered.RawQuery = q.Encode()
	requireErrorPage(t, b.get(tampered.String()), http.StatusBadRequest, msgStale)
}

func TestStepsRefuseToActOutOfOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Payroll", false)
	b := e.browser()
	p := b.authorize(app, "openid")
	requirePage(t, p, "username")
	flowID := p.url.Query().Get("flow")
	base := "/" + e.tenant.ID + "/login/"

	// Visiting a later page sends the browser to the flow's current one.
	for _, step := range []string{"password", "consent"} {
		r := b.get(base + step + "?flow=" + flowID)
		if r.status != http.StatusSeeOther || !strings.HasSuffix(r.location.Path, "/login/username") {
			t.Errorf("GET %s answered %d to %v, want 303 to the username page", step, r.status, r.location)
		}
	}
	// A POST to a step the flow is not at is refused even with a valid token.
	secret := b.cookie(csrfCookieName).Value
	form := url.Values{"flow": {flowID}, "csrf_token": {e.h.csrfToken(secret, flowID, stepPassword)},
		"action": {"sign_in"}, "password": {testPassword}}
	requireErrorPage(t, b.post(base+"password", form), http.StatusConflict, msgStale)
	form.Set("csrf_token", e.h.csrfToken(secret, flowID, stepConsent))
	form.Set("decision", "accept")
	requireErrorPage(t, b.post(base+"consent", form), http.StatusConflict, msgStale)
	if f := e.flow(flowID); f.Step != stepUsername || f.UserID != "" || f.Failures != 0 {
		t.Errorf("refused steps changed the flow: %+v", f)
	}
	if completed, failed := e.az.counts(); completed+failed != 0 {
		t.Error("a refused step reached the Authorizer")
	}
}

func TestConcurrentUsesOfOneVerifierLetOnlyOneThrough(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()
	p := b.authorize(app, "openid")
	r := b.submitRaw(p, 0, url.Values{"username": {"alex@contoso.example"}})
	dispatcher := r.location.String()

	const n = 4
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, dispatcher, nil)
			resp, err := b.c.Do(req)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	passed := 0
	for s := range statuses {
		switch s {
		case http.StatusSeeOther:
			passed++
		case http.StatusBadRequest, http.StatusConflict:
		default:
			t.Errorf("a concurrent use answered %d", s)
		}
	}
	if passed != 1 {
		t.Errorf("%d of %d concurrent uses went through, want exactly 1", passed, n)
	}
}

func TestLogsNeverCarryPasswordsCookiesOrVerifiers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Contoso Portal", true)
	b := e.browser()

	p := b.authorize(app, "openid")
	r := b.submitRaw(p, 0, url.Values{"username": {"alex@contoso.example"}})
	verifier := r.location.Query().Get("v")
	p = b.follow(r)
	p = b.submit(p, 1, url.Values{"password": {"wrong-secret-guess"}})
	b.submit(p, 1, url.Values{"password": {testPassword}})

	logs := e.logs.String()
	for _, secret := range []string{testPassword, "wrong-secret-guess", verifier,
		b.cookie(csrfCookieName).Value, b.cookie(sessionCookieName).Value, parseForms(p.body)[1].fields.Get("csrf_token")} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains a secret value %q", secret)
		}
	}
	for _, want := range []string{`"flow_id"`, `"client_id"`, `"user_id"`, `"msg":"password verified"`, `"reason":"wrong password"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %s", want)
		}
	}
}
