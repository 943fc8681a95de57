package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/branding"
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
	_ = json.Unmarshal(out.Raw, &out.Body)
	return out
}

// TestBrandingAPI: company branding over /organization/{id}/branding
// (H-01..H-28, H-43): the draft is patched, localized and given images and
// CSS, then published to the sign-in page, which serves the new hashed
// asset; the draft never leaks before publishing; every change is audited
// with its caller.
func TestBrandingAPI(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		brandAdmin := userWithRole(t, env, "brand", roleBrandingAdministrator)
		delegated := userCaller(t, env, brandAdmin.UserPrincipalName)
		brand := appCaller(t, env, "OrganizationalBranding.ReadWrite.All", "AuditLog.Read.All")
		reader := appCaller(t, env, "Organization.Read.All")
		base := "/v1.0/organization/" + env.Tenant.ID + "/branding"

		delegated.do("PATCH", base, map[string]any{"signInPageText": "Welcome to Contoso", "backgroundColor": "#004578"}).
			expect(t, http.StatusNoContent, "the branding administrator patches")
		live := reader.do("GET", base, nil).expect(t, http.StatusOK, "published")
		if live.Body["signInPageText"] != nil || live.Body["id"] != "0" {
			t.Errorf("the draft leaked into the published branding: %s", live.Raw)
		}
		draft := brand.do("GET", base+"/draft", nil).expect(t, http.StatusOK, "draft")
		if draft.Body["signInPageText"] != "Welcome to Contoso" || draft.Body["backgroundColor"] != "#004578" || draft.Body["previewUrl"] == nil {
			t.Errorf("draft = %s", draft.Raw)
		}

		brand.do("POST", base+"/localizations", map[string]any{"id": "fr-FR", "signInPageText": "Bienvenue chez Contoso"}).expect(t, http.StatusCreated, "add French")
		brand.do("POST", base+"/localizations", map[string]any{"id": "fr-FR"}).expect(t, http.StatusConflict, "French twice")
		brand.do("PATCH", base+"/localizations/fr-FR", map[string]any{"usernameHintText": "prénom@contoso.fr"}).expect(t, http.StatusNoContent, "patch French")
		fr := brand.do("GET", base+"/localizations/fr-fr", nil).expect(t, http.StatusOK, "French, any case")
		if fr.Body["usernameHintText"] != "prénom@contoso.fr" || fr.Body["signInPageText"] != "Bienvenue chez Contoso" {
			t.Errorf("French = %s", fr.Raw)
		}
		list := brand.do("GET", base+"/localizations", nil).expect(t, http.StatusOK, "localizations")
		if v := list.Body["value"].([]any); len(v) != 2 || v[0].(map[string]any)["id"] != "0" || v[1].(map[string]any)["id"] != "fr-fr" {
			t.Errorf("localizations = %s", list.Raw)
		}

		logo := pngImage(t, 245, 36)
		brand.put(base+"/bannerLogo", "image/png", logo).expect(t, http.StatusNoContent, "banner logo")
		brand.put(base+"/localizations/fr-FR/squareLogo", "image/png", pngImage(t, 240, 240)).expect(t, http.StatusNoContent, "French square logo")
		brand.put(base+"/customCSS", "text/css; charset=utf-8", []byte(".ext-title { color: #004578; }")).expect(t, http.StatusNoContent, "custom CSS")
		got := brand.do("GET", base+"/bannerLogo", nil)
		if got.Status != http.StatusOK || !bytes.Equal(got.Raw, logo) || got.Header.Get("Content-Type") != "image/png" {
			t.Errorf("banner logo read back: %d %s, %d bytes", got.Status, got.Header.Get("Content-Type"), len(got.Raw))
		}
		if css := brand.do("GET", base+"/customCSS", nil); css.Status != http.StatusOK || !strings.Contains(string(css.Raw), ".ext-title") {
			t.Errorf("custom CSS read back: %d %s", css.Status, css.Raw)
		}

		brand.do("POST", base+"/publish", nil).expect(t, http.StatusNoContent, "publish")
		brand.do("POST", base+"/publish", nil).expect(t, http.StatusConflict, "publish without a draft")
		live = reader.do("GET", base, nil).expect(t, http.StatusOK, "published after publish")
		name, _ := live.Body["bannerLogoRelativeUrl"].(string)
		if live.Body["signInPageText"] != "Welcome to Contoso" || !strings.HasSuffix(name, ".png") {
			t.Fatalf("published = %s", live.Raw)
		}
		checkSignInPageServes(t, env, name, logo)
		if fr := reader.do("GET", base, nil, "Accept-Language", "fr-FR"); fr.Status != http.StatusOK || fr.Body["id"] != "fr-fr" || fr.Body["signInPageText"] != "Bienvenue chez Contoso" {
			t.Errorf("GET with Accept-Language: fr-FR: %d %s", fr.Status, fr.Raw)
		}
		if de := reader.do("GET", base, nil, "Accept-Language", "de-DE"); de.Body["id"] != "0" {
			t.Errorf("GET with a language without a localization: %s", de.Raw)
		}

		brand.do("DELETE", base+"/localizations/fr-FR", nil).expect(t, http.StatusNoContent, "delete French")
		brand.do("DELETE", base+"/localizations/fr-FR", nil).expect(t, http.StatusNotFound, "delete French twice")
		brand.do("DELETE", base+"/localizations/0", nil).expect(t, http.StatusBadRequest, "delete the default (H-26)")
		brand.do("DELETE", base+"/draft", nil).expect(t, http.StatusNoContent, "discard the draft")
		if fr := reader.do("GET", base+"/localizations/fr-FR", nil); fr.Status != http.StatusOK {
			t.Errorf("discarding the draft did not bring back the published French: %d %s", fr.Status, fr.Raw)
		}
		brand.do("DELETE", base, nil).expect(t, http.StatusNoContent, "remove every custom setting (H-26)")
		if d := brand.do("GET", base+"/draft", nil); d.Body["signInPageText"] != nil || d.Body["previewUrl"] == nil {
			t.Errorf("draft after DELETE: %s", d.Raw)
		}
		if l := brand.do("GET", base+"/localizations", nil); len(l.Body["value"].([]any)) != 1 {
			t.Errorf("localizations after DELETE: %s", l.Raw)
		}
		checkBrandingAudit(t, brand, brandAdmin.UserPrincipalName)
	})
}

// checkSignInPageServes: the sign-in page links the published banner logo by
// its content hash, and the asset URL serves exactly the upload, cached.
func checkSignInPageServes(t *testing.T, env *servertest.Env, name string, want []byte) {
	t.Helper()
	signIn := mustGetPage(t, env, "/"+env.Domain+"/oauth2/v2.0/authorize?"+url.Values{"client_id": {env.Web.ID}, "response_type": {"code"},
		"redirect_uri": {servertest.Callback}, "scope": {"openid"}, "state": {"state-branding"}, "code_challenge_method": {"S256"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM"}}.Encode())
	asset := branding.AssetPath(env.Tenant.ID, name)
	if !strings.Contains(signIn, "Welcome to Contoso") || !strings.Contains(signIn, asset) {
		t.Errorf("the sign-in page does not show the published branding (%s): %.600s", asset, signIn)
	}
	resp, err := env.Server.Client().Get(env.Server.URL + asset)
	must(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, want) || resp.Header.Get("Content-Type") != "image/png" ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("asset %s: %d %s %q, %d bytes", asset, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), len(body))
	}
}

// checkBrandingAudit: every kind of change left its record, the delegated
// patch names the branding administrator and what changed (K-10).
func checkBrandingAudit(t *testing.T, brand *api, adminUPN string) {
	t.Helper()
	audits := brand.do("GET", "/v1.0/auditLogs/directoryAudits?$filter="+url.QueryEscape("category eq 'DirectoryManagement'"), nil).expect(t, http.StatusOK, "audit")
	activities := map[string]bool{}
	for _, a := range audits.Body["value"].([]any) {
		rec := a.(map[string]any)
		activities[rec["activityDisplayName"].(string)] = true
		by, _ := rec["initiatedBy"].(map[string]any)["user"].(map[string]any)
		target := rec["targetResources"].([]any)[0].(map[string]any)
		if rec["activityDisplayName"] == branding.ActivityUpdate && by != nil {
			if by["userPrincipalName"] != adminUPN || !strings.Contains(fmt.Sprint(target["modifiedProperties"]), "signInPageText") {
				t.Errorf("the delegated patch's record: %v", rec)
			}
		}
	}
	for _, want := range []string{branding.ActivityUpdate, branding.ActivityAddLocalization, branding.ActivityUpdateLocale,
		branding.ActivityUpdate + " bannerLogo", branding.ActivityUpdate + " squareLogo", branding.ActivityUpdate + " customCSS",
		branding.ActivityPublish, branding.ActivityDeleteLocalization, branding.ActivityDiscard, branding.ActivityReset} {
		if !activities[want] {
			t.Errorf("no audit record %q in %v", want, activities)
		}
	}
}

// TestBrandingAPIRefusesBadInput: Graph errors for bad values, unknown
// properties, localizations and streams, wrong media types (415), oversize
// files (413, with the service's limit), files that are not what they claim
// (400) and CSS the sanitiser refuses (400 with its message); nothing is
// written (H-05, H-09..H-22, H-14).
func TestBrandingAPIRefusesBadInput(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		brand := appCaller(t, env, "OrganizationalBranding.ReadWrite.All")
		base := "/v1.0/organization/" + env.Tenant.ID + "/branding"
		if r := brand.do("PATCH", base, map[string]any{"backgroundColor": "red; background: url(x)"}).expect(t, http.StatusBadRequest, "bad colour"); !strings.Contains(errorMessage(r), "backgroundColor") {
			t.Errorf("bad colour message: %q", errorMessage(r))
		}
		brand.do("PATCH", base, map[string]any{"favouriteColour": "blue"}).expect(t, http.StatusBadRequest, "unknown property")
		brand.do("PATCH", base, map[string]any{"bannerLogoRelativeUrl": "x.png"}).expect(t, http.StatusBadRequest, "an asset set by value")
		brand.do("PATCH", base+"/localizations/de-DE", map[string]any{"signInPageText": "x"}).expect(t, http.StatusNotFound, "patch an unknown locale")
		brand.do("GET", base+"/localizations/de-DE", nil).expect(t, http.StatusNotFound, "read an unknown locale")
		brand.put(base+"/localizations/de-DE/bannerLogo", "image/png", pngImage(t, 245, 36)).expect(t, http.StatusNotFound, "upload to an unknown locale")
		brand.do("POST", base+"/localizations", map[string]any{"id": "not a language"}).expect(t, http.StatusBadRequest, "bad language tag")
		brand.do("GET", base+"/bannerLogo", nil).expect(t, http.StatusNotFound, "no banner logo yet")
		brand.put(base+"/nope", "image/png", pngImage(t, 245, 36)).expect(t, http.StatusNotFound, "unknown stream")

		if r := brand.put(base+"/bannerLogo", "image/gif", pngImage(t, 245, 36)).expect(t, http.StatusUnsupportedMediaType, "a GIF"); !strings.Contains(errorMessage(r), "image/png or image/jpeg") {
			t.Errorf("GIF message: %q", errorMessage(r))
		}
		brand.put(base+"/customCSS", "image/png", []byte("body{}")).expect(t, http.StatusUnsupportedMediaType, "CSS as an image")
		gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
		if r := brand.put(base+"/bannerLogo", "image/png", gif).expect(t, http.StatusBadRequest, "a GIF labelled PNG"); !strings.Contains(errorMessage(r), "not a PNG or JPEG") {
			t.Errorf("mislabelled message: %q", errorMessage(r))
		}
		if r := brand.put(base+"/bannerLogo", "image/png", pngImage(t, 100, 100)).expect(t, http.StatusBadRequest, "wrong pixel size"); !strings.Contains(errorMessage(r), "245×36") {
			t.Errorf("pixel size message: %q", errorMessage(r))
		}
		if r := brand.put(base+"/headerLogo", "image/png", noisyPNG(t, 245, 36)).expect(t, http.StatusRequestEntityTooLarge, "header logo over 10 KB"); !strings.Contains(errorMessage(r), "can't exceed 10 KB") {
			t.Errorf("oversize message: %q", errorMessage(r))
		}
		brand.put(base+"/backgroundImage", "image/jpeg", bytes.Repeat([]byte{0xff}, 2<<20)).expect(t, http.StatusRequestEntityTooLarge, "2 MB body")

		for _, css := range []string{"body { background: url(https://evil.example/x.png); }", "@import 'https://evil.example/a.css';", "#secret { color: red }"} {
			_, want := branding.SanitizeCSS([]byte(css))
			var verr *directory.ValidationError
			if !errors.As(want, &verr) {
				t.Fatalf("the sanitiser accepted %q", css)
			}
			r := brand.put(base+"/customCSS", "text/css", []byte(css)).expect(t, http.StatusBadRequest, "bad CSS "+css)
			if !strings.Contains(errorMessage(r), verr.Problems[0].Message) {
				t.Errorf("CSS %q: message %q lacks the sanitiser's %q", css, errorMessage(r), verr.Problems[0].Message)
			}
		}
		if d := brand.do("GET", base+"/draft", nil).expect(t, http.StatusOK, "draft"); d.Body["previewUrl"] != nil || len(d.Body) != 2 {
			t.Errorf("refused input was written: %s", d.Raw)
		}
	})
}

// TestBrandingAPIPermissions: only Organizational Branding Administrators
// and Global Administrators change branding (H-02), Global Readers read it,
// plain users and other administrators get 403; another tenant's branding
// is 404 (cross-tenant isolation).
func TestBrandingAPIPermissions(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		base := "/v1.0/organization/" + env.Tenant.ID + "/branding"
		patch := map[string]any{"signInPageText": "x"}
		member := userCaller(t, env, env.User.UserPrincipalName)
		member.do("GET", base, nil).expect(t, http.StatusForbidden, "a member reads")
		member.do("PATCH", base, patch).expect(t, http.StatusForbidden, "a member changes")
		userAdmin := userCaller(t, env, userWithRole(t, env, "useradmin", directory.RoleUserAdministrator).UserPrincipalName)
		userAdmin.do("PATCH", base, patch).expect(t, http.StatusForbidden, "a User Administrator changes")
		userAdmin.put(base+"/bannerLogo", "image/png", pngImage(t, 245, 36)).expect(t, http.StatusForbidden, "a User Administrator uploads")
		userAdmin.do("POST", base+"/publish", nil).expect(t, http.StatusForbidden, "a User Administrator publishes")
		globalReader := userCaller(t, env, userWithRole(t, env, "reader", directory.RoleGlobalReader).UserPrincipalName)
		globalReader.do("GET", base, nil).expect(t, http.StatusOK, "a Global Reader reads")
		globalReader.do("GET", base+"/localizations", nil).expect(t, http.StatusOK, "a Global Reader lists localizations")
		globalReader.do("PATCH", base, patch).expect(t, http.StatusForbidden, "a Global Reader changes")
		reader := appCaller(t, env, "Organization.Read.All")
		reader.do("PATCH", base, patch).expect(t, http.StatusForbidden, "an app with Organization.Read.All changes")
		reader.do("GET", base, nil).expect(t, http.StatusOK, "an app with Organization.Read.All reads")

		globalAdmin := userCaller(t, env, userWithRole(t, env, "ga", directory.RoleGlobalAdministrator).UserPrincipalName)
		globalAdmin.do("PATCH", base, patch).expect(t, http.StatusNoContent, "a Global Administrator changes")
		spec := reader.do("GET", "/v1.0/openapi.json", nil).expect(t, http.StatusOK, "openapi")
		for path, methods := range map[string][]string{"/organization/{id}/branding": {"get", "patch", "delete"},
			"/organization/{id}/branding/localizations/{locale}/{stream}": {"get", "put"}, "/organization/{id}/branding/publish": {"post"}} {
			item, _ := spec.Body["paths"].(map[string]any)[path].(map[string]any)
			for _, m := range methods {
				if item[m] == nil {
					t.Errorf("openapi.json lacks %s %s", m, path)
				}
			}
		}
		fabrikam := otherTenantWithBranding(t, env)
		for _, other := range []string{"/v1.0/organization/" + fabrikam + "/branding", "/v1.0/organization/00000000-0000-0000-0000-000000000000/branding"} {
			globalAdmin.do("GET", other, nil).expect(t, http.StatusNotFound, "another organization's branding")
			globalAdmin.do("GET", other+"/draft", nil).expect(t, http.StatusNotFound, "another organization's draft")
			globalAdmin.do("PATCH", other, patch).expect(t, http.StatusNotFound, "change another organization's branding")
			globalAdmin.put(other+"/bannerLogo", "image/png", pngImage(t, 245, 36)).expect(t, http.StatusNotFound, "upload to another organization")
			globalAdmin.do("POST", other+"/publish", nil).expect(t, http.StatusNotFound, "publish another organization's draft")
		}
		b, err := (&branding.Service{Store: env.Store}).Get(context.Background(), fabrikam, storage.BrandingDraft)
		must(t, err)
		if b.Default.SignInPageText == nil || *b.Default.SignInPageText != "Fabrikam" || b.Default.BannerLogoRelativeURL != nil {
			t.Errorf("another tenant's draft changed: %+v", b.Default)
		}
	})
}

// otherTenantWithBranding creates a second tenant with a branding draft.
func otherTenantWithBranding(t *testing.T, env *servertest.Env) string {
	t.Helper()
	ctx := context.Background()
	tenant := &storage.Tenant{ID: "7c0e2b4a-5d1f-4e8a-9b3c-2a6f8d0e1c55", DisplayName: "Fabrikam"}
	must(t, env.Store.CreateTenant(ctx, tenant, []storage.Domain{{Name: "fabrikam.example", Verified: true}}))
	_, err := (&branding.Service{Store: env.Store}).Patch(ctx, tenant.ID, "", []byte(`{"signInPageText":"Fabrikam"}`))
	must(t, err)
	return tenant.ID
}

const roleBrandingAdministrator = "92ed04bf-c94a-4b82-9729-b799a7a4c178"

// userWithRole creates a member holding one directory role.
func userWithRole(t *testing.T, env *servertest.Env, name, roleID string) *storage.User {
	t.Helper()
	ctx := context.Background()
	u, err := env.Directory.CreateUser(ctx, env.Tenant.ID, directory.NewUser{UserPrincipalName: name + "@" + env.Domain,
		DisplayName: name, Password: servertest.Password})
	must(t, err)
	roles := &directory.Roles{Store: env.Store, Groups: directory.StoreGroups{Store: env.Store}}
	_, err = roles.AssignRole(ctx, system, env.Tenant.ID, directory.NewRoleAssignment{RoleID: roleID,
		PrincipalID: u.ID, PrincipalType: storage.PrincipalUser})
	must(t, err)
	return u
}

// noisyPNG is a w×h image of random pixels: it does not compress.
func noisyPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(6, 7))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.UintN(256))
	}
	var buf bytes.Buffer
	must(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// mustGetPage follows redirects to the page a browser would show.
func mustGetPage(t *testing.T, env *servertest.Env, path string) string {
	t.Helper()
	p, err := env.NewBrowser().Get(env.Server.URL + path)
	must(t, err)
	return p.Body
}
