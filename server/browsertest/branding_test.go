package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/branding"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// brandFully gives env's tenant every element of the seed (H-07) in the
// given template and publishes it.
func brandFully(t *testing.T, env *servertest.Env, template string) *branding.Service {
	t.Helper()
	svc := &branding.Service{Store: env.Store}
	ctx, id := context.Background(), env.Tenant.ID
	images := map[branding.ImageKind][]byte{
		branding.Favicon: logoPNG(t, 32, 32), branding.HeaderLogo: logoPNG(t, 245, 36), branding.BannerLogo: logoPNG(t, 245, 36),
		branding.SquareLogo: logoPNG(t, 240, 240), branding.SquareLogoDark: logoPNG(t, 240, 240), branding.BackgroundImage: backgroundJPEG(t),
	}
	for kind, data := range images {
		if _, err := svc.SetImage(ctx, id, "", kind, data); err != nil {
			t.Fatalf("upload %s: %v", kind, err)
		}
	}
	patch := `{
		"backgroundColor": "#106e3c",
		"loginPageLayoutConfiguration": {"layoutTemplateType": "` + template + `", "isHeaderShown": true, "isFooterShown": true},
		"signInPageTitle": "Woodgrove Groceries",
		"signInPageDescription": "Sign in with your Woodgrove account",
		"usernameHintText": "someone@woodgrove.example",
		"signInPageText": "Need help? Call **+1 555 0100** or visit [the help desk](https://help.woodgrove.example).\n\n_For authorised use only._",
		"customPrivacyAndCookiesText": "Privacy", "customPrivacyAndCookiesUrl": "https://woodgrove.example/privacy",
		"customTermsOfUseUrl": "https://woodgrove.example/terms",
		"customAccountResetCredentialsUrl": "https://reset.woodgrove.example",
		"customCannotAccessYourAccountText": "Forgot your password? Reset it at"
	}`
	if _, err := svc.Patch(ctx, id, "", []byte(patch)); err != nil {
		t.Fatalf("patch: %v", err)
	}
	if err := svc.Publish(ctx, id); err != nil {
		t.Fatal(err)
	}
	return svc
}

func signInURL(env *servertest.Env, params ...string) string {
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(oauth2.GenerateVerifier())}
	for i := 0; i+1 < len(params); i += 2 {
		opts = append(opts, oauth2.SetAuthURLParam(params[i], params[i+1]))
	}
	return env.OAuth2(env.Web, env.WebSecret).AuthCodeURL("state-branding", opts...)
}

// brandedLook is what the browser made of a branded username page.
type brandedLook struct {
	BannerWidth     float64 `json:"bannerWidth"`
	HeaderLogoWidth float64 `json:"headerLogoWidth"`
	Background      string  `json:"background"`
	BackgroundColor string  `json:"backgroundColor"`
	Title           string  `json:"title"`
	Placeholder     string  `json:"placeholder"`
	Boilerplate     string  `json:"boilerplate"`
	FooterText      string  `json:"footerText"`
	FooterLinks     float64 `json:"footerLinks"`
	SSPR            string  `json:"sspr"`
	Favicon         string  `json:"favicon"`
	SplitSection    bool    `json:"splitSection"`
	BoxRight        float64 `json:"boxRight"`
	ImageLeft       float64 `json:"imageLeft"`
}

const measureBranding = `(() => {
	const q = s => document.querySelector(s);
	const bg = q(".ext-background-image");
	const split = q(".ext-vertical-split-background-image-container");
	return {
		bannerWidth: q("img.ext-banner-logo") ? q("img.ext-banner-logo").naturalWidth : 0,
		headerLogoWidth: q(".ext-header-logo") ? q(".ext-header-logo").naturalWidth : 0,
		background: getComputedStyle(bg).backgroundImage,
		backgroundColor: getComputedStyle(bg).backgroundColor,
		title: q(".ext-title").textContent,
		placeholder: q("#username").placeholder,
		boilerplate: q(".ext-boilerplate-text").innerHTML,
		footerText: q(".ext-footer").textContent.replace(/\s+/g, " ").trim(),
		footerLinks: document.querySelectorAll(".ext-footer a").length,
		sspr: q(".ext-sspr") ? q(".ext-sspr").textContent : "",
		favicon: q("link[rel=icon]").href,
		splitSection: !!q(".ext-vertical-split-main-section"),
		boxRight: q(".ext-sign-in-box").getBoundingClientRect().right,
		imageLeft: split ? split.getBoundingClientRect().left : 0,
	};
})()`

// TestFullyBrandedTenant loads the real sign-in page of a tenant with every
// branding element, in both templates (H-12), on a desktop and a phone, and
// checks what the browser rendered (H-07, H-09..H-25).
func TestFullyBrandedTenant(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	for _, tt := range []struct {
		name, template, shot string
		vp                   viewport
	}{
		{"the full-screen template on a desktop", branding.TemplateFullScreen, "branding-full-screen", desktop},
		{"the partial-screen template on a desktop", branding.TemplateVerticalSplit, "branding-vertical-split", desktop},
		{"the full-screen template on a phone", branding.TemplateFullScreen, "branding-full-screen", phone},
		{"the partial-screen template on a phone", branding.TemplateVerticalSplit, "branding-vertical-split", phone},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
			brandFully(t, env, tt.template)
			tb := b.newTab(t, env, tt.vp)
			tb.open(signInURL(env))
			tb.expectField("username")
			l := evaluate[brandedLook](tb, measureBranding)
			if l.BannerWidth != 245 || l.HeaderLogoWidth != 245 {
				t.Errorf("logos did not load: banner %v px, header %v px wide", l.BannerWidth, l.HeaderLogoWidth)
			}
			if !strings.Contains(l.Background, "/_/branding/"+env.Tenant.ID+"/") || l.BackgroundColor != "rgb(16, 110, 60)" {
				t.Errorf("background image %q, colour %q (H-10, H-11)", l.Background, l.BackgroundColor)
			}
			if l.Title != "Woodgrove Groceries" || l.Placeholder != "someone@woodgrove.example" {
				t.Errorf("title %q, username hint %q (H-21)", l.Title, l.Placeholder)
			}
			if !strings.Contains(l.Boilerplate, "<strong>+1 555 0100</strong>") || !strings.Contains(l.Boilerplate, "<em>For authorised use only.</em>") {
				t.Errorf("sign-in page text rendered as %q (H-23)", l.Boilerplate)
			}
			if l.FooterLinks != 0 || !strings.Contains(l.FooterText, "Privacy https://woodgrove.example/privacy") ||
				!strings.Contains(l.FooterText, "Terms of use https://woodgrove.example/terms") {
				t.Errorf("footer %q with %v links; custom URLs must be text (H-06, H-16, H-17)", l.FooterText, l.FooterLinks)
			}
			if !strings.Contains(l.SSPR, "Reset it at https://reset.woodgrove.example") || !strings.Contains(l.Favicon, "/_/branding/") {
				t.Errorf("SSPR line %q, favicon %q (H-25, H-09)", l.SSPR, l.Favicon)
			}
			split := tt.template == branding.TemplateVerticalSplit
			if l.SplitSection != split {
				t.Errorf("vertical split section present: %v, want %v", l.SplitSection, split)
			}
			if split && tt.vp == desktop && l.ImageLeft < l.BoxRight {
				t.Errorf("the background image (from %v px) overlaps the sign-in box (to %v px)", l.ImageLeft, l.BoxRight)
			}
			if tt.vp == phone {
				tb.checkFitsPhone(tt.shot)
			}
			tb.checkScriptsAndCSP(tt.shot)
			tb.screenshot(tt.shot)
		})
	}
}

// TestCustomCSSRestylesTheExtClasses uploads a stylesheet written against
// the CSS template's classes and checks the browser applies it (H-14, H-36).
func TestCustomCSSRestylesTheExtClasses(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
	svc := &branding.Service{Store: env.Store}
	ctx := context.Background()
	css := `
		body { background-color: #fdf6e3 }
		.ext-sign-in-box { border-top: 6px solid #c50f1f; border-radius: 8px }
		.ext-title { color: #107c10; letter-spacing: 0.02em }
		.ext-button.ext-primary { background-color: #c50f1f; border-color: #c50f1f; border-radius: 18px }
		.ext-button.ext-primary:hover { background-color: #a80000 }
		.ext-input.ext-text-box:focus { border-bottom-color: #c50f1f }
	`
	if _, err := svc.SetCustomCSS(ctx, env.Tenant.ID, "", []byte(css)); err != nil {
		t.Fatal(err)
	}
	if err := svc.Publish(ctx, env.Tenant.ID); err != nil {
		t.Fatal(err)
	}
	tb := b.newTab(t, env, desktop)
	tb.open(signInURL(env))
	tb.expectField("username")
	got := evaluate[map[string]string](tb, `(() => {
		const s = sel => getComputedStyle(document.querySelector(sel));
		return {button: s(".ext-button.ext-primary").backgroundColor, radius: s(".ext-button.ext-primary").borderTopLeftRadius,
			title: s(".ext-title").color, box: s(".ext-sign-in-box").borderTopColor};
	})()`)
	want := map[string]string{"button": "rgb(197, 15, 31)", "radius": "18px", "title": "rgb(16, 124, 16)", "box": "rgb(197, 15, 31)"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("computed %s = %q, want %q", k, got[k], w)
		}
	}
	tb.checkScriptsAndCSP("custom CSS")
	tb.screenshot("branding-custom-css")
}

// TestRightToLeft loads the pages in Arabic and Hebrew: the document is
// dir="rtl", the layout mirrors (the button sits on the left), Sigil's
// strings and the tenant's Arabic localization are shown (H-28, H-29).
func TestRightToLeft(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	for _, tt := range []struct {
		name, uiLocales, title, next string
		vp                           viewport
		shot                         string
	}{
		{"Arabic on a desktop", "ar", "مرحبًا بك في وودغروف", "التالي", desktop, "branding-arabic-rtl"},
		{"Arabic on a phone", "ar", "مرحبًا بك في وودغروف", "التالي", phone, "branding-arabic-rtl"},
		{"Hebrew falls back to the default title", "he", "Woodgrove Groceries", "הבא", desktop, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
			svc := brandFully(t, env, branding.TemplateFullScreen)
			if _, err := svc.Patch(context.Background(), env.Tenant.ID, "ar", []byte(`{"signInPageTitle":"مرحبًا بك في وودغروف"}`)); err != nil {
				t.Fatal(err)
			}
			if err := svc.Publish(context.Background(), env.Tenant.ID); err != nil {
				t.Fatal(err)
			}
			tb := b.newTab(t, env, tt.vp)
			tb.open(signInURL(env, "ui_locales", tt.uiLocales))
			tb.expectField("username")
			got := evaluate[map[string]any](tb, `(() => {
				const box = document.querySelector(".ext-sign-in-box").getBoundingClientRect();
				const button = document.querySelector(".ext-button.ext-primary");
				const label = document.querySelector(".ext-label").getBoundingClientRect();
				return {dir: document.documentElement.dir, direction: getComputedStyle(document.body).direction,
					lang: document.documentElement.lang, title: document.querySelector(".ext-title").textContent,
					next: button.textContent, buttonRight: button.getBoundingClientRect().right,
					labelRight: label.right, boxCentre: (box.left + box.right) / 2, boxRight: box.right};
			})()`)
			if got["dir"] != "rtl" || got["direction"] != "rtl" || got["lang"] != tt.uiLocales {
				t.Errorf("dir %v, computed direction %v, lang %v", got["dir"], got["direction"], got["lang"])
			}
			if got["title"] != tt.title || got["next"] != tt.next {
				t.Errorf("title %q, button %q", got["title"], got["next"])
			}
			if got["buttonRight"].(float64) > got["boxCentre"].(float64) {
				t.Errorf("the Next button ends at %v px, right of the box's centre %v: the layout did not mirror", got["buttonRight"], got["boxCentre"])
			}
			if got["boxRight"].(float64)-got["labelRight"].(float64) > 60 {
				t.Errorf("the label ends at %v px, far from the box's right edge %v", got["labelRight"], got["boxRight"])
			}
			tb.checkScriptsAndCSP(tt.name)
			if tt.shot != "" {
				tb.screenshot(tt.shot)
			}
		})
	}
}

// TestDefaultBrandingIsAccessible checks Sigil's own look on an unbranded
// tenant: text contrast of at least 4.5:1 (WCAG 2.2 AA), and a keyboard
// focus order of field, button, then the links of the page.
func TestDefaultBrandingIsAccessible(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	for _, tt := range []struct {
		name     string
		branded  bool
		shot     string
		tabOrder []string
	}{
		{"Sigil's default look", false, "branding-default", []string{"username", "next"}},
		{"a fully branded tenant", true, "", []string{"username", "next", "help-link"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
			if tt.branded {
				brandFully(t, env, branding.TemplateFullScreen)
			}
			tb := b.newTab(t, env, desktop)
			tb.open(signInURL(env))
			tb.expectField("username")
			for sel, ratio := range evaluate[map[string]float64](tb, contrastScript) {
				if ratio < 4.5 {
					t.Errorf("%s has a contrast of %.2f:1, want at least 4.5:1", sel, ratio)
				}
			}
			order := []string{tb.focusName()}
			for range len(tt.tabOrder) - 1 {
				tb.press(kb.Tab)
				order = append(order, tb.focusName())
			}
			if strings.Join(order, ",") != strings.Join(tt.tabOrder, ",") {
				t.Errorf("Tab moves focus through %v, want %v", order, tt.tabOrder)
			}
			if tt.shot != "" {
				tb.screenshot(tt.shot)
			}
		})
	}
}

// focusName names the focused element: its id, "next" for the primary
// button, "help-link" for a link in the sign-in page text.
func (tb *tab) focusName() string {
	tb.t.Helper()
	return evaluate[string](tb, `(() => {
		const e = document.activeElement;
		if (e.id) return e.id;
		if (e.matches(".ext-button.ext-primary")) return "next";
		if (e.closest(".ext-boilerplate-text")) return "help-link";
		return e.outerHTML.slice(0, 80);
	})()`)
}

// contrastScript returns the WCAG contrast ratio of the text of each named
// element against the nearest opaque background behind it.
const contrastScript = `(() => {
	const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
	const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
		return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	const bg = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0.5) return c; } return [255, 255, 255]; };
	const out = {};
	for (const sel of [".ext-title", ".ext-label", ".ext-subtitle", ".ext-button.ext-primary", ".ext-footer-item", ".ext-boilerplate-text", ".ext-sspr"]) {
		const e = document.querySelector(sel);
		if (!e) continue;
		const a = lum(rgb(getComputedStyle(e).color)), b = lum(bg(e));
		out[sel] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
	}
	return out;
})()`
