package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// inlineScriptCount counts what a CSP without 'unsafe-inline' would refuse to
// run: script elements without src, inline event handlers and javascript: URLs.
const inlineScriptCount = `document.querySelectorAll("script:not([src])").length +
	[...document.querySelectorAll("*")].filter(e => [...e.attributes].some(a =>
		a.name.startsWith("on") || /^\s*javascript:/i.test(a.value))).length`

// TestPagesKeepTheirCSP walks the sign-in pages and the error page and fails
// on inline script in the markup, on any Content-Security-Policy violation the
// browser reports, and on any uncaught exception.
func TestPagesKeepTheirCSP(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	t.Run("no sign-in page runs inline script or violates its CSP", func(t *testing.T) {
		t.Parallel()
		env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
		tb := b.newTab(t, env, desktop)
		conf := env.OAuth2(env.ThirdParty, env.ThirdSecret)

		tb.open(errorPageURL(env))
		tb.checkScriptsAndCSP("error")
		tb.open(conf.AuthCodeURL("state-csp-walk", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		tb.checkScriptsAndCSP("username")
		tb.signInUsername(env.User.UserPrincipalName)
		tb.checkScriptsAndCSP("password")
		tb.signInPassword("not the password")
		tb.checkScriptsAndCSP("password with an error")
		tb.signInPassword(servertest.Password)
		tb.expectConsent()
		tb.checkScriptsAndCSP("consent")
		tb.press(kb.Enter)
		tb.awaitRP(nil)
		tb.checkScriptsAndCSP("consent, after Accept")
	})
	t.Run("the check sees a script the page did not ship", func(t *testing.T) {
		t.Parallel()
		env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
		tb := b.newTab(t, env, desktop)
		tb.open(errorPageURL(env))
		evaluate[bool](tb, `!!document.body.appendChild(Object.assign(document.createElement("script"), {textContent: "window.planted = true"}))`)
		if evaluate[bool](tb, `window.planted === true`) {
			t.Fatal("an inline script ran: the page's CSP allows inline script")
		}
		if violations := cspViolations(tb.recorded()); len(violations) == 0 {
			t.Fatalf("the browser blocked an inline script but the test saw no CSP report; it saw %v", tb.recorded())
		}
	})
}

// checkScriptsAndCSP fails the test for inline script on the current page and
// for every CSP violation or exception reported since the last check.
func (tb *tab) checkScriptsAndCSP(pageName string) {
	tb.t.Helper()
	if n := evaluate[int](tb, inlineScriptCount); n != 0 {
		tb.t.Errorf("%s page: %d inline scripts or event handlers", pageName, n)
	}
	for _, r := range cspViolations(tb.takeReports()) {
		tb.t.Errorf("%s page: %s", pageName, r)
	}
}

// cspViolations keeps the reports of blocked content and of exceptions.
func cspViolations(reports []report) []report {
	var out []report
	for _, r := range reports {
		if r.kind == "exception" || strings.Contains(r.text, "Content Security Policy") {
			out = append(out, r)
		}
	}
	return out
}

// takeReports returns what the pages reported since the last call.
func (tb *tab) takeReports() []report {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	out := tb.reports
	tb.reports = nil
	return out
}
