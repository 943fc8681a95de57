package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestNumberMatchingApproval: a user registers a signed-in browser as their
// approver (F-11 push-style approval without a phone app). At the next
// sign-in, whose client asks for MFA (acr_values), Sigil shows a two-digit number (F-02,
// F-03); the approver, a second browser with its own cookie jar, shows the
// app, IP and time of the request and the user types the number: the right
// number signs in (amr mca mfa), a wrong one denies and fails that
// sign-in, and a request left unanswered past its deadline fails. Each
// approval is taken once. On SQLite and Postgres.
func TestNumberMatchingApproval(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{})
			client := newMFAClient(env)
			device := registerApprover(t, env, client)
			askMFA := url.Values{"acr_values": {mfa.ACRMFA}}

			t.Run("the right number signs in", func(t *testing.T) {
				authURL, verifier := client.authURL(askMFA)
				b := env.NewBrowser()
				signIn := walkToMFA(t, b, authURL, env.User.UserPrincipalName)
				number := shownNumber(t, signIn)
				answered := answerOnApprover(t, env, device, strconv.Itoa(number), env.Web.DisplayName)
				if !strings.Contains(answered.Body, "Approved") {
					t.Fatalf("approver after the right number: %d %.800s", answered.Status, answered.Body)
				}
				got := client.exchange(t, callbackQuery(t, continueSignIn(t, b, signIn)), verifier)
				if got.ACR != mfa.ACRMFA || !slices.Contains(got.AMR, "mca") || !slices.Contains(got.AMR, "mfa") {
					t.Errorf("tokens after an approval: %+v, want acr %s and amr with mca and mfa", got, mfa.ACRMFA)
				}
				again := continueSignIn(t, b, signIn)
				if again.Status == http.StatusSeeOther && strings.HasPrefix(again.Location, servertest.Callback) {
					t.Error("one approval signed in twice")
				}
			})
			t.Run("a wrong number denies and fails the sign-in", func(t *testing.T) {
				authURL, _ := client.authURL(askMFA)
				b := env.NewBrowser()
				signIn := walkToMFA(t, b, authURL, env.User.UserPrincipalName)
				wrong := (shownNumber(t, signIn)-10+1)%90 + 10
				answered := answerOnApprover(t, env, device, strconv.Itoa(wrong), env.Web.DisplayName)
				if !strings.Contains(answered.Body, "didn&#39;t match") {
					t.Fatalf("approver after a wrong number: %d %.800s", answered.Status, answered.Body)
				}
				wantRefused(t, "continuing after a denial", continueSignIn(t, b, signIn), "The request was denied")
				if list := approverPage(t, env, device); strings.Contains(list.Body, `name="number"`) {
					t.Error("a denied request is still offered on the approver")
				}
			})
			t.Run("an unanswered request times out", func(t *testing.T) {
				authURL, _ := client.authURL(askMFA)
				b := env.NewBrowser()
				signIn := walkToMFA(t, b, authURL, env.User.UserPrincipalName)
				shownNumber(t, signIn)
				expireApprovals(t, env)
				if list := approverPage(t, env, device); strings.Contains(list.Body, `name="number"`) {
					t.Error("an expired request is still offered on the approver")
				}
				wantRefused(t, "continuing after the deadline", continueSignIn(t, b, signIn), "timed out")
			})
		})
	}
}

// registerApprover signs a second browser in (single factor) and registers
// it on the approver page; the browser keeps the device cookie.
func registerApprover(t *testing.T, env *servertest.Env, client *mfaClient) *servertest.Browser {
	t.Helper()
	device := env.NewBrowser()
	authURL, _ := client.authURL(nil)
	_, err := device.SignIn(authURL, env.User.UserPrincipalName, servertest.Password)
	must(t, err)
	reg := approverPage(t, env, device)
	f, err := reg.FormWith("token")
	must(t, err)
	done, err := device.Submit(reg, f, url.Values{"name": {"Adele's laptop"}})
	must(t, err)
	if !strings.Contains(done.Body, "No sign-in requests are waiting") {
		t.Fatalf("after registering the approver: %d %.800s", done.Status, done.Body)
	}
	onlyMethod(t, env, storage.AuthMethodApprover)
	return device
}

func approverPage(t *testing.T, env *servertest.Env, device *servertest.Browser) *servertest.Page {
	t.Helper()
	p, err := device.Get(env.Server.URL + "/" + env.Tenant.ID + "/account/approver")
	must(t, err)
	return p
}

var numberPattern = regexp.MustCompile(`class="ext-display-sign" dir="ltr" aria-live="polite">(\d\d)<`)

// shownNumber reads the number the sign-in page asks the user to type.
func shownNumber(t *testing.T, p *servertest.Page) int {
	t.Helper()
	m := numberPattern.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no number on %s (%d, Location %s): %.800s", p.URL, p.Status, p.Location, p.Body)
	}
	if !strings.HasPrefix(p.Header.Get("Refresh"), "3; url=") {
		t.Errorf("the waiting sign-in page does not poll: Refresh %q", p.Header.Get("Refresh"))
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// answerOnApprover types the number into the approver's only request after
// checking it shows the app, the IP and the time.
func answerOnApprover(t *testing.T, env *servertest.Env, device *servertest.Browser, number, app string) *servertest.Page {
	t.Helper()
	list := approverPage(t, env, device)
	for _, want := range []string{app, "127.0.0.1", time.Now().UTC().Format("2006-01-02")} {
		if !strings.Contains(list.Body, want) {
			t.Errorf("the approver does not show %q: %.1200s", want, list.Body)
		}
	}
	f, err := list.FormWith("number")
	must(t, err)
	answered, err := device.Submit(list, f, url.Values{"number": {number}})
	must(t, err)
	return answered
}

// continueSignIn posts the sign-in page's form, as its Continue button does.
func continueSignIn(t *testing.T, b *servertest.Browser, p *servertest.Page) *servertest.Page {
	t.Helper()
	f, err := p.FormWith("flow")
	must(t, err)
	next, err := b.Submit(p, f, nil)
	must(t, err)
	return next
}

// expireApprovals moves the user's pending requests past their deadline, as
// the passing of the 60-second lifetime does.
func expireApprovals(t *testing.T, env *servertest.Env) {
	t.Helper()
	pending, err := env.Store.ListApprovalRequests(t.Context(), env.Tenant.ID, env.User.ID, storage.ApprovalPending, time.Now())
	must(t, err)
	if len(pending) != 1 {
		t.Fatalf("%d pending requests, want 1", len(pending))
	}
	req := pending[0]
	req.CreatedAt, req.ExpiresAt = req.CreatedAt.Add(-2*time.Minute), req.ExpiresAt.Add(-2*time.Minute)
	must(t, env.Store.SaveApprovalRequest(t.Context(), &req))
}

// TestApproverRefusesForgedAnswers: the approver's answer form needs the
// device cookie and the token minted for that device and request; a
// browser without the device, or a forged token, is refused and the
// request stays pending (F-02: approvals cannot be pushed by anyone else).
// Registering a browser needs a recent sign-in: without one the approver
// page starts it.
func TestApproverRefusesForgedAnswers(t *testing.T) {
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	client := newMFAClient(env)
	device := registerApprover(t, env, client)
	authURL, _ := client.authURL(url.Values{"acr_values": {mfa.ACRMFA}})
	b := env.NewBrowser()
	number := shownNumber(t, walkToMFA(t, b, authURL, env.User.UserPrincipalName))
	list := approverPage(t, env, device)
	f, err := list.FormWith("number")
	must(t, err)
	stranger := env.NewBrowser()
	for name, tc := range map[string]struct {
		b   *servertest.Browser
		set url.Values
	}{
		"a browser that is not the approver": {stranger, url.Values{"number": {strconv.Itoa(number)}}},
		"a forged token":                     {device, url.Values{"number": {strconv.Itoa(number)}, "token": {"forged"}}},
	} {
		got, err := tc.b.Submit(list, servertest.Form{Action: f.Action, Fields: cloneValues(f.Fields)}, tc.set)
		must(t, err)
		if got.Status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, got.Status)
		}
	}
	pending, err := env.Store.ListApprovalRequests(t.Context(), env.Tenant.ID, env.User.ID, storage.ApprovalPending, time.Now())
	must(t, err)
	if len(pending) != 1 {
		t.Errorf("%d pending requests after forged answers, want 1", len(pending))
	}
	if page := approverPage(t, env, stranger); !hasField(page, "username") {
		t.Errorf("a browser without a session or device is not sent to sign in: %s (%d)", page.URL, page.Status)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
