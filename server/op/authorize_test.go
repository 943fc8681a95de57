package op_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

func TestAuthorizeRejectsUnsafeRequests(t *testing.T) {
	f := newFixture(t, sqlite)
	base := f.srv.URL + "/" + f.tenant.ID + "/oauth2/v2.0/authorize"
	challenge := oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())
	valid := func(client, redirect string) url.Values {
		return url.Values{
			"client_id": {client}, "redirect_uri": {redirect}, "response_type": {"code"},
			"scope": {"openid"}, "state": {"state-1234"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"},
		}
	}
	with := func(v url.Values, key, value string) url.Values {
		c := url.Values{}
		for k, vs := range v {
			c[k] = append([]string(nil), vs...)
		}
		if value == "" {
			c.Del(key)
		} else {
			c.Set(key, value)
		}
		return c
	}
	otherTenantApp, _ := f.newApp(f.otherTenant(), false, "ES256")

	// Before the redirect URI is validated: the error page, never a redirect.
	for name, q := range map[string]url.Values{
		"unknown client":                      valid("00000000-0000-0000-0000-000000000000", rpCallback),
		"client of another tenant":            valid(otherTenantApp.ID, rpCallback),
		"missing redirect_uri":                with(valid(f.web.ID, rpCallback), "redirect_uri", ""),
		"unregistered redirect_uri":           valid(f.web.ID, "https://evil.example/callback"),
		"redirect_uri with a trailing slash":  valid(f.web.ID, rpCallback+"/"),
		"redirect_uri with an extra query":    valid(f.web.ID, rpCallback+"?x=1"),
		"loopback redirect on another port":   valid(f.web.ID, "http://127.0.0.1:9999/cb"),
		"redirect_uri differing only in case": valid(f.web.ID, strings.ToUpper(rpCallback)),
		"fragment response mode":              with(valid(f.web.ID, rpCallback), "response_mode", "fragment"),
	} {
		t.Run("error page: "+name, func(t *testing.T) {
			resp := f.authorize(base + "?" + q.Encode())
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(string(body), "ERROR PAGE") {
				t.Errorf("status %d, Location %q, body %q: want the error page without a redirect", resp.StatusCode, resp.Header.Get("Location"), body)
			}
		})
	}

	// After it: an RFC 6749 error redirected to the client, with iss.
	for name, tc := range map[string]struct {
		q    url.Values
		want string
	}{
		"public client without PKCE":      {with(with(valid(f.spa.ID, rpCallback), "code_challenge", ""), "code_challenge_method", ""), "invalid_request"},
		"plain PKCE":                      {with(valid(f.spa.ID, rpCallback), "code_challenge_method", "plain"), "invalid_request"},
		"PKCE without a method (= plain)": {with(valid(f.spa.ID, rpCallback), "code_challenge_method", ""), "invalid_request"},
		"malformed S256 challenge":        {with(valid(f.spa.ID, rpCallback), "code_challenge", "short"), "invalid_request"},
		"implicit response type":          {with(valid(f.web.ID, rpCallback), "response_type", "token"), "unsupported_response_type"},
		"hybrid response type":            {with(valid(f.web.ID, rpCallback), "response_type", "code id_token"), "unsupported_response_type"},
		"scope the app may not request":   {with(valid(f.web.ID, rpCallback), "scope", "openid admin"), "invalid_scope"},
		"unknown prompt value":            {with(valid(f.web.ID, rpCallback), "prompt", "bogus"), "invalid_request"},
		"missing state (CSRF protection)": {with(valid(f.web.ID, rpCallback), "state", ""), "invalid_state"},
	} {
		t.Run("redirected error: "+name, func(t *testing.T) {
			q := f.redirectQuery(f.authorize(base + "?" + tc.q.Encode()))
			if q.Get("error") != tc.want || q.Get("iss") != f.issuer || q.Get("code") != "" {
				t.Errorf("redirect query = %v, want error %s with iss", q, tc.want)
			}
		})
	}
}

func TestFormPostResponseModeNeedsNoInlineScript(t *testing.T) {
	f := newFixture(t, sqlite)
	conf := f.oauth2Config(f.web, f.secret)
	resp := f.authorize(conf.AuthCodeURL("state-1234", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()),
		oauth2.SetAuthURLParam("response_mode", "form_post")))
	body, _ := io.ReadAll(resp.Body)
	page := string(body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `action="`+rpCallback+`"`) ||
		!strings.Contains(page, `name="code"`) || !strings.Contains(page, `name="iss" value="`+f.issuer+`"`) {
		t.Fatalf("status %d, page %s", resp.StatusCode, page)
	}
	if strings.Contains(page, "onload") || strings.Contains(page, "<script>") {
		t.Error("form_post page has inline script")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action https://rp.example.test") {
		t.Errorf("CSP %q does not allow posting to the client", csp)
	}
}

func TestDiscoveryByTenantIDAndVerifiedDomain(t *testing.T) {
	f := newFixture(t, sqlite)
	for _, segment := range []string{f.tenant.ID, f.domain, strings.ToUpper(f.domain)} {
		resp, err := f.srv.Client().Get(f.srv.URL + "/" + segment + "/v2.0/.well-known/openid-configuration")
		must(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"issuer":"`+f.issuer+`"`) ||
			!strings.Contains(string(body), `"code_challenge_methods_supported":["S256"]`) {
			t.Errorf("%s: status %d body %s", segment, resp.StatusCode, body)
		}
	}
	resp, err := f.srv.Client().Get(f.srv.URL + "/unknown.example/v2.0/.well-known/openid-configuration")
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown tenant: status %d, want 404", resp.StatusCode)
	}
}
