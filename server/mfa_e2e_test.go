package server_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestTOTPRegistrationAndSignIn: a tenant that requires MFA sends a user
// without a method to register an authenticator app before going on (F-04,
// no grace period; F-11 any OATH TOTP app); the first code confirms it and
// counts as the second factor; the next sign-in asks for a code, refuses the
// one already used (RFC 6238 §5.2) and takes the next one. Tokens carry
// amr pwd otp mfa (RFC 8176) and the MFA acr. On SQLite and Postgres.
func TestTOTPRegistrationAndSignIn(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{})
			requireMFA(t, env)
			client := newMFAClient(env)

			authURL, verifier := client.authURL(nil)
			b := env.NewBrowser()
			page := walkToMFA(t, b, authURL, env.User.UserPrincipalName)
			secret := registeredSecret(t, page)
			wrong := submitCode(t, b, page, wrongCode(t, secret))
			if wrong.Status != http.StatusBadRequest || !strings.Contains(wrong.Body, "That code didn&#39;t work") {
				t.Fatalf("a wrong first code: status %d, body %.600s", wrong.Status, wrong.Body)
			}
			if registeredSecret(t, wrong) != secret {
				t.Fatal("a wrong first code replaced the secret the user had scanned")
			}
			firstCode := codeAt(t, secret, time.Now())
			first := client.exchange(t, callbackQuery(t, submitCode(t, b, wrong, firstCode)), verifier)
			if first.ACR != mfa.ACRMFA || first.AccessACR != mfa.ACRMFA || !slices.Equal(first.AMR, []string{"pwd", "otp", "mfa"}) {
				t.Errorf("after registration: %+v, want acr %s and amr [pwd otp mfa]", first, mfa.ACRMFA)
			}
			m := onlyMethod(t, env, storage.AuthMethodTOTP)
			if bytes.Contains(m.Secret, []byte(secret)) || len(m.Secret) < len(secret) {
				t.Error("the TOTP secret is stored in clear")
			}

			authURL, verifier = client.authURL(nil)
			other := env.NewBrowser()
			page = walkToMFA(t, other, authURL, env.User.UserPrincipalName)
			replay := submitCode(t, other, page, firstCode)
			if replay.Status != http.StatusBadRequest || !strings.Contains(replay.Body, "already used") {
				t.Fatalf("a reused code: status %d, body %.600s", replay.Status, replay.Body)
			}
			next := codeAt(t, secret, time.Now().Add(30*time.Second))
			second := client.exchange(t, callbackQuery(t, submitCode(t, other, replay, next)), verifier)
			if second.ACR != mfa.ACRMFA || !slices.Equal(second.AMR, []string{"pwd", "otp", "mfa"}) {
				t.Errorf("second sign-in: %+v", second)
			}
		})
	}
}

// TestTOTPThrottle: wrong codes count per user in the database; after
// mfa.FreeFailures of them even the right code waits (429 with Retry-After),
// so a six-digit code cannot be guessed.
func TestTOTPThrottle(t *testing.T) {
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	requireMFA(t, env)
	secret, _ := registerTOTP(t, env, nil)
	client := newMFAClient(env)
	authURL, _ := client.authURL(nil)
	b := env.NewBrowser()
	page := walkToMFA(t, b, authURL, env.User.UserPrincipalName)
	for i := range mfa.FreeFailures {
		page = submitCode(t, b, page, wrongCode(t, secret))
		if page.Status != http.StatusBadRequest {
			t.Fatalf("wrong code %d: status %d, want 400", i+1, page.Status)
		}
	}
	blocked := submitCode(t, b, page, codeAt(t, secret, time.Now().Add(30*time.Second)))
	if blocked.Status != http.StatusTooManyRequests || blocked.Header.Get("Retry-After") == "" ||
		!strings.Contains(blocked.Body, "Too many incorrect codes") {
		t.Fatalf("the right code after %d wrong ones: status %d, Retry-After %q, body %.400s",
			mfa.FreeFailures, blocked.Status, blocked.Header.Get("Retry-After"), blocked.Body)
	}
	st, err := env.Store.GetMFAState(context.Background(), env.Tenant.ID, env.User.ID)
	must(t, err)
	if st.Failures != mfa.FreeFailures {
		t.Errorf("stored failures = %d, want %d (a throttled attempt is not even checked)", st.Failures, mfa.FreeFailures)
	}
}

// TestRecoveryCodeSignIn: a recovery code works once at the MFA step, through
// the "use another method" choice; the same code is refused afterwards.
func TestRecoveryCodeSignIn(t *testing.T) {
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	requireMFA(t, env)
	registerTOTP(t, env, nil)
	codes, err := (&mfa.RecoveryCodes{Store: env.Store}).Generate(context.Background(), env.Tenant.ID, env.User.ID)
	must(t, err)
	if len(codes) != mfa.RecoveryCodeCount {
		t.Fatalf("got %d recovery codes, want %d", len(codes), mfa.RecoveryCodeCount)
	}
	client := newMFAClient(env)
	for attempt, wantOK := range []bool{true, false} {
		authURL, verifier := client.authURL(nil)
		b := env.NewBrowser()
		page := recoveryPage(t, b, walkToMFA(t, b, authURL, env.User.UserPrincipalName))
		done := submitCode(t, b, page, strings.ToLower(codes[3]))
		if !wantOK {
			if done.Status != http.StatusBadRequest || !strings.Contains(done.Body, "recovery code didn&#39;t work") {
				t.Fatalf("reused recovery code: status %d, body %.400s", done.Status, done.Body)
			}
			continue
		}
		got := client.exchange(t, callbackQuery(t, done), verifier)
		if got.ACR != mfa.ACRMFA || !slices.Equal(got.AMR, []string{"pwd", "otp", "mfa"}) {
			t.Errorf("attempt %d: %+v", attempt, got)
		}
	}
}

// recoveryPage follows the "Use a recovery code" link of the MFA page.
func recoveryPage(t *testing.T, b *servertest.Browser, mfaPage *servertest.Page) *servertest.Page {
	t.Helper()
	i := strings.Index(mfaPage.Body, "method=recovery_code")
	if i < 0 {
		t.Fatalf("the MFA page offers no recovery code: %.800s", mfaPage.Body)
	}
	start := strings.LastIndex(mfaPage.Body[:i], `href="`) + len(`href="`)
	href := strings.ReplaceAll(mfaPage.Body[start:i+len("method=recovery_code")], "&amp;", "&")
	u, err := mfaPage.URL.Parse(href)
	must(t, err)
	page, err := b.Get(u.String())
	must(t, err)
	if !strings.Contains(page.Body, "Enter a recovery code") {
		t.Fatalf("recovery page: %.600s", page.Body)
	}
	return page
}
