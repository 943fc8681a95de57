package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestSecurityInfoPages walks "My sign-ins / Security info" (F-20): without
// a session the page asks the user to sign in and comes back; the first
// method is added after the password alone; recovery codes are shown once
// and one serves as the fresh second factor that removing a method ("register
// security info" user action) asks of a password-only session. On SQLite and Postgres.
func TestSecurityInfoPages(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{})
			b := env.NewBrowser()
			infoURL := env.Server.URL + "/" + env.Domain + "/account/security-info"

			list := walkToMFA(t, b, infoURL, env.User.UserPrincipalName)
			if list.Status != http.StatusOK || !strings.Contains(list.Body, "You have no sign-in methods yet") {
				t.Fatalf("security info after signing in: %s (%d): %.600s", list.URL, list.Status, list.Body)
			}
			add := followLink(t, b, list, "method=totp")
			secret := registeredSecret(t, add)
			added := submitCode(t, b, add, codeAt(t, secret, time.Now()))
			if !strings.Contains(added.URL.RawQuery, "done=added") || !strings.Contains(added.Body, "Authenticator app") {
				t.Fatalf("after adding the app: %s (%d): %.600s", added.URL, added.Status, added.Body)
			}

			codes := generateRecoveryCodes(t, b, added)
			if len(codes) != mfa.RecoveryCodeCount {
				t.Fatalf("shown %d recovery codes, want %d", len(codes), mfa.RecoveryCodeCount)
			}

			// Another browser signed in to an application with the password
			// only: it may look, but removing the app needs a fresh MFA.
			client := newMFAClient(env)
			authURL, _ := client.authURL(nil)
			pwdOnly := env.NewBrowser()
			callbackQuery(t, walkToMFA(t, pwdOnly, authURL, env.User.UserPrincipalName))
			list = mustGet(t, pwdOnly, infoURL)
			m := onlyMethod(t, env, storage.AuthMethodTOTP)
			challenge := removeMethod(t, pwdOnly, list, m.ID)
			if !strings.Contains(challenge.URL.Path, "/login/mfa") {
				t.Fatalf("removing without a fresh MFA: want the MFA page, got %s (%d): %.400s", challenge.URL, challenge.Status, challenge.Body)
			}
			back := submitCode(t, pwdOnly, recoveryPage(t, pwdOnly, challenge), codes[0])
			if back.URL.Path != "/"+env.Domain+"/account/security-info" {
				t.Fatalf("after the MFA: want the security-info page, got %s (%d)", back.URL, back.Status)
			}
			removed := removeMethod(t, pwdOnly, back, m.ID)
			if !strings.Contains(removed.URL.RawQuery, "done=removed") || !strings.Contains(removed.Body, "You have no sign-in methods yet") {
				t.Fatalf("after removing: %s (%d): %.600s", removed.URL, removed.Status, removed.Body)
			}

		})
	}
}

// TestSecurityInfoRefusesForgedForms: a POST without this session's token,
// or from another origin, changes nothing.
func TestSecurityInfoRefusesForgedForms(t *testing.T) {
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	b := env.NewBrowser()
	list := walkToMFA(t, b, env.Server.URL+"/"+env.Domain+"/account/security-info", env.User.UserPrincipalName)
	f, err := list.FormWith("csrf_token")
	must(t, err)
	forged, err := b.Submit(list, f, url.Values{"csrf_token": {"forged"}})
	must(t, err)
	if forged.Status != http.StatusForbidden {
		t.Errorf("forged token: status %d, want 403", forged.Status)
	}
	codes, err := env.Store.ListRecoveryCodes(context.Background(), env.Tenant.ID, env.User.ID)
	must(t, err)
	if len(codes) != 0 {
		t.Errorf("a forged form generated %d recovery codes", len(codes))
	}
}

// TestRequireReRegistration: the admin action deletes the user's methods and
// sends them to register at the next sign-in even though the tenant does
// not require MFA; registering clears the flag.
func TestRequireReRegistration(t *testing.T) {
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	requireMFA(t, env)
	registerTOTP(t, env, nil)
	tenant, err := env.Store.GetTenant(context.Background(), env.Tenant.ID)
	must(t, err)
	tenant.Settings.RequireMFA = false
	must(t, env.Store.UpdateTenant(context.Background(), tenant))

	must(t, mfa.RequireReRegistration(context.Background(), env.Store, env.Tenant.ID, env.User.ID))
	ms, err := env.Store.ListAuthMethods(context.Background(), env.Tenant.ID, env.User.ID)
	must(t, err)
	if len(ms) != 0 {
		t.Fatalf("methods left after re-registration was required: %+v", ms)
	}
	_, got := registerTOTP(t, env, nil)
	if got.ACR != mfa.ACRMFA {
		t.Errorf("registration sign-in: %+v", got)
	}
	st, err := env.Store.GetMFAState(context.Background(), env.Tenant.ID, env.User.ID)
	must(t, err)
	if st.RegistrationRequired {
		t.Error("the re-registration flag is still set after registering")
	}
}

// followLink loads the page's link whose href contains part.
func followLink(t *testing.T, b *servertest.Browser, p *servertest.Page, part string) *servertest.Page {
	t.Helper()
	re := regexp.MustCompile(`href="([^"]*` + regexp.QuoteMeta(part) + `[^"]*)"`)
	m := re.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no link with %q on %s: %.600s", part, p.URL, p.Body)
	}
	u, err := p.URL.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
	must(t, err)
	return mustGet(t, b, u.String())
}

var recoveryCodePattern = regexp.MustCompile(`<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>`)

// generateRecoveryCodes presses "Generate new recovery codes" and reads them.
func generateRecoveryCodes(t *testing.T, b *servertest.Browser, p *servertest.Page) []string {
	t.Helper()
	for _, f := range p.Forms() {
		if strings.HasSuffix(f.Action, "/recovery-codes") {
			shown, err := b.Submit(p, f, nil)
			must(t, err)
			if shown.Header.Get("Cache-Control") != "no-store" {
				t.Error("the recovery codes page may be cached")
			}
			var codes []string
			for _, m := range recoveryCodePattern.FindAllStringSubmatch(shown.Body, -1) {
				codes = append(codes, m[1])
			}
			return codes
		}
	}
	t.Fatalf("no recovery-codes form on %s", p.URL)
	return nil
}

// removeMethod presses "Remove" for the method.
func removeMethod(t *testing.T, b *servertest.Browser, p *servertest.Page, id string) *servertest.Page {
	t.Helper()
	for _, f := range p.Forms() {
		if f.Fields.Get("id") == id {
			next, err := b.Submit(p, f, nil)
			must(t, err)
			return next
		}
	}
	t.Fatalf("no remove form for %s on %s: %.600s", id, p.URL, p.Body)
	return nil
}
