package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestTOTPRegistrationPage: in a tenant that requires MFA (F-04) Chromium is
// sent to the authenticator-app page after the password; the QR code (a PNG
// in a data: URL, allowed by img-src data:) loads under the strict CSP, the
// code field has focus, and typing the app's code and Enter finishes the
// sign-in. It takes the screenshots of the page on a desktop and a phone.
func TestTOTPRegistrationPage(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	for _, tt := range []struct {
		name string
		vp   viewport
	}{
		{"a person registers an authenticator app on a desktop", desktop},
		{"a person registers an authenticator app on a phone", phone},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
			tenant, err := env.Store.GetTenant(context.Background(), env.Tenant.ID)
			if err != nil {
				t.Fatal(err)
			}
			tenant.Settings.RequireMFA = true
			if err := env.Store.UpdateTenant(context.Background(), tenant); err != nil {
				t.Fatal(err)
			}
			tb := b.newTab(t, env, tt.vp)
			conf := env.OAuth2(env.Web, env.WebSecret)

			tb.open(conf.AuthCodeURL("state-totp", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
			tb.signInUsername(env.User.UserPrincipalName)
			tb.signInPassword(servertest.Password)
			tb.expectField("code")
			if w := evaluate[int](tb, `document.querySelector('img.ext-qr-image').naturalWidth`); w != 240 {
				t.Fatalf("the QR code did not load (natural width %d); reports: %v", w, tb.recorded())
			}
			tb.checkScriptsAndCSP("authenticator app registration")
			tb.checkFitsPhone("authenticator app registration")
			tb.screenshot("mfa-totp-register")

			key := strings.ReplaceAll(evaluate[string](tb, `document.querySelector('.ext-secret-key').textContent`), " ", "")
			code, err := totp.GenerateCodeCustom(key, time.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
			if err != nil {
				t.Fatalf("the page's key %q is not a TOTP secret: %v", key, err)
			}
			tb.typeText(code)
			tb.press(kb.Enter)
			rp := tb.awaitRP(nil)
			checkAuthorizationResponse(t, env, rp.Params, "state-totp")
		})
	}
}

// TestSecurityInfoPage: "Security info" in Chromium (F-20): the user signs
// in from the page's own link, adds an authenticator app and generates
// recovery codes; no page runs inline script or breaks its CSP. It takes the
// screenshots of the list and of the codes shown once.
func TestSecurityInfoPage(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	tb := b.newTab(t, env, desktop)
	infoURL := env.Server.URL + "/" + env.Domain + "/account/security-info"

	tb.open(infoURL)
	tb.signInUsername(env.User.UserPrincipalName)
	tb.signInPassword(servertest.Password)
	tb.do("wait for the security-info page", chromedp.WaitVisible(chromedp.CSS(`a[href*="method=totp"]`)))
	tb.do("open the authenticator app page", chromedp.Click(chromedp.CSS(`a[href*="method=totp"]`)))
	tb.expectField("code")
	key := strings.ReplaceAll(evaluate[string](tb, `document.querySelector('.ext-secret-key').textContent`), " ", "")
	code, err := totp.GenerateCodeCustom(key, time.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	tb.typeText(code)
	tb.pressToLoad(kb.Enter)
	if got := evaluate[string](tb, `document.querySelector('.ext-security-method .ext-method-title').textContent`); got != "Authenticator app" {
		t.Fatalf("the list shows %q, want the authenticator app", got)
	}
	tb.checkScriptsAndCSP("security info")
	tb.screenshot("security-info")

	tb.do("generate recovery codes", chromedp.Click(chromedp.CSS(`form[action$="/recovery-codes"] button`)))
	tb.do("wait for the codes", chromedp.WaitVisible(chromedp.CSS(`.ext-recovery-codes`)))
	if n := evaluate[int](tb, `document.querySelectorAll('.ext-recovery-codes code').length`); n != 10 {
		t.Errorf("%d recovery codes shown, want 10", n)
	}
	tb.checkScriptsAndCSP("recovery codes")
	tb.screenshot("security-info-recovery-codes")
}
