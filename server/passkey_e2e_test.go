package server_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestPasskeyRegistrationAndSignIn: a user who must register MFA (F-04)
// creates a named passkey (F-22, F-25) with a software authenticator; the
// registration counts as phishing-resistant MFA (F-36: amr hwk user mfa).
// The next sign-in asks for the passkey; an assertion for another origin
// (a phishing site), a replayed assertion of an earlier challenge and a
// cloned authenticator whose counter went back are refused; the genuine
// one signs the user in. On SQLite and Postgres.
func TestPasskeyRegistrationAndSignIn(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{Host: passkeyHost})
			requireMFA(t, env)
			client := newMFAClient(env)
			key := newSoftAuthenticator(t, env)

			authURL, verifier := client.authURL(nil)
			b := env.NewBrowser()
			reg := passkeyPage(t, b, walkToMFA(t, b, authURL, env.User.UserPrincipalName), "mfa_register")
			first := client.exchange(t, callbackQuery(t, submitPasskey(t, b, reg, key.create(t, pageOptions(t, reg)), "Work laptop")), verifier)
			wantPhishingResistant(t, "after registration", first)
			if m := onlyMethod(t, env, storage.AuthMethodPasskey); m.Name != "Work laptop" {
				t.Errorf("stored passkey named %q, want Work laptop", m.Name)
			}

			authURL, verifier = client.authURL(nil)
			other := env.NewBrowser()
			challenge := walkToMFA(t, other, authURL, env.User.UserPrincipalName)
			stale := key.get(t, pageOptions(t, challenge))
			phisher := *key
			phisher.origin = "https://login.contoso-secure.example"
			refused := submitPasskey(t, other, challenge, phisher.get(t, pageOptions(t, challenge)), "")
			wantRefused(t, "an assertion made for another origin", refused, "wasn&#39;t accepted")
			signedIn := client.exchange(t, callbackQuery(t, submitPasskey(t, other, refused, key.get(t, pageOptions(t, refused)), "")), verifier)
			wantPhishingResistant(t, "passkey sign-in", signedIn)

			authURL, _ = client.authURL(nil)
			third := env.NewBrowser()
			challenge = walkToMFA(t, third, authURL, env.User.UserPrincipalName)
			wantRefused(t, "a replayed assertion of an earlier challenge", submitPasskey(t, third, challenge, stale, ""), "wasn&#39;t accepted")
			clone := *key
			clone.count = 1
			challenge = walkToMFA(t, third, authURL, env.User.UserPrincipalName)
			wantRefused(t, "a cloned authenticator whose counter went back", submitPasskey(t, third, challenge, clone.get(t, pageOptions(t, challenge)), ""), "looks copied")
		})
	}
}

// TestPasskeyChallengeIsSingleUse: posting one assertion twice on the same
// flow finds no challenge the second time (F-25 replay guard).
func TestPasskeyChallengeIsSingleUse(t *testing.T) {
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{Host: passkeyHost})
	requireMFA(t, env)
	client := newMFAClient(env)
	key := newSoftAuthenticator(t, env)
	authURL, _ := client.authURL(nil)
	b := env.NewBrowser()
	reg := passkeyPage(t, b, walkToMFA(t, b, authURL, env.User.UserPrincipalName), "mfa_register")
	answer := key.create(t, pageOptions(t, reg))
	callbackQuery(t, submitPasskey(t, b, reg, answer, ""))
	again := submitPasskey(t, b, reg, answer, "")
	if again.Status == http.StatusSeeOther && strings.HasPrefix(again.Location, servertest.Callback) {
		t.Fatal("a registration response was accepted twice")
	}
	onlyMethod(t, env, storage.AuthMethodPasskey) // fails unless exactly one passkey was stored
}

// passkeyPage opens the passkey variant of an MFA page (step mfa or
// mfa_register) as the "use another method" link does.
func passkeyPage(t *testing.T, b *servertest.Browser, p *servertest.Page, step string) *servertest.Page {
	t.Helper()
	if !strings.Contains(p.URL.Path, "/login/"+step) {
		t.Fatalf("expected the %s page, got %s (%d): %.600s", step, p.URL, p.Status, p.Body)
	}
	u := *p.URL
	q := u.Query()
	q.Set("method", mfa.KindPasskey)
	u.RawQuery = q.Encode()
	next, err := b.Get(u.String())
	must(t, err)
	return next
}

// submitPasskey posts what webauthn.js would: the credential JSON (and the
// passkey's name on the registration page).
func submitPasskey(t *testing.T, b *servertest.Browser, p *servertest.Page, credential, name string) *servertest.Page {
	t.Helper()
	f, err := p.FormWith("credential")
	must(t, err)
	set := url.Values{"credential": {credential}}
	if name != "" {
		set.Set("name", name)
	}
	next, err := b.Submit(p, f, set)
	must(t, err)
	return next
}

func wantPhishingResistant(t *testing.T, what string, got mfaTokens) {
	t.Helper()
	if got.ACR != mfa.ACRPhishingResistantMFA || got.AccessACR != mfa.ACRPhishingResistantMFA ||
		!slices.Contains(got.AMR, "hwk") || !slices.Contains(got.AMR, "mfa") {
		t.Errorf("%s: %+v, want acr %s and amr with hwk and mfa", what, got, mfa.ACRPhishingResistantMFA)
	}
}

func wantRefused(t *testing.T, what string, p *servertest.Page, message string) {
	t.Helper()
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, message) {
		t.Fatalf("%s: status %d, body %.800s", what, p.Status, p.Body)
	}
}

var passkeyLink = regexp.MustCompile(`<a class="ext-link" href="([^"]+)">Sign in with a passkey</a>`)

// TestPasswordlessPasskeySignIn: "Sign in with a passkey" on the username
// page signs the user in with no username or password (a discoverable
// credential names them): phishing-resistant MFA on its own (F-36), amr
// without pwd. A passkey answer made for another origin is refused. On
// SQLite and Postgres.
func TestPasswordlessPasskeySignIn(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{Host: passkeyHost})
			requireMFA(t, env)
			client := newMFAClient(env)
			key := newSoftAuthenticator(t, env)
			authURL, verifier := client.authURL(nil)
			b := env.NewBrowser()
			reg := passkeyPage(t, b, walkToMFA(t, b, authURL, env.User.UserPrincipalName), "mfa_register")
			client.exchange(t, callbackQuery(t, submitPasskey(t, b, reg, key.create(t, pageOptions(t, reg)), "")), verifier)

			authURL, verifier = client.authURL(nil)
			other := env.NewBrowser()
			username, err := other.Get(authURL)
			must(t, err)
			m := passkeyLink.FindStringSubmatch(username.Body)
			if m == nil {
				t.Fatalf("the username page offers no passkey sign-in: %.800s", username.Body)
			}
			prompt, err := other.Get(env.Server.URL + html.UnescapeString(m[1]))
			must(t, err)
			phisher := *key
			phisher.origin = "https://login.contoso-secure.example"
			refused := submitPasskey(t, other, prompt, phisher.get(t, pageOptions(t, prompt)), "")
			wantRefused(t, "a passwordless answer made for another origin", refused, "wasn&#39;t accepted")
			got := client.exchange(t, callbackQuery(t, submitPasskey(t, other, refused, key.get(t, pageOptions(t, refused)), "")), verifier)
			wantPhishingResistant(t, "passwordless sign-in", got)
			if slices.Contains(got.AMR, "pwd") {
				t.Errorf("a passwordless sign-in claims a password: amr %v", got.AMR)
			}
		})
	}
}
