package page

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/requestid"
)

// sampleData holds data for every page with the fields server/authflow and
// server/op pass.
var sampleData = map[string]any{
	"username": map[string]any{"Action": "/t/login/username", "FlowID": "f1", "CSRFToken": "tok",
		"Username": "alex@contoso.com", "AppName": "Payroll", "Error": "Enter your sign-in name."},
	"password": map[string]any{"Action": "/t/login/password", "FlowID": "f1", "CSRFToken": "tok",
		"Username": "alex@contoso.com", "AppName": "Payroll", "Error": "Your account or password is incorrect."},
	"consent": map[string]any{"Action": "/t/login/consent", "FlowID": "f1", "CSRFToken": "tok",
		"Username": "alex@contoso.com", "AppName": "Payroll",
		"Scopes": []map[string]string{{"Name": "openid", "Description": "Sign you in"}}},
	"error": ErrorData{Title: "We couldn't sign you in", Message: "This sign-in has expired."},
	"account_roles": map[string]any{"Account": "alex@contoso.com", "Action": "/t/account/roles/activate", "Token": "tok",
		"Notice": "Your role is active.", "Error": "justification: say why you need the role.",
		"Roles": []map[string]any{{"EligibilityID": "e1", "Name": "Global Reader", "Description": "Can read everything.", "MaxDuration": "8 h", "State": "",
			"ApprovalRequired": true, "Durations": []map[string]any{{"Minutes": 60, "Label": "1 h"}}, "Selected": true},
			{"EligibilityID": "e2", "Name": "User Administrator", "Description": "", "State": "Active", "Until": "2026-11-24 12:00 UTC", "ApprovalRequired": false, "Selected": false}}},
	"terms": map[string]any{"Action": "/t/login/terms", "FlowID": "f1", "CSRFToken": "tok", "Username": "alex@contoso.com",
		"Terms": []map[string]any{{"ID": "t1", "DisplayName": "Acceptable use", "Content": "Be kind.\nNo sharing.", "Version": 2}},
		"Error": "Choose Accept or Decline."},
	"logged_out":     nil,
	"logout_confirm": map[string]any{"Form": url.Values{"client_id": {"app-1"}, "state": {"s"}}},
	"home":           nil,
	"mfa_totp":       map[string]any{"Challenge": mfaChallenge},
	"mfa_recovery":   map[string]any{"Challenge": mfaChallenge},
	"mfa_totp_register": map[string]any{"Account": "alex@contoso.com", "QR": "data:image/png;base64,iVBORw0KGgo=", "Key": "JBSWY3DPEHPK3PXP",
		"PendingID": "p1", "Registration": mfaChallenge},
	"security_info": map[string]any{"Account": "alex@contoso.com", "Notice": "Your password was changed. You were signed out on your other devices.",
		"Methods":      []map[string]string{{"ID": "m1", "Title": "Authenticator app", "Name": "Phone", "Added": "2026-11-01", "LastUsed": "2026-11-20"}},
		"RemoveAction": "/t/account/security-info/remove", "RemoveToken": "tok", "Add": []map[string]string{{"Label": "Authenticator app", "URL": "/t/account/add"}},
		"Recovery": 8, "CodesAction": "/t/account/recovery-codes", "CodesToken": "tok"},
	"security_info_codes": map[string]any{"Account": "alex@contoso.com", "Codes": []string{"ABCD-EFGH-IJKL"}, "BackURL": "/t/account/security-info"},
	"account_password": map[string]any{"Account": "alex@contoso.com", "Action": "/t/account/password", "Token": "tok",
		"Error": "The new passwords don't match.", "Notice": "Your password was changed. You were signed out on your other devices."},
	"demo": map[string]any{"Claims": `{"sub":"x"}`,
		"Demo": map[string]string{"Domain": "contoso.example", "UserUPN": "alex@contoso.example", "Issuer": "https://idp.example/t/v2.0"}},
}

// mfaChallenge is the shape server/authflow passes to the MFA pages.
var mfaChallenge = map[string]any{
	"User":         map[string]string{"UserPrincipalName": "alex@contoso.com"},
	"Form":         map[string]any{"Action": "/t/login/mfa", "Fields": []map[string]string{{"Name": "csrf_token", "Value": "tok"}}},
	"Error":        "That code didn't work. Check the code and try again.",
	"Alternatives": []map[string]string{{"Label": "Use a recovery code", "URL": "/t/login/mfa?method=recovery"}},
	"CancelURL":    "/t/login/mfa_register?cancel=1",
}

func newRenderer(t *testing.T, opts Options) *Renderer {
	t.Helper()
	r, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func render(t *testing.T, p *Renderer, name string, data any) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req = req.WithContext(requestid.With(req.Context(), "req-42"))
	rec := httptest.NewRecorder()
	p.Render(rec, req, http.StatusOK, name, data)
	return rec
}

func TestEveryPageRendersAccessibleHTMLWithoutInlineScriptOrStyle(t *testing.T) {
	t.Parallel()
	p := newRenderer(t, Options{})
	if len(p.pages) != len(sampleData) {
		t.Fatalf("renderer has %d pages, the test covers %d: add the new page to sampleData", len(p.pages), len(sampleData))
	}
	// A static script (webauthn.js on the passkey pages) is not inline.
	externalScript := regexp.MustCompile(`<script src="/_/static/[a-z_]+\.js\?v=[0-9a-f]+" defer></script>`)
	inline := regexp.MustCompile(`(?i)<script|<style|\sstyle=|\son[a-z]+=|javascript:`)
	for name, data := range sampleData {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := render(t, p, name, data)
			body := rec.Body.String()
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d, body %s", rec.Code, body)
			}
			for _, want := range []string{`<html lang="en" dir="ltr">`, `name="viewport"`, `href="/_/static/sigil.css?v=`, `class="ext-sign-in-box"`, `class="ext-title"`} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			if m := inline.FindString(externalScript.ReplaceAllString(body, "")); m != "" {
				t.Errorf("page has inline script or style: %q", m)
			}
			if got := rec.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			if got := rec.Header().Get("Content-Type"); got != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", got)
			}
		})
	}
}

func TestFormFieldsAreLabelledAndErrorsAnnounced(t *testing.T) {
	t.Parallel()
	p := newRenderer(t, Options{})
	cases := []struct{ page, input, autocomplete string }{
		{"username", "username", "username"},
		{"password", "password", "current-password"},
	}
	for _, c := range cases {
		body := render(t, p, c.page, sampleData[c.page]).Body.String()
		for _, want := range []string{
			`<label class="ext-label" for="` + c.input + `">`,
			`id="` + c.input + `"`,
			`autocomplete="` + c.autocomplete + `"`,
			`role="alert"`,
			`aria-describedby="` + c.input + `-error"`,
			`id="` + c.input + `-error"`,
			"autofocus",
			`name="csrf_token" value="tok"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s page lacks %s", c.page, want)
			}
		}
	}
}

func TestRenderEscapesData(t *testing.T) {
	t.Parallel()
	p := newRenderer(t, Options{})
	body := render(t, p, ErrorPage, ErrorData{Title: "T", Message: `<img src=x onerror=alert(1)>`}).Body.String()
	if strings.Contains(body, "<img") || !strings.Contains(body, "&lt;img") {
		t.Errorf("message was not escaped: %s", body)
	}
}

func TestErrorPageShowsStatusMessageAndRequestID(t *testing.T) {
	t.Parallel()
	p := newRenderer(t, Options{})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req = req.WithContext(requestid.With(req.Context(), "req-42"))
	rec := httptest.NewRecorder()
	p.Error(rec, req, http.StatusForbidden, "Access denied", "Your session could not be verified.")
	body := rec.Body.String()
	if rec.Code != http.StatusForbidden {
		t.Errorf("status %d, want 403", rec.Code)
	}
	for _, want := range []string{"Access denied", "Your session could not be verified.", "Request ID: req-42"} {
		if !strings.Contains(body, want) {
			t.Errorf("error page lacks %q", want)
		}
	}
}

func TestUnknownPageIsAPlain500WithTheRequestID(t *testing.T) {
	t.Parallel()
	p := newRenderer(t, Options{})
	rec := render(t, p, "no-such-page", nil)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	if body := rec.Body.String(); !strings.Contains(body, "req-42") || strings.Contains(body, "no-such-page") {
		t.Errorf("body %q should name the request ID and nothing internal", body)
	}
}

func TestOverrideDirReplacesTemplatesAndAssets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "logged_out.html"),
		`{{define "title"}}Bye{{end}}{{define "content"}}<h1 class="ext-title">Contoso says goodbye</h1>{{end}}`)
	writeFile(t, filepath.Join(dir, "static", "sigil.css"), "body{color:#000}")
	writeFile(t, filepath.Join(dir, "static", "logo.svg"), "<svg/>")
	p := newRenderer(t, Options{OverrideDir: dir})
	plain := newRenderer(t, Options{})

	if body := render(t, p, "logged_out", nil).Body.String(); !strings.Contains(body, "Contoso says goodbye") {
		t.Errorf("override template not used: %s", body)
	}
	if body := render(t, p, "username", sampleData["username"]).Body.String(); !strings.Contains(body, "Email or username") {
		t.Errorf("a page without an override should stay embedded: %s", body)
	}
	overridden, _ := p.staticURL("sigil.css")
	embedded, _ := plain.staticURL("sigil.css")
	if overridden == embedded {
		t.Errorf("overriding sigil.css kept its URL %s; browsers would keep the cached copy", overridden)
	}
	if _, err := p.staticURL("logo.svg"); err != nil {
		t.Errorf("added asset not served: %v", err)
	}
}

func TestNewRejectsAnOverrideTemplateThatDoesNotParse(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "error.html"), `{{define "content"}}{{.Data.Title}`)
	if _, err := New(Options{OverrideDir: dir}); err == nil {
		t.Fatal("New accepted a broken override template")
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
