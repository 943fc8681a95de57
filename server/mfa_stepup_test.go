package server_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestStepUp: in a tenant that does not require MFA, a password session
// gets acr sfa; acr_values asking for MFA steps the same SSO session up with
// a TOTP code (no password again), and the stronger session then serves an
// essential acr claim by SSO alone; an essential acr the user cannot reach
// fails with unmet_authentication_requirements; max_age=0 with acr_values
// asks for the password and the second factor again (F-36, RFC 8176, OIDC Core §3.1.2.1,
// §5.5.1.1). On SQLite and Postgres.
func TestStepUp(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{})
			client := newMFAClient(env)
			secret, enrolled := registerTOTP(t, env, url.Values{"acr_values": {mfa.ACRMFA}})
			if enrolled.ACR != mfa.ACRMFA {
				t.Fatalf("acr_values for a user without methods: registration gave %+v", enrolled)
			}
			b := env.NewBrowser()

			authURL, verifier := client.authURL(nil)
			plain := client.exchange(t, callbackQuery(t, walkToMFA(t, b, authURL, env.User.UserPrincipalName)), verifier)
			if plain.ACR != mfa.ACRSingleFactor || plain.AccessACR != mfa.ACRSingleFactor || !slices.Equal(plain.AMR, []string{"pwd"}) {
				t.Fatalf("password sign-in: %+v, want acr %s and amr [pwd]", plain, mfa.ACRSingleFactor)
			}

			authURL, _ = client.authURL(url.Values{"acr_values": {mfa.ACRMFA}, "prompt": {"none"}})
			if q := callbackQuery(t, mustGet(t, b, authURL)); q.Get("error") != "interaction_required" {
				t.Errorf("prompt=none needing a second factor: callback %v, want interaction_required", q)
			}

			authURL, verifier = client.authURL(url.Values{"acr_values": {mfa.ACRMFA}})
			page, err := b.Get(authURL)
			must(t, err)
			if hasField(page, "password") || !hasField(page, "code") {
				t.Fatalf("step-up should ask for a code only, got %s: %.600s", page.URL, page.Body)
			}
			stepped := client.exchange(t, callbackQuery(t, submitCode(t, b, page, codeAt(t, secret, time.Now().Add(30*time.Second)))), verifier)
			if stepped.ACR != mfa.ACRMFA || !slices.Equal(stepped.AMR, []string{"pwd", "otp", "mfa"}) {
				t.Fatalf("after step-up: %+v", stepped)
			}

			essentialMFA := `{"id_token":{"acr":{"essential":true,"values":["` + mfa.ACRMFA + `"]}}}`
			authURL, verifier = client.authURL(url.Values{"claims": {essentialMFA}})
			sso := client.exchange(t, callbackQuery(t, mustGet(t, b, authURL)), verifier)
			if sso.ACR != mfa.ACRMFA {
				t.Errorf("essential MFA over an MFA session: %+v", sso)
			}

			essentialPhish := `{"id_token":{"acr":{"essential":true,"values":["` + mfa.ACRPhishingResistantMFA + `"]}}}`
			authURL, _ = client.authURL(url.Values{"claims": {essentialPhish}})
			q := callbackQuery(t, mustGet(t, b, authURL))
			if q.Get("error") != mfa.ErrUnmetAuthenticationRequirements || q.Get("code") != "" {
				t.Errorf("essential phishing-resistant acr with only TOTP: callback %v", q)
			}

			codes, err := (&mfa.RecoveryCodes{Store: env.Store}).Generate(context.Background(), env.Tenant.ID, env.User.ID)
			must(t, err)
			maxAge0 := url.Values{"max_age": {"0"}, "acr_values": {mfa.ACRMFA}}
			authURL, _ = client.authURL(maxAge0)
			if first := mustGet(t, b, authURL); !hasField(first, "username") && !hasField(first, "password") {
				t.Fatalf("max_age=0 over an MFA session: want the sign-in pages, got %s (%d)", first.URL, first.Status)
			}
			authURL, verifier = client.authURL(maxAge0)
			page = walkToMFA(t, b, authURL, env.User.UserPrincipalName)
			if !strings.Contains(page.URL.Path, "/login/mfa") {
				t.Fatalf("max_age=0 after the password: want the MFA page, got %s (%d)", page.URL, page.Status)
			}
			// Both TOTP codes of this time window are spent; a recovery code
			// serves as the second factor.
			page = recoveryPage(t, b, page)
			again := client.exchange(t, callbackQuery(t, submitCode(t, b, page, codes[0])), verifier)
			if again.ACR != mfa.ACRMFA || !slices.Equal(again.AMR, []string{"pwd", "otp", "mfa"}) {
				t.Errorf("max_age=0 re-authentication: %+v, want acr %s and amr [pwd otp mfa]", again, mfa.ACRMFA)
			}
		})
	}
}

func mustGet(t *testing.T, b *servertest.Browser, u string) *servertest.Page {
	t.Helper()
	p, err := b.Get(u)
	must(t, err)
	return p
}
