package branding

import (
	"bytes"
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// Handler serves the branding's assets and the draft preview.
type Handler struct {
	Service *Service
	Tenants tenancy.Resolver
	Pages   *page.Renderer
}

// Mount registers the branding's browser endpoints.
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET "+AssetPrefix+"{tenant}/{name}", h.serveAsset)
	mux.HandleFunc("GET /{tenant}/branding-preview/{preview}", h.servePreview)
}

var assetNamePattern = regexp.MustCompile(`^[0-9a-f]{64}\.(?:png|jpg|css)$`)

// serveAsset answers an image or stylesheet by its content-hash name, cached
// for a year: the name changes when the content does. nosniff and a sandbox
// CSP keep a browser from treating an upload as anything but its type.
func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	tenantID, name := r.PathValue("tenant"), r.PathValue("name")
	if _, err := uuid.Parse(tenantID); err != nil || !assetNamePattern.MatchString(name) {
		http.NotFound(w, r)
		return
	}
	a, err := h.Service.Store.GetBrandingAsset(r.Context(), tenantID, name)
	if errors.Is(err, storage.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", a.ContentType)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", `"`+name+`"`)
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.Content))
}

// previewPages are the pages the preview can show (?page=).
var previewPages = map[string]bool{"username": true, "password": true}

// servePreview renders the sign-in page with the draft branding, without
// publishing it (?page=password shows the password page; ui_locales or
// Accept-Language pick the localization). Its forms go nowhere.
func (h *Handler) servePreview(w http.ResponseWriter, r *http.Request) {
	t, err := h.Tenants.Resolve(r.Context(), r.PathValue("tenant"))
	if err != nil {
		h.Pages.Error(w, r, http.StatusNotFound, "Directory not found", "There is no directory with this name. Check the sign-in link.")
		return
	}
	b, err := h.Service.PreviewBrand(r.Context(), t.ID, r.PathValue("preview"), page.Languages(r))
	if err != nil {
		h.Pages.Error(w, r, http.StatusNotFound, "Preview not found", "This preview link is no longer valid: the draft was published or discarded.")
		return
	}
	name := r.URL.Query().Get("page")
	if !previewPages[name] {
		name = "username"
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	ctx := page.WithBrand(r.Context(), b)
	h.Pages.Render(w, r.WithContext(ctx), http.StatusOK, name, map[string]any{
		"Action": "#", "Username": "alex@" + previewDomain, "AppName": "Preview",
	})
}

const previewDomain = "contoso.com"
