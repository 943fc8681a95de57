package authflow

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/storage"
)

// withPageContext tells server/page, for the pages of flow, which languages
// the sign-in asked for (ui_locales, H-28) and whose branding to show (home
// realm discovery, H-30..H-33).
//
// Sigil's sign-in URLs always name a tenant (its ID or a verified domain: "a
// domain in the URL", H-32), so that tenant's branding shows from the first
// screen. Two signals override it, each only when Sigil hosts the tenant
// they name (else the URL's tenant stays):
//
//   - once a sign-in name is known (typed on the username page, or given as
//     login_hint), the tenant owning its domain: a guest sees their home
//     tenant's branding (H-33);
//   - before that, the tenant of the domain_hint or whr parameter (H-32).
//
// There is no common or organizations endpoint yet. When server/op adds one,
// its first screen must render with no tenant in the context (page shows
// DefaultBrand, the generic screen of H-30), and this function picks the
// branding from the typed name exactly as above (H-31).
func (h *Handler) withPageContext(r *http.Request, flow *storage.Flow) *http.Request {
	form, _ := url.ParseQuery(flow.AuthorizeForm)
	ctx := r.Context()
	if ui := form.Get("ui_locales"); ui != "" {
		ctx = page.WithUILocales(ctx, ui)
	}
	domain := domainOf(flow.LoginHint)
	if domain == "" {
		domain = firstNonEmpty(form.Get("domain_hint"), form.Get("whr"))
	}
	if id := h.hostedTenant(r, domain); id != "" && id != flow.TenantID {
		ctx = page.WithBrandTenant(ctx, id)
	}
	return r.WithContext(ctx)
}

// hostedTenant returns the ID of the tenant owning a verified domain, or "".
func (h *Handler) hostedTenant(r *http.Request, domain string) string {
	if domain == "" {
		return ""
	}
	t, err := h.Tenants.Resolve(r.Context(), domain)
	if err != nil {
		return ""
	}
	return t.ID
}

// domainOf returns the domain of a sign-in name like alex@contoso.com, or "".
func domainOf(name string) string {
	i := strings.LastIndexByte(name, '@')
	if i < 0 || i == len(name)-1 {
		return ""
	}
	return strings.ToLower(name[i+1:])
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
