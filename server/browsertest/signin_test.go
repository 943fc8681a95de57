package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// badCredentials is what the password page says for a wrong password and for
// an unknown user alike.
const badCredentials = "Your account or password is incorrect."

// TestKeyboardSignIn walks the whole sign-in with key presses only — the focus
// starts in each page's field, Enter submits, Accept has focus on the consent
// page — and ends at the relying party with a code it can redeem. It takes the
// screenshots of the username, password, wrong-password and consent pages.
func TestKeyboardSignIn(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	for _, tt := range []struct {
		name string
		vp   viewport
	}{
		{"a person signs in with the keyboard only on a desktop", desktop},
		{"a person signs in with the keyboard only on a phone", phone},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
			tb := b.newTab(t, env, tt.vp)
			conf := env.OAuth2(env.ThirdParty, env.ThirdSecret)
			verifier := oauth2.GenerateVerifier()

			tb.open(conf.AuthCodeURL("state-keyboard", oauth2.S256ChallengeOption(verifier)))
			tb.screenshot("username")
			tb.signInUsername(env.User.UserPrincipalName)
			tb.screenshot("password")
			tb.signInPassword("not the password")
			if got := tb.alertText(); got != badCredentials {
				t.Fatalf("after a wrong password the alert says %q, want %q", got, badCredentials)
			}
			tb.screenshot("password-error")
			tb.signInPassword(servertest.Password)
			tb.expectConsent()
			tb.screenshot("consent")
			tb.press(kb.Enter)

			rp := tb.awaitRP(nil)
			if rp.Method != "GET" || rp.URL.Scheme+"://"+rp.URL.Host+rp.URL.Path != servertest.Callback {
				t.Fatalf("the browser sent %s to %s%s, want GET %s", rp.Method, rp.URL.Host, rp.URL.Path, servertest.Callback)
			}
			checkAuthorizationResponse(t, env, rp.Params, "state-keyboard")
			tok, err := conf.Exchange(env.ClientContext(context.Background()), rp.Params.Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatalf("redeem the code the browser carried: %v", err)
			}
			if tok.Extra("id_token") == nil {
				t.Error("the token response has no id_token")
			}
		})
	}
}

// expectConsent waits for the consent page and checks Accept has focus.
func (tb *tab) expectConsent() {
	tb.t.Helper()
	tb.do("wait for the consent page", chromedp.WaitVisible(chromedp.CSS(acceptButton)))
	if !evaluate[bool](tb, `document.activeElement.matches('`+acceptButton+`')`) {
		tb.t.Fatalf("the consent page opened with focus on %s, want the Accept button",
			evaluate[string](tb, `document.activeElement.outerHTML.slice(0, 120)`))
	}
}

const acceptButton = `button[name="decision"][value="accept"]`

// TestErrorPage checks the branded error page a browser gets when the
// authorize request cannot be answered at the client (an unregistered
// redirect URI): a heading, the reason in an alert and a request ID.
func TestErrorPage(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	for _, tt := range []struct {
		name string
		vp   viewport
	}{
		{"an unregistered redirect URI shows the branded error page on a desktop", desktop},
		{"an unregistered redirect URI shows the branded error page on a phone", phone},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
			tb := b.newTab(t, env, tt.vp)
			tb.open(errorPageURL(env))
			if got := evaluate[string](tb, `document.querySelector("h1").textContent`); got != "We couldn't sign you in" {
				t.Errorf("error page heading %q", got)
			}
			if got := tb.alertText(); !strings.Contains(got, "redirect URI") {
				t.Errorf("error page alert %q, want the redirect URI mismatch explained", got)
			}
			if got := evaluate[string](tb, `document.querySelector(".ext-request-id").textContent`); !strings.HasPrefix(got, "Request ID: ") {
				t.Errorf("error page request ID line %q", got)
			}
			tb.screenshot("error")
		})
	}
}

// errorPageURL is an authorize request whose redirect URI is not registered.
func errorPageURL(env *servertest.Env) string {
	conf := env.OAuth2(env.Web, env.WebSecret)
	conf.RedirectURL = "https://attacker.example.test/callback"
	return conf.AuthCodeURL("state-error", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
}
