package branding

import (
	"context"
	"errors"
	"image/color"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// forEachBackend runs test on a Service over SQLite and over Postgres.
func forEachBackend(t *testing.T, test func(t *testing.T, s *Service, tenantID string)) {
	t.Helper()
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			t.Parallel()
			store := backend.Open(t)
			tenant := &storage.Tenant{ID: "2f1d6a3e-8a57-4d1b-9f43-0c1f9a4a7c11", DisplayName: "Contoso"}
			if err := store.CreateTenant(context.Background(), tenant, []storage.Domain{{Name: "contoso.com", Verified: true}}); err != nil {
				t.Fatal(err)
			}
			test(t, &Service{Store: store}, tenant.ID)
		})
	}
}

func TestPatchSetsClearsAndKeepsElements(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service, tenantID string) {
		ctx := context.Background()
		mustPatch(t, s, tenantID, "", `{"backgroundColor":"#0067b8","signInPageText":"Call **0800 123**",
			"loginPageLayoutConfiguration":{"layoutTemplateType":"verticalSplit","isHeaderShown":true}}`)
		e := mustPatch(t, s, tenantID, "", `{"signInPageText":null,"loginPageLayoutConfiguration":{"isFooterShown":false}}`)
		if str(e.BackgroundColor) != "#0067b8" || e.SignInPageText != nil {
			t.Errorf("after the second patch: colour %q, text %v", str(e.BackgroundColor), e.SignInPageText)
		}
		l := e.LoginPageLayoutConfiguration
		if str(l.LayoutTemplateType) != TemplateVerticalSplit || !flag(l.IsHeaderShown, false) || flag(l.IsFooterShown, true) {
			t.Errorf("a nested patch lost a sibling: %+v", l)
		}
		published, err := s.Get(ctx, tenantID, storage.BrandingPublished)
		if err != nil || published.Default.BackgroundColor != nil {
			t.Errorf("a patch reached the published branding before Publish: %+v, %v", published, err)
		}
	})
}

func TestPatchRefusesBadInputWithoutWriting(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service, tenantID string) {
		ctx := context.Background()
		mustPatch(t, s, tenantID, "", `{"usernameHintText":"alex@contoso.com"}`)
		cases := []struct{ body, field, want string }{
			{`{"backgroundColor":"blue"}`, "backgroundColor", "hex colour"},
			{`{"signInPageText":"` + strings.Repeat("é", 1025) + `"}`, "signInPageText", "can't exceed 1024"},
			{`{"usernameHintText":"` + strings.Repeat("x", 65) + `"}`, "usernameHintText", "can't exceed 64"},
			{`{"customPrivacyAndCookiesUrl":"javascript:alert(1)"}`, "customPrivacyAndCookiesUrl", "https://"},
			{`{"customTermsOfUseUrl":"http://contoso.com/terms"}`, "customTermsOfUseUrl", "https://"},
			{`{"loginPageLayoutConfiguration":{"layoutTemplateType":"lightbox"}}`, "loginPageLayoutConfiguration.layoutTemplateType", "verticalSplit"},
			{`{"bannerLogoRelativeUrl":"` + strings.Repeat("a", 64) + `.png"}`, "bannerLogoRelativeUrl", "uploading"},
			{`{"customCSSRelativeUrl":"https://evil.example/x.css"}`, "customCSSRelativeUrl", "uploading"},
			{`{"colour":"#fff"}`, "body", "unknown field"},
			{`[1]`, "body", "not a branding JSON object"},
			{`{"customTermsOfUseText":"line\nbreak"}`, "customTermsOfUseText", "single line"},
		}
		for _, c := range cases {
			_, err := s.Patch(ctx, tenantID, "", []byte(c.body))
			wantProblem(t, err, c.field, c.want)
		}
		_, err := s.Patch(ctx, tenantID, "Not a tag!", []byte(`{}`))
		wantProblem(t, err, "locale", "language tag")
		b, err := s.Get(ctx, tenantID, storage.BrandingDraft)
		if err != nil || str(b.Default.UsernameHintText) != "alex@contoso.com" || b.Default.BackgroundColor != nil {
			t.Errorf("a refused patch changed the draft: %+v, %v", b.Default, err)
		}
	})
}

// TestLocalizationsFallBackElementByElement covers H-28: a language's
// localization overrides only the elements it sets.
func TestLocalizationsFallBackElementByElement(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service, tenantID string) {
		ctx := context.Background()
		mustPatch(t, s, tenantID, "", `{"signInPageTitle":"Welcome","usernameHintText":"name@contoso.com","backgroundColor":"#112233"}`)
		mustPatch(t, s, tenantID, "de", `{"signInPageTitle":"Willkommen"}`)
		if err := s.Publish(ctx, tenantID); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			langs       []string
			title, hint string
		}{
			{[]string{"de-at", "en"}, "Willkommen", "name@contoso.com"},
			{[]string{"fr", "de"}, "Welcome", "name@contoso.com"},    // the page is French: no German title in it
			{[]string{"nl", "de"}, "Willkommen", "name@contoso.com"}, // Sigil has no Dutch: German comes next
			{[]string{"fr"}, "Welcome", "name@contoso.com"},
			{nil, "Welcome", "name@contoso.com"},
		} {
			b, err := s.Brand(ctx, tenantID, c.langs)
			if err != nil {
				t.Fatal(err)
			}
			if b.Title != c.title || b.UsernameHint != c.hint || b.StylesheetURL == "" || b.Name != "Contoso" {
				t.Errorf("%v: title %q hint %q stylesheet %q name %q", c.langs, b.Title, b.UsernameHint, b.StylesheetURL, b.Name)
			}
		}
		if err := s.DeleteLocalization(ctx, tenantID, "de"); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, s.DeleteLocalization(ctx, tenantID, ""), "locale", "can't be deleted")
		if err := s.DeleteLocalization(ctx, tenantID, "ar"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("deleting a missing localization: %v", err)
		}
	})
}

func TestDefaultsApplyToEveryUnsetElement(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service, tenantID string) {
		b, err := s.Brand(context.Background(), tenantID, []string{"en"})
		if err != nil {
			t.Fatal(err)
		}
		if b.Name != "Contoso" || b.VerticalSplit || b.ShowHeader || !b.ShowFooter || b.StylesheetURL != "" ||
			b.BannerLogoURL != "" || b.Privacy != nil || b.Terms != nil || b.SSPR != nil || b.SignInPageText != "" {
			t.Errorf("an unbranded tenant got %+v (H-03)", b)
		}
	})
}

func TestImagesAndCSSAreStoredByContentAndPruned(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service, tenantID string) {
		ctx := context.Background()
		first, err := s.SetImage(ctx, tenantID, "", BannerLogo, solidPNG(t, 245, 36, color.NRGBA{0, 0x67, 0xb8, 0xff}))
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.SetImage(ctx, tenantID, "", BannerLogo, solidPNG(t, 245, 36, color.NRGBA{0xc5, 0x0f, 0x1f, 0xff}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Store.GetBrandingAsset(ctx, tenantID, first); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("the replaced logo %s is still stored: %v", first, err)
		}
		a, err := s.Store.GetBrandingAsset(ctx, tenantID, second)
		if err != nil || a.ContentType != "image/png" {
			t.Fatalf("the new logo: %+v, %v", a, err)
		}
		_, err = s.SetImage(ctx, tenantID, "", Favicon, solidPNG(t, 16, 16, color.White))
		wantProblem(t, err, "favicon", "must be exactly 32×32")
		css, err := s.SetCustomCSS(ctx, tenantID, "", []byte(".ext-title{color:#c50f1f}"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.SetCustomCSS(ctx, tenantID, "", []byte("@import 'x.css';"))
		wantProblem(t, err, "customCSS", "@import")
		mustPatch(t, s, tenantID, "", `{"backgroundColor":"#fafafa"}`)
		b, err := s.Get(ctx, tenantID, storage.BrandingDraft)
		if err != nil || str(b.Default.CustomCSSRelativeURL) != css || str(b.Default.BannerLogoRelativeURL) != second {
			t.Fatalf("draft %+v, %v", b.Default, err)
		}
	})
}

// TestPreviewShowsTheDraftUntilPublished: the preview URL renders the draft
// without publishing it and stops working once the draft is published.
func TestPreviewShowsTheDraftUntilPublished(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service, tenantID string) {
		ctx := context.Background()
		if _, err := s.PreviewPath(ctx, tenantID); !errors.Is(err, ErrNoDraft) {
			t.Errorf("PreviewPath without a draft: %v", err)
		}
		mustPatch(t, s, tenantID, "", `{"signInPageTitle":"Draft title"}`)
		path, err := s.PreviewPath(ctx, tenantID)
		if err != nil {
			t.Fatal(err)
		}
		previewID := path[strings.LastIndex(path, "/")+1:]
		b, err := s.PreviewBrand(ctx, tenantID, previewID, nil)
		if err != nil || b.Title != "Draft title" {
			t.Fatalf("preview: %+v, %v", b, err)
		}
		if live, _ := s.Brand(ctx, tenantID, nil); live.Title != "" {
			t.Errorf("the draft is live before Publish: %q", live.Title)
		}
		if _, err := s.PreviewBrand(ctx, tenantID, strings.Repeat("0", 32), nil); !errors.Is(err, ErrNoPreview) {
			t.Errorf("a wrong preview ID: %v", err)
		}
		if err := s.Publish(ctx, tenantID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PreviewBrand(ctx, tenantID, previewID, nil); !errors.Is(err, ErrNoPreview) {
			t.Errorf("the preview outlived Publish: %v", err)
		}
		if live, _ := s.Brand(ctx, tenantID, nil); live.Title != "Draft title" {
			t.Errorf("after Publish the title is %q", live.Title)
		}
		if err := s.Publish(ctx, tenantID); !errors.Is(err, ErrNoDraft) {
			t.Errorf("publishing twice: %v", err)
		}
	})
}

// TestResetRemovesEveryCustomSetting covers H-26.
func TestResetRemovesEveryCustomSetting(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service, tenantID string) {
		ctx := context.Background()
		mustPatch(t, s, tenantID, "", `{"signInPageTitle":"x"}`)
		mustPatch(t, s, tenantID, "he", `{"signInPageTitle":"y"}`)
		if err := s.Publish(ctx, tenantID); err != nil {
			t.Fatal(err)
		}
		if err := s.Reset(ctx, tenantID); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx, tenantID); err != nil {
			t.Fatal(err)
		}
		b, err := s.Get(ctx, tenantID, storage.BrandingPublished)
		if err != nil || b.Default.SignInPageTitle != nil || len(b.Localizations) != 0 {
			t.Errorf("after Reset and Publish: %+v, %v", b, err)
		}
	})
}

func TestUnknownTenant(t *testing.T) {
	t.Parallel()
	s := &Service{Store: gormstoretest.SQLite(t)}
	_, err := s.Patch(context.Background(), "8b0c2b4e-0000-4000-8000-000000000000", "", []byte(`{}`))
	if !errors.Is(err, directory.ErrTenantNotFound) {
		t.Errorf("err = %v, want ErrTenantNotFound", err)
	}
}

func mustPatch(t *testing.T, s *Service, tenantID, locale, body string) *Elements {
	t.Helper()
	e, err := s.Patch(context.Background(), tenantID, locale, []byte(body))
	if err != nil {
		t.Fatalf("Patch(%s): %v", body, err)
	}
	return e
}

var _ = ptr[string]
