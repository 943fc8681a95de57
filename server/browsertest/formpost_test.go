package browsertest

import (
	"context"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp/kb"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestResponseModes signs in to the first-party app, which asks no consent, so
// the password page's submission is what returns the browser to the client:
// by a redirect (query), or through the page server/op renders for OAuth 2.0
// Form Post Response Mode, which submits itself with /_/static/form_post.js
// under its own CSP.
func TestResponseModes(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	for _, tt := range []struct {
		name, mode, method string
	}{
		{"response_mode=query redirects to the client with the code", "query", "GET"},
		{"response_mode=form_post posts the code to the client without a click", "form_post", "POST"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
			tb := b.newTab(t, env, desktop)
			conf := env.OAuth2(env.Web, env.WebSecret)
			verifier := oauth2.GenerateVerifier()

			tb.open(conf.AuthCodeURL("state-"+tt.mode, oauth2.S256ChallengeOption(verifier),
				oauth2.SetAuthURLParam("response_mode", tt.mode)))
			tb.signInUsername(env.User.UserPrincipalName)
			tb.expectField("password")
			tb.typeText(servertest.Password)
			tb.press(kb.Enter)

			rp := tb.awaitRP(func() {
				if tt.mode == "form_post" {
					tb.screenshot("form-post")
				}
			})
			at := *rp.URL
			at.RawQuery = ""
			if rp.Method != tt.method || at.String() != servertest.Callback {
				t.Fatalf("the browser sent %s %s, want %s %s", rp.Method, at.String(), tt.method, servertest.Callback)
			}
			checkAuthorizationResponse(t, env, rp.Params, "state-"+tt.mode)
			if _, err := conf.Exchange(env.ClientContext(context.Background()), rp.Params.Get("code"), oauth2.VerifierOption(verifier)); err != nil {
				t.Fatalf("redeem the code: %v", err)
			}
			for _, r := range cspViolations(tb.recorded()) {
				t.Errorf("reported on the way back to the client: %s", r)
			}
		})
	}
}

// checkAuthorizationResponse wants a code, the request's state and the
// issuer (RFC 9207) in the parameters the browser carried to the client.
func checkAuthorizationResponse(t *testing.T, env *servertest.Env, params url.Values, state string) {
	t.Helper()
	if params.Get("state") != state || params.Get("iss") != env.Issuer || params.Get("code") == "" {
		t.Fatalf("the client got state %q, iss %q, a code: %t (error %q); want state %q, iss %s and a code",
			params.Get("state"), params.Get("iss"), params.Get("code") != "", params.Get("error"), state, env.Issuer)
	}
}
