package admin_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
)

func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{R: 0, G: 90, B: 160, A: 255})
		}
	}
	var buf bytes.Buffer
	must(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// put sends a raw stream with its content type.
func (a *api) put(path, contentType string, body []byte) response {
	a.t.Helper()
	req, err := http.NewRequest("PUT", a.env.Server.URL+path, bytes.NewReader(body))
	must(a.t, err)
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", contentType)
	resp, err := a.env.Server.Client().Do(req)
	must(a.t, err)
	defer resp.Body.Close()
	var raw bytes.Buffer
	_, _ = raw.ReadFrom(resp.Body)
	out := response{Status: resp.StatusCode, Header: resp.Header, Raw: raw.Bytes()}
	return out
}

// TestBrandingAPI: company branding over /organization/{id}/branding
// (H-01..H-26): the draft is patched, localized and given images and CSS,
// then published to the sign-in page; bad input gets Graph errors; only
// branding administrators change it; every change is audited.
func TestBrandingAPI(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		ctx := context.Background()
		brand := appCaller(t, env, "OrganizationalBranding.ReadWrite.All", "AuditLog.Read.All")
		reader := appCaller(t, env, "Organization.Read.All")
		base := "/v1.0/organization/" + env.Tenant.ID + "/branding"

		roles := &directory.Roles{Store: env.Store, Groups: directory.StoreGroups{Store: env.Store}}
		brandAdmin, err := env.Directory.CreateUser(ctx, env.Tenant.ID, directory.NewUser{UserPrincipalName: "brand@" + env.Domain,
			DisplayName: "Brand admin", Password: servertest.Password})
		must(t, err)
		_, err = roles.AssignRole(ctx, system, env.Tenant.ID, directory.NewRoleAssignment{RoleID: "92ed04bf-c94a-4b82-9729-b799a7a4c178",
			PrincipalID: brandAdmin.ID, PrincipalType: storage.PrincipalUser})
		must(t, err)
		delegated := userCaller(t, env, brandAdmin.UserPrincipalName)
		member := userCaller(t, env, env.User.UserPrincipalName)

		member.do("PATCH", base, map[string]any{"signInPageText": "x"}).expect(t, http.StatusForbidden, "a member changes branding")
		reader.do("PATCH", base, map[string]any{"signInPageText": "x"}).expect(t, http.StatusForbidden, "a reader changes branding")
		brand.do("GET", "/v1.0/organization/00000000-0000-0000-0000-000000000000/branding", nil).expect(t, http.StatusNotFound, "another organization")

		delegated.do("PATCH", base, map[string]any{"signInPageText": "Welcome to Contoso", "backgroundColor": "#004578"}).
			expect(t, http.StatusNoContent, "the branding administrator patches")
		if r := brand.do("PATCH", base, map[string]any{"backgroundColor": "red; background: url(x)"}).expect(t, http.StatusBadRequest, "bad colour"); !strings.Contains(errorMessage(r), "backgroundColor") {
			t.Errorf("bad colour message: %q", errorMessage(r))
		}
		brand.do("PATCH", base, map[string]any{"favouriteColour": "blue"}).expect(t, http.StatusBadRequest, "unknown property")
		live := reader.do("GET", base, nil).expect(t, http.StatusOK, "published")
		if live.Body["signInPageText"] != nil {
			t.Errorf("the draft leaked into the published branding: %s", live.Raw)
		}
		draft := brand.do("GET", base+"/draft", nil).expect(t, http.StatusOK, "draft")
		if draft.Body["signInPageText"] != "Welcome to Contoso" || draft.Body["previewUrl"] == nil {
			t.Errorf("draft = %s", draft.Raw)
		}

		brand.do("POST", base+"/localizations", map[string]any{"id": "fr-FR", "signInPageText": "Bienvenue chez Contoso"}).expect(t, http.StatusCreated, "add French")
		brand.do("POST", base+"/localizations", map[string]any{"id": "fr-FR"}).expect(t, http.StatusConflict, "French twice")
		brand.do("PATCH", base+"/localizations/de-DE", map[string]any{"signInPageText": "x"}).expect(t, http.StatusNotFound, "unknown locale")
		brand.do("PATCH", base+"/localizations/fr-FR", map[string]any{"usernameHintText": "prénom@contoso.fr"}).expect(t, http.StatusNoContent, "patch French")
		list := brand.do("GET", base+"/localizations", nil).expect(t, http.StatusOK, "localizations")
		if v := list.Body["value"].([]any); len(v) != 2 || v[1].(map[string]any)["usernameHintText"] != "prénom@contoso.fr" {
			t.Errorf("localizations = %s", list.Raw)
		}

		logo := pngImage(t, 245, 36)
		if r := brand.put(base+"/bannerLogo", "image/png", logo); r.Status != http.StatusNoContent {
			t.Fatalf("banner logo upload: %d %s", r.Status, r.Raw)
		}
		if r := brand.put(base+"/bannerLogo", "image/png", pngImage(t, 100, 100)); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Raw), "bannerLogo") {
			t.Errorf("a logo of the wrong size: %d %s", r.Status, r.Raw)
		}
		if r := brand.put(base+"/bannerLogo", "image/gif", logo); r.Status != http.StatusUnsupportedMediaType {
			t.Errorf("a GIF: %d %s", r.Status, r.Raw)
		}
		if r := brand.put(base+"/customCSS", "text/css", []byte(".ext-title { color: #004578; }")); r.Status != http.StatusNoContent {
			t.Errorf("custom CSS: %d %s", r.Status, r.Raw)
		}
		if r := brand.put(base+"/customCSS", "text/css", []byte("body { background: url(https://evil.example/x.png); }")); r.Status != http.StatusBadRequest {
			t.Errorf("CSS loading a remote URL: %d %s", r.Status, r.Raw)
		}
		if r := brand.put(base+"/nope", "image/png", logo); r.Status != http.StatusNotFound {
			t.Errorf("unknown stream: %d", r.Status)
		}
		got := brand.do("GET", base+"/bannerLogo", nil)
		if got.Status != http.StatusOK || !bytes.Equal(got.Raw, logo) || got.Header.Get("Content-Type") != "image/png" {
			t.Errorf("banner logo read back: %d %s, %d bytes", got.Status, got.Header.Get("Content-Type"), len(got.Raw))
		}

		brand.do("POST", base+"/publish", nil).expect(t, http.StatusNoContent, "publish")
		brand.do("POST", base+"/publish", nil).expect(t, http.StatusConflict, "publish without a draft")
		live = reader.do("GET", base, nil).expect(t, http.StatusOK, "published after publish")
		if live.Body["signInPageText"] != "Welcome to Contoso" || live.Body["bannerLogoRelativeUrl"] == nil {
			t.Errorf("published = %s", live.Raw)
		}
		signIn := mustGetPage(t, env, "/"+env.Domain+"/oauth2/v2.0/authorize?"+url.Values{"client_id": {env.Web.ID}, "response_type": {"code"},
			"redirect_uri": {servertest.Callback}, "scope": {"openid"}, "state": {"state-branding"}, "code_challenge_method": {"S256"},
			"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM"}}.Encode())
		if !strings.Contains(signIn, "Welcome to Contoso") || !strings.Contains(signIn, live.Body["bannerLogoRelativeUrl"].(string)) {
			t.Errorf("the sign-in page does not show the published branding: %.600s", signIn)
		}

		brand.do("DELETE", base+"/localizations/fr-FR", nil).expect(t, http.StatusNoContent, "delete French")
		brand.do("DELETE", base+"/localizations/fr-FR", nil).expect(t, http.StatusNotFound, "delete French twice")
		brand.do("DELETE", base+"/draft", nil).expect(t, http.StatusNoContent, "discard the draft")

		audits := brand.do("GET", "/v1.0/auditLogs/directoryAudits?$filter="+url.QueryEscape("category eq 'Organization'"), nil).expect(t, http.StatusOK, "audit")
		activities := map[string]bool{}
		for _, a := range audits.Body["value"].([]any) {
			activities[a.(map[string]any)["activityDisplayName"].(string)] = true
		}
		for _, want := range []string{"Update company branding", "Add company branding localization", "Update company branding bannerLogo",
			"Update company branding customCSS", "Publish company branding", "Delete company branding localization", "Discard company branding draft"} {
			if !activities[want] {
				t.Errorf("no audit record %q in %v", want, activities)
			}
		}
	})
}

// mustGetPage follows redirects to the page a browser would show.
func mustGetPage(t *testing.T, env *servertest.Env, path string) string {
	t.Helper()
	p, err := env.NewBrowser().Get(env.Server.URL + path)
	must(t, err)
	return p.Body
}
