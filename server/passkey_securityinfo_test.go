package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestSecurityInfoPasskeys: on "Security info" (F-20) a user adds two named
// passkeys (several per user, F-25), answering with the first whenever Sigil
// asks for a fresh MFA, sees both listed by name, removes one and renames
// the other; the removed passkey no longer signs in.
func TestSecurityInfoPasskeys(t *testing.T) {
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{Host: passkeyHost})
	b := env.NewBrowser()
	infoURL := env.Server.URL + "/" + env.Domain + "/account/security-info"
	laptop, phone := newSoftAuthenticator(t, env), newSoftAuthenticator(t, env)

	list := walkToMFA(t, b, infoURL, env.User.UserPrincipalName)
	add := followLink(t, b, list, "method=passkey")
	added := submitPasskey(t, b, add, laptop.create(t, pageOptions(t, add)), "Laptop")
	if !strings.Contains(added.URL.RawQuery, "done=added") || !strings.Contains(added.Body, "Laptop") {
		t.Fatalf("after adding the first passkey: %s (%d): %.600s", added.URL, added.Status, added.Body)
	}
	add = followLink(t, b, added, "method=passkey")
	if strings.Contains(add.URL.Path, "/login/mfa") {
		add = submitPasskey(t, b, add, laptop.get(t, pageOptions(t, add)), "")
	}
	added = submitPasskey(t, b, add, phone.create(t, pageOptions(t, add)), "Phone")
	if !strings.Contains(added.Body, "Laptop") || !strings.Contains(added.Body, "Phone") {
		t.Fatalf("after adding the second passkey: %s (%d): %.600s", added.URL, added.Status, added.Body)
	}

	methods, err := env.Store.ListAuthMethods(t.Context(), env.Tenant.ID, env.User.ID)
	must(t, err)
	var laptopID string
	for _, m := range methods {
		if m.Kind == storage.AuthMethodPasskey && m.Name == "Laptop" {
			laptopID = m.ID
		}
	}
	removed := removeMethod(t, b, added, laptopID)
	if strings.Contains(removed.URL.Path, "/login/mfa") {
		removed = submitPasskey(t, b, removed, phone.get(t, pageOptions(t, removed)), "")
		removed = removeMethod(t, b, removed, laptopID)
	}
	if !strings.Contains(removed.URL.RawQuery, "done=removed") || strings.Contains(removed.Body, "Laptop") {
		t.Fatalf("after removing the laptop: %s (%d): %.600s", removed.URL, removed.Status, removed.Body)
	}

	renamed := renameMethod(t, b, removed, "Phone", "Pixel 9")
	if !strings.Contains(renamed.Body, "Pixel 9") || strings.Contains(renamed.Body, `value="Phone"`) {
		t.Fatalf("after renaming: %s (%d): %.600s", renamed.URL, renamed.Status, renamed.Body)
	}

	client := newMFAClient(env)
	authURL, _ := client.authURL(nil)
	other := env.NewBrowser()
	username, err := other.Get(authURL)
	must(t, err)
	m := passkeyLink.FindStringSubmatch(username.Body)
	if m == nil {
		t.Fatalf("no passkey sign-in offered: %.600s", username.Body)
	}
	prompt := mustGet(t, other, env.Server.URL+strings.ReplaceAll(m[1], "&amp;", "&"))
	refused := submitPasskey(t, other, prompt, laptop.get(t, pageOptions(t, prompt)), "")
	if refused.Status != http.StatusBadRequest {
		t.Errorf("a removed passkey: status %d, want 400: %.600s", refused.Status, refused.Body)
	}
}

// renameMethod submits the rename form of the method named from.
func renameMethod(t *testing.T, b *servertest.Browser, p *servertest.Page, from, to string) *servertest.Page {
	t.Helper()
	for _, f := range p.Forms() {
		if strings.HasSuffix(f.Action, "/rename") && f.Fields.Get("name") == from {
			next, err := b.Submit(p, f, url.Values{"name": {to}})
			must(t, err)
			return next
		}
	}
	t.Fatalf("no rename form for %q on %s: %.600s", from, p.URL, p.Body)
	return nil
}
