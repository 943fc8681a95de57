package browsertest

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// passkeyHost is the test server's public name: a WebAuthn relying party ID
// cannot be an IP address. Chromium resolves it, and only it, to 127.0.0.1.
const passkeyHost = "sigil.example.com"

// TestPasskeyRegistrationPage: in a tenant that requires MFA (F-04) Chromium,
// with a virtual platform authenticator (CDP WebAuthn domain: resident keys,
// user verification), opens the passkey registration page (F-25), and the
// real static/webauthn.js creates the credential and posts it: the sign-in
// finishes and Sigil stores the named passkey. No inline script, no CSP
// violation. It takes the screenshot of the page.
func TestPasskeyRegistrationPage(t *testing.T) {
	t.Parallel()
	b := newPasskeyBrowser(t)
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{Host: passkeyHost})
	tenant, err := env.Store.GetTenant(context.Background(), env.Tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	tenant.Settings.RequireMFA = true
	if err := env.Store.UpdateTenant(context.Background(), tenant); err != nil {
		t.Fatal(err)
	}
	tb := b.newTab(t, env, desktop)
	tb.do("add a virtual authenticator", enable(webauthn.Enable, webauthn.EnableParams{}),
		chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
			_, err := cdp.Call(ctx, target, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
				Options: &webauthn.VirtualAuthenticatorOptions{
					Protocol: webauthn.AuthenticatorProtocolCtap2, Ctap2version: webauthn.Ctap2versionCtap21,
					Transport: webauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
					IsUserVerified: true, AutomaticPresenceSimulation: true,
				}})
			return err
		}))
	conf := env.OAuth2(env.Web, env.WebSecret)
	tb.open(conf.AuthCodeURL("state-passkey", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	tb.signInUsername(env.User.UserPrincipalName)
	tb.signInPassword(servertest.Password)
	tb.expectField("code")
	tb.open(tb.location() + "&method=passkey")
	tb.expectField("passkey-name")
	tb.typeText("Work laptop")
	tb.checkScriptsAndCSP("passkey registration")
	tb.screenshot("passkey-register")

	tb.do("create the passkey", chromedp.Click(`form[data-webauthn] button[type="submit"]`))
	rp := tb.awaitRP(nil)
	checkAuthorizationResponse(t, env, rp.Params, "state-passkey")
	methods, err := env.Store.ListAuthMethods(context.Background(), env.Tenant.ID, env.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range methods {
		if m.Kind == storage.AuthMethodPasskey && m.Confirmed {
			names = append(names, m.Name)
		}
	}
	if len(names) != 1 || names[0] != "Work laptop" {
		t.Errorf("stored passkeys %v, want [Work laptop]", names)
	}
}

// newPasskeyBrowser is newBrowser resolving passkeyHost to the test server.
func newPasskeyBrowser(t *testing.T) *browser {
	t.Helper()
	requireChromium(t)
	opts := append(chromiumOptions(t), chromedp.Flag("host-resolver-rules", "MAP "+passkeyHost+" 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		if err := chromedp.Cancel(ctx); err != nil {
			t.Logf("close %s: %v", chromiumPath, err)
		}
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return &browser{ctx: ctx}
}
