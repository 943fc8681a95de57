package authflow

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// E-07: an application gets only the scopes the user granted it.
func TestConsentIsAskedOnceAndRemembered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user := e.addUser("alex@contoso.example", true)
	app := e.addApp("Payroll", false)
	b := e.browser()

	p := b.signIn(app, "alex@contoso.example", "openid profile email")
	requirePage(t, p, "consent")
	for _, want := range []string{"Payroll", "Sign you in", "View your basic profile", "View your email address", "alex@contoso.example"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	if strings.Contains(p.body, "Maintain access") {
		t.Error("consent page lists offline_access, which was not requested")
	}
	b.submit(p, 0, url.Values{"decision": {"accept"}})
	if got := e.az.lastCompleted(t).GrantedScopes; !slices.Equal(got, []string{"openid", "profile", "email"}) {
		t.Errorf("granted %v, want the requested scopes", got)
	}
	c, err := e.store.GetConsent(context.Background(), e.tenant.ID, user.ID, app.ID)
	if err != nil || !slices.Equal(c.Scopes, []string{"openid", "profile", "email"}) {
		t.Errorf("stored consent %+v, %v", c, err)
	}

	if p := b.authorize(app, "openid profile"); p.body != "authorization complete" {
		t.Errorf("covered scopes showed %s, want completion without consent", p.url.Path)
	}
	if got := e.az.lastCompleted(t).GrantedScopes; !slices.Equal(got, []string{"openid", "profile"}) {
		t.Errorf("granted %v, want only what this request asked for", got)
	}
	if p := b.authorize(app, "openid", "prompt", "none"); p.body != "authorization complete" {
		t.Errorf("prompt=none with consent on file answered %q", p.body)
	}
}

func TestConsentIsAskedAgain(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, scope string
		extra       []string
		want        []string // scopes stored after accepting again
	}{
		{"for a scope not granted before", "openid offline_access", nil, []string{"openid", "offline_access", "profile"}},
		{"when prompt=consent forces it", "openid", []string{"prompt", "consent"}, []string{"openid", "profile"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			user := e.addUser("alex@contoso.example", true)
			app := e.addApp("Payroll", false)
			b := e.browser()
			b.submit(b.signIn(app, "alex@contoso.example", "openid profile"), 0, url.Values{"decision": {"accept"}})

			p := b.authorize(app, c.scope, c.extra...)
			requirePage(t, p, "consent")
			b.submit(p, 0, url.Values{"decision": {"accept"}})
			consent, err := e.store.GetConsent(context.Background(), e.tenant.ID, user.ID, app.ID)
			if err != nil || !slices.Equal(consent.Scopes, c.want) {
				t.Errorf("stored consent %v (%v), want %v", consent.Scopes, err, c.want)
			}
			if got := e.az.lastCompleted(t).GrantedScopes; !slices.Equal(got, strings.Fields(c.scope)) {
				t.Errorf("granted %v, want %q", got, c.scope)
			}
		})
	}
}

func TestCancellingConsentFailsWithAccessDenied(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Payroll", false)
	b := e.browser()

	p := b.signIn(app, "alex@contoso.example", "openid")
	requirePage(t, p, "consent")
	r := b.submitRaw(p, 0, url.Values{"decision": {"cancel"}})
	if r.body != "authorization failed: access_denied" {
		t.Fatalf("cancel answered %d %q", r.status, r.body)
	}
	if f := e.az.lastFailure(t); f.description != "The user declined consent." {
		t.Errorf("failure description %q", f.description)
	}
	if completed, _ := e.az.counts(); completed != 0 {
		t.Error("a declined flow completed")
	}
	requireErrorPage(t, b.submitRaw(p, 0, url.Values{"decision": {"accept"}}), http.StatusBadRequest, msgExpired)
}

func TestPromptNoneFailsWithConsentRequired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	portal := e.addApp("Contoso Portal", true)
	payroll := e.addApp("Payroll", false)
	b := e.browser()
	b.signIn(portal, "alex@contoso.example", "openid")

	if p := b.authorize(payroll, "openid", "prompt", "none"); p.body != "authorization failed: consent_required" {
		t.Errorf("got %q, want consent_required", p.body)
	}
}

func TestConsentPageRefusesAnUnknownDecision(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUser("alex@contoso.example", true)
	app := e.addApp("Payroll", false)
	b := e.browser()

	p := b.signIn(app, "alex@contoso.example", "openid")
	r := b.submitRaw(p, 0, url.Values{"decision": {"maybe"}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, msgChooseConsent) {
		t.Errorf("got %d, want the consent page again asking for a choice", r.status)
	}
}
