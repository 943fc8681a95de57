package page

import (
	"context"
	"html/template"
	"net/http"

	"github.com/sigil-idp/sigil/server/tenancy"
)

// Brand is how a page looks for one tenant in one language: the resolved
// company branding (server/branding) with Sigil's defaults for every element
// the tenant left unset (H-03). URLs are Sigil's own content-hash URLs.
type Brand struct {
	// Name is the organisation shown as the text banner, the logos' alt text
	// and the browser tab's suffix.
	Name string
	// VerticalSplit selects the partial-screen background template
	// (.ext-vertical-split-main-section); false is the full-screen one
	// (.ext-middle) (H-12).
	VerticalSplit bool
	// ShowHeader and ShowFooter switch .ext-header and .ext-footer (H-13).
	ShowHeader bool
	ShowFooter bool
	// Image URLs; empty means Sigil's default (none, or the text banner).
	FaviconURL    string
	HeaderLogoURL string
	BannerLogoURL string
	SquareLogoURL string
	// StylesheetURL is the tenant's theme: background colour and image, then
	// the sanitised custom CSS. Empty uses sigil.css alone.
	StylesheetURL string
	// Title and Description replace the sign-in page's heading and subtitle.
	Title       string
	Description string
	// UsernameHint is the username field's placeholder (H-21).
	UsernameHint string
	// SignInPageText is the rendered sign-in page text (server/branding/markup),
	// shown in .ext-boilerplate-text at the bottom of the box (H-22).
	SignInPageText template.HTML
	// Privacy and Terms are the footer items; nil hides one (H-16, H-17).
	Privacy *FooterItem
	Terms   *FooterItem
	// SSPR, when set, is the self-service password reset line (H-25).
	SSPR *SSPR
}

// FooterItem is a footer entry. A custom URL is shown as text, never as a
// link (H-06).
type FooterItem struct {
	Text string
	URL  string
}

// SSPR is the self-service password reset line of the username and password
// pages; the URL is shown as text, never as a link (H-06, H-25).
type SSPR struct {
	URL          string
	UsernameText string
	PasswordText string
}

// DefaultBrand is Sigil's own look, used where no tenant is known and for
// every element a tenant left unset.
func DefaultBrand() *Brand {
	return &Brand{Name: "Sigil", ShowFooter: true}
}

// BrandSource resolves a tenant's published branding for the reader's
// preferred languages (most preferred first). server/branding implements it.
type BrandSource interface {
	Brand(ctx context.Context, tenantID string, languages []string) (*Brand, error)
}

type brandKey struct{}
type brandTenantKey struct{}
type localesKey struct{}

// WithBrand returns a context whose pages render with b, bypassing the
// BrandSource (the branding preview uses it).
func WithBrand(ctx context.Context, b *Brand) context.Context {
	return context.WithValue(ctx, brandKey{}, b)
}

// WithBrandTenant returns a context whose pages show tenantID's branding
// instead of the tenant in the URL: home realm discovery uses it to show a
// guest their home tenant's look (H-33).
func WithBrandTenant(ctx context.Context, tenantID string) context.Context {
	return context.WithValue(ctx, brandTenantKey{}, tenantID)
}

// WithUILocales returns a context carrying the ui_locales of the sign-in
// request (space-separated BCP 47 tags), which outrank Accept-Language.
func WithUILocales(ctx context.Context, uiLocales string) context.Context {
	return context.WithValue(ctx, localesKey{}, uiLocales)
}

// brandTenant is the tenant whose branding a page shows: the one set by
// WithBrandTenant, else the tenant the request resolved (server/tenancy).
func brandTenant(r *http.Request, fromURL func(context.Context) string) string {
	if id, ok := r.Context().Value(brandTenantKey{}).(string); ok && id != "" {
		return id
	}
	return fromURL(r.Context())
}

// view builds what a template executes with: the language picked from the
// request, its direction, and the branding of the page's tenant in the
// reader's languages (Sigil's default when there is none or it fails to load:
// a sign-in page is never refused for its looks).
func (p *Renderer) view(r *http.Request, data any, requestID string) View {
	langs := Languages(r)
	lang := Pick(langs, hasCatalogue, "en")
	v := View{Data: data, RequestID: requestID, Lang: lang, Dir: Direction(lang)}
	if b, ok := r.Context().Value(brandKey{}).(*Brand); ok && b != nil {
		v.Brand = b
		return v
	}
	if tenantID := brandTenant(r, tenantFromContext); tenantID != "" && p.brands != nil {
		b, err := p.brands.Brand(r.Context(), tenantID, langs)
		if err == nil && b != nil {
			v.Brand = b
			return v
		}
		if err != nil {
			p.log.WarnContext(r.Context(), "load branding; showing the default", "tenant_id", tenantID, "err", err)
		}
	}
	v.Brand = DefaultBrand()
	return v
}

func tenantFromContext(ctx context.Context) string {
	if t := tenancy.FromContext(ctx); t != nil {
		return t.ID
	}
	return ""
}
