package branding_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/branding"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

func pngOf(t *testing.T, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		img.Set(i%w, i/w, c)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// must returns a function that returns v, failing t on err: must(t)(f()).
func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func get(t *testing.T, b *servertest.Browser, u string, header ...string) *servertest.Page {
	t.Helper()
	req := must[*http.Request](t)(http.NewRequest(http.MethodGet, u, nil))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp := must[*http.Response](t)(b.Client.Do(req))
	defer resp.Body.Close()
	body := must[[]byte](t)(io.ReadAll(resp.Body))
	return &servertest.Page{Status: resp.StatusCode, URL: resp.Request.URL, Header: resp.Header, Body: string(body)}
}

func authorizeURL(env *servertest.Env, params ...string) string {
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(oauth2.GenerateVerifier())}
	for i := 0; i+1 < len(params); i += 2 {
		opts = append(opts, oauth2.SetAuthURLParam(params[i], params[i+1]))
	}
	return env.OAuth2(env.Web, env.WebSecret).AuthCodeURL("state-branding", opts...)
}

var srcOf = regexp.MustCompile(`(?:src|href)="(/_/branding/[^"]+)"`)

// TestAssetsAreServedByContentHash: images and the theme stylesheet come from
// Sigil under their SHA-256 names with their exact type, nosniff, a sandbox
// CSP and a year of caching (H-05, H-14).
func TestAssetsAreServedByContentHash(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	svc := &branding.Service{Store: env.Store}
	ctx := context.Background()
	logo := pngOf(t, 245, 36, color.NRGBA{0, 0x67, 0xb8, 0xff})
	must[string](t)(svc.SetImage(ctx, env.Tenant.ID, "", branding.BannerLogo, logo))
	must[string](t)(svc.SetCustomCSS(ctx, env.Tenant.ID, "", []byte(".ext-title { color: #107c10 }")))
	if err := svc.Publish(ctx, env.Tenant.ID); err != nil {
		t.Fatal(err)
	}
	b := env.NewBrowser()
	signIn := get(t, b, authorizeURL(env))
	urls := srcOf.FindAllStringSubmatch(signIn.Body, -1)
	if len(urls) != 2 {
		t.Fatalf("the sign-in page links %d branding assets, want the banner logo and the theme: %s", len(urls), signIn.Body)
	}
	for _, m := range urls {
		res := get(t, b, env.Server.URL+m[1])
		wantType := "image/png"
		if strings.HasSuffix(m[1], ".css") {
			wantType = "text/css; charset=utf-8"
		}
		for header, want := range map[string]string{
			"Content-Type": wantType, "X-Content-Type-Options": "nosniff",
			"Cache-Control": "public, max-age=31536000, immutable", "Content-Security-Policy": "default-src 'none'; sandbox",
		} {
			if got := res.Header.Get(header); res.Status != http.StatusOK || got != want {
				t.Errorf("%s: status %d, %s %q, want %q", m[1], res.Status, header, got, want)
			}
		}
		if wantType == "image/png" && res.Body != string(logo) {
			t.Errorf("the logo came back changed")
		}
		if wantType != "image/png" && !strings.Contains(res.Body, "color: #107c10;") {
			t.Errorf("the theme lacks the custom CSS: %s", res.Body)
		}
	}
	other := must[*storage.Tenant](t)(env.Directory.CreateTenant(ctx, directory.NewTenant{DisplayName: "Fabrikam", Domain: "fabrikam-assets.test"}))
	name := urls[0][1][strings.LastIndex(urls[0][1], "/")+1:]
	for _, path := range []string{
		branding.AssetPath(env.Tenant.ID, strings.Repeat("0", 64)+".png"),
		branding.AssetPath(other.ID, name),
		branding.AssetPath("not-a-uuid", name),
		branding.AssetPath(env.Tenant.ID, "..%2f..%2fetc%2fpasswd"),
		branding.AssetPath(env.Tenant.ID, strings.ToUpper(name)),
	} {
		if res := get(t, b, env.Server.URL+path); res.Status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, res.Status)
		}
	}
}

// TestPreviewShowsTheDraftWithoutPublishing: the preview URL renders the
// sign-in page with the draft while real sign-ins keep the published look.
func TestPreviewShowsTheDraftWithoutPublishing(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	svc := &branding.Service{Store: env.Store}
	ctx := context.Background()
	must[*branding.Elements](t)(svc.Patch(ctx, env.Tenant.ID, "", []byte(`{"signInPageTitle":"Welcome to Contoso"}`)))
	path := must[string](t)(svc.PreviewPath(ctx, env.Tenant.ID))
	b := env.NewBrowser()
	if page := get(t, b, authorizeURL(env)); strings.Contains(page.Body, "Welcome to Contoso") {
		t.Error("a real sign-in shows the unpublished draft")
	}
	preview := get(t, b, env.Server.URL+path)
	if preview.Status != http.StatusOK || !strings.Contains(preview.Body, `<h1 class="ext-title" id="page-title"><bdi>Welcome to Contoso</bdi></h1>`) {
		t.Errorf("preview: status %d: %s", preview.Status, preview.Body)
	}
	if page := get(t, b, env.Server.URL+path+"?page=password"); !strings.Contains(page.Body, `id="password"`) {
		t.Errorf("the password preview: %s", page.Body)
	}
	wrong := get(t, b, env.Server.URL+"/"+env.Tenant.ID+"/branding-preview/"+strings.Repeat("a", 32))
	if wrong.Status != http.StatusNotFound || !strings.Contains(wrong.Body, "Preview not found") {
		t.Errorf("a wrong preview ID: status %d", wrong.Status)
	}
	if err := svc.Publish(ctx, env.Tenant.ID); err != nil {
		t.Fatal(err)
	}
	if page := get(t, b, env.Server.URL+path); page.Status != http.StatusNotFound {
		t.Errorf("the preview still works after publishing: %d", page.Status)
	}
	if page := get(t, b, authorizeURL(env)); !strings.Contains(page.Body, "Welcome to Contoso") {
		t.Error("the published branding is not shown")
	}
}

// TestHomeRealmDiscovery covers H-32 (domain_hint or whr brands the first
// screen) and H-33 (a guest sees their home tenant's branding once their
// name is typed), each only for a tenant Sigil hosts.
func TestHomeRealmDiscovery(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	svc := &branding.Service{Store: env.Store}
	ctx := context.Background()
	home := must[*storage.Tenant](t)(env.Directory.CreateTenant(ctx, directory.NewTenant{DisplayName: "Fabrikam", Domain: "fabrikam-hrd.test"}))
	for id, title := range map[string]string{env.Tenant.ID: "Contoso sign-in", home.ID: "Fabrikam sign-in"} {
		must[*branding.Elements](t)(svc.Patch(ctx, id, "", []byte(`{"signInPageTitle":"`+title+`"}`)))
		if err := svc.Publish(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name   string
		params []string
		want   string
	}{
		{"the tenant in the URL brands the first screen", nil, "Contoso sign-in"},
		{"domain_hint names a hosted tenant", []string{"domain_hint", "fabrikam-hrd.test"}, "Fabrikam sign-in"},
		{"whr names a hosted tenant", []string{"whr", "FABRIKAM-HRD.test"}, "Fabrikam sign-in"},
		{"a domain Sigil does not host changes nothing", []string{"domain_hint", "unknown.example"}, "Contoso sign-in"},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := get(t, env.NewBrowser(), authorizeURL(env, c.params...))
			if !strings.Contains(page.Body, "<bdi>"+c.want+"</bdi></h1>") {
				t.Errorf("first screen lacks %q: %.400s", c.want, page.Body)
			}
		})
	}
	for name, c := range map[string]struct{ typed, wantName string }{
		"a guest sees their home tenant's branding after typing their name": {"bob@fabrikam-hrd.test", "Fabrikam"},
		"a member keeps the tenant's branding":                              {env.User.UserPrincipalName, "Contoso"},
	} {
		t.Run(name, func(t *testing.T) {
			b := env.NewBrowser()
			first := get(t, b, authorizeURL(env))
			form := must[servertest.Form](t)(first.FormWith("username"))
			next := must[*servertest.Page](t)(b.Submit(first, form, url.Values{"username": {c.typed}}))
			if !strings.Contains(next.Body, `<p class="ext-banner-logo ext-banner-text"><bdi>`+c.wantName+`</bdi></p>`) || !strings.Contains(next.Body, `id="password"`) {
				t.Errorf("password page after typing %s lacks %s's banner: %.600s", c.typed, c.wantName, next.Body)
			}
		})
	}
}

// TestLanguagesPickTheLocalizationAndThePageStrings covers H-28 and H-29: a
// language's localization with fallback, Sigil's strings in that language,
// right to left for Arabic.
func TestLanguagesPickTheLocalizationAndThePageStrings(t *testing.T) {
	t.Parallel()
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	svc := &branding.Service{Store: env.Store}
	ctx := context.Background()
	must[*branding.Elements](t)(svc.Patch(ctx, env.Tenant.ID, "", []byte(`{"signInPageTitle":"Welcome","usernameHintText":"someone@contoso.com"}`)))
	must[*branding.Elements](t)(svc.Patch(ctx, env.Tenant.ID, "ar", []byte(`{"signInPageTitle":"مرحبًا بك في كونتوسو"}`)))
	if err := svc.Publish(ctx, env.Tenant.ID); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, acceptLanguage string
		params               []string
		want                 []string
	}{
		{"Arabic from Accept-Language, right to left", "ar-EG,ar;q=0.9", nil,
			[]string{`<html lang="ar" dir="rtl">`, "مرحبًا بك في كونتوسو", `placeholder="someone@contoso.com"`, "التالي"}},
		{"ui_locales outranks the browser", "ar", []string{"ui_locales", "de"},
			[]string{`<html lang="de" dir="ltr">`, "<bdi>Welcome</bdi></h1>", "E-Mail oder Benutzername"}},
		{"Hebrew strings with the default branding", "he", nil,
			[]string{`<html lang="he" dir="rtl">`, "<bdi>Welcome</bdi></h1>", "הבא"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page := get(t, env.NewBrowser(), authorizeURL(env, c.params...), "Accept-Language", c.acceptLanguage)
			for _, w := range c.want {
				if !strings.Contains(page.Body, w) {
					t.Errorf("page lacks %s", w)
				}
			}
		})
	}
}
