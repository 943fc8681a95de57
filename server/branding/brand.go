package branding

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/sigil-idp/sigil/server/branding/markup"
	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/storage"
)

// AssetPrefix is the path under which Handler serves branding assets:
// AssetPrefix + tenantID + "/" + name.
const AssetPrefix = "/_/branding/"

// AssetPath is the URL path of a tenant's asset. The name is the content's
// hash, so the URL changes whenever the content does.
func AssetPath(tenantID, name string) string { return AssetPrefix + tenantID + "/" + name }

// defaultPrivacyText and defaultTermsText label the footer items when the
// tenant gives a URL without a text (catalogue keys, so they are translated).
const (
	defaultPrivacyText = "Privacy & cookies"
	defaultTermsText   = "Terms of use"
)

// pickLocalization returns the row of the localization for the reader's
// languages (H-28), else the default row; nil when rows is empty. It walks
// the preferences in order and stops at the first language that has a
// localization or in which Sigil writes its pages, so the branding never
// speaks a less preferred language than the page around it.
func pickLocalization(rows []storage.Branding, languages []string) *storage.Branding {
	byLocale := make(map[string]*storage.Branding, len(rows))
	for i := range rows {
		byLocale[rows[i].Locale] = &rows[i]
	}
	supported := map[string]bool{}
	for _, l := range page.SupportedLanguages() {
		supported[l] = true
	}
	locale := page.Pick(languages, func(tag string) bool {
		_, ok := byLocale[tag]
		return tag != "" && (ok || supported[tag])
	}, "")
	if row, ok := byLocale[locale]; ok {
		return row
	}
	return byLocale[""]
}

// toBrand turns a localization's effective elements into the page's Brand,
// applying Sigil's default for every unset element.
func toBrand(tenantID, tenantName string, e Elements, theme string) *page.Brand {
	b := page.DefaultBrand()
	if tenantName != "" {
		b.Name = tenantName
	}
	asset := func(p *string) string {
		if str(p) == "" {
			return ""
		}
		return AssetPath(tenantID, *p)
	}
	if l := e.LoginPageLayoutConfiguration; l != nil {
		b.VerticalSplit = str(l.LayoutTemplateType) == TemplateVerticalSplit
		b.ShowHeader = flag(l.IsHeaderShown, false)
		b.ShowFooter = flag(l.IsFooterShown, true)
	}
	if b.ShowHeader { // the header logo needs the header (H-15)
		b.HeaderLogoURL = asset(e.HeaderLogoRelativeURL)
	}
	b.FaviconURL = asset(e.FaviconRelativeURL)
	b.BannerLogoURL = asset(e.BannerLogoRelativeURL)
	b.SquareLogoURL = asset(e.SquareLogoRelativeURL)
	if theme != "" {
		b.StylesheetURL = AssetPath(tenantID, theme)
	}
	b.Title, b.Description, b.UsernameHint = str(e.SignInPageTitle), str(e.SignInPageDescription), str(e.UsernameHintText)
	if t := str(e.SignInPageText); t != "" {
		b.SignInPageText = markup.Render(t)
	}
	vis := e.LoginPageTextVisibilitySettings
	if vis == nil {
		vis = &TextVisibility{}
	}
	b.Privacy = footerItem(e.CustomPrivacyAndCookiesText, e.CustomPrivacyAndCookiesURL, defaultPrivacyText, flag(vis.HidePrivacyAndCookies, false))
	b.Terms = footerItem(e.CustomTermsOfUseText, e.CustomTermsOfUseURL, defaultTermsText, flag(vis.HideTermsOfUse, false))
	if u := str(e.CustomAccountResetCredentialsURL); u != "" && !flag(vis.HideAccountResetCredentials, false) {
		b.SSPR = &page.SSPR{URL: u, UsernameText: str(e.CustomCannotAccessYourAccountText), PasswordText: str(e.CustomForgotMyPasswordText)}
	}
	return b
}

// footerItem is shown when it is not hidden and has a URL to show: Sigil has
// no privacy or terms page of its own to link by default.
func footerItem(text, url *string, defaultText string, hidden bool) *page.FooterItem {
	if hidden || str(url) == "" {
		return nil
	}
	t := str(text)
	if t == "" {
		t = defaultText
	}
	return &page.FooterItem{Text: t, URL: *url}
}

// themeCSS is a localization's stylesheet: the page colour (shown where the
// background image is missing or still loading, H-11), the background image
// and then the tenant's sanitised custom CSS. It is "" when there is none.
func themeCSS(tenantID string, e Elements, customCSS string) string {
	var b strings.Builder
	if c := str(e.BackgroundColor); c != "" {
		b.WriteString("body.ext-background,\n.ext-background-image {\n  background-color: " + c + ";\n}\n")
	}
	if img := str(e.BackgroundImageRelativeURL); img != "" {
		b.WriteString(".ext-background-image {\n  background-image: url(\"" + AssetPath(tenantID, img) + "\");\n}\n")
	}
	if customCSS != "" {
		b.WriteString("\n/* custom CSS */\n" + customCSS)
	}
	return b.String()
}

// assetName names content by its SHA-256.
func assetName(content []byte, ext string) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:]) + "." + ext
}

// contentTypes maps asset extensions to the Content-Type they are served with.
var contentTypes = map[string]string{"png": "image/png", "jpg": "image/jpeg", "css": "text/css; charset=utf-8"}

// brandFor renders the Brand of one stage's rows for the reader's languages.
func (s *Service) brandFor(ctx context.Context, tenantID string, rows []storage.Branding, languages []string) (*page.Brand, error) {
	tenant, err := s.Store.GetTenant(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	row := pickLocalization(rows, languages)
	if row == nil {
		return toBrand(tenantID, tenant.DisplayName, Elements{}, ""), nil
	}
	b, err := decodeBranding(rows)
	if err != nil {
		return nil, err
	}
	e := b.Default
	if row.Locale != "" {
		e = Merge(b.Localizations[row.Locale], b.Default)
	}
	return toBrand(tenantID, tenant.DisplayName, e, row.Theme), nil
}
