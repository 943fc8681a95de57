package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/sigil-idp/sigil/server/branding"
	"github.com/sigil-idp/sigil/storage"
)

// Company branding over Graph's /organization/{id}/branding (H-01..H-28,
// H-43). Graph applies a change at once; Sigil keeps changes in a draft that
// a preview URL shows until POST .../branding/publish makes it live, so a
// half-done branding never reaches the sign-in pages:
//
//   - GET .../branding is what users see (published); an Accept-Language
//     header naming one existing localization ("fr-FR") returns that one, as
//     in Graph. GET .../branding/draft is what the next publish shows, with
//     its previewUrl.
//   - Everything else reads and writes the draft (which starts as a copy of
//     the published branding): PATCH and DELETE .../branding (DELETE removes
//     every custom setting, H-26), .../localizations, and the streams.
//   - POST .../branding/publish, DELETE .../branding/draft.
//
// The service validates, audits each change in its transaction and keeps
// the assets; this file maps HTTP to it.

// brandingTenant checks the {id} of the path: the caller's own tenant only.
func brandingTenant(r *http.Request, c Caller) error {
	if r.PathValue("org") != c.TenantID {
		return &apiError{Status: http.StatusNotFound, Code: codeNotFound, Message: "Resource '" + r.PathValue("org") + "' does not exist or one of its queried reference-property objects are not present."}
	}
	return nil
}

// locale is the localization of the path, lower-cased (language tags are
// case-insensitive): "" (the default) for the branding itself and for
// localization "0", as in Graph.
func locale(r *http.Request) string {
	l := strings.ToLower(r.PathValue("locale"))
	if l == "0" {
		return ""
	}
	return l
}

// brandingJSON is one localization in Graph's shape: its elements, its id
// ("0" for the default) and where its assets are served from.
func (h *Handler) brandingJSON(c Caller, e branding.Elements, id string) map[string]any {
	raw, _ := json.Marshal(e)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	out["id"] = id
	out["cdnList"] = []string{h.BaseURL + branding.AssetPrefix + c.TenantID}
	return out
}

func (h *Handler) getBranding(w http.ResponseWriter, r *http.Request, c Caller) error {
	return h.writeBranding(w, r, c, storage.BrandingPublished)
}

func (h *Handler) getBrandingDraft(w http.ResponseWriter, r *http.Request, c Caller) error {
	return h.writeBranding(w, r, c, storage.BrandingDraft)
}

func (h *Handler) writeBranding(w http.ResponseWriter, r *http.Request, c Caller, stage string) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	b, err := h.Branding.Get(r.Context(), c.TenantID, stage)
	if err != nil {
		return err
	}
	e, id := b.Default, "0"
	if l := strings.ToLower(strings.TrimSpace(r.Header.Get("Accept-Language"))); l != "" {
		if le, ok := b.Localizations[l]; ok {
			e, id = le, l
		}
	}
	out := h.brandingJSON(c, e, id)
	if stage == storage.BrandingDraft {
		if path, err := h.Branding.PreviewPath(r.Context(), c.TenantID); err == nil {
			out["previewUrl"] = h.BaseURL + path
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// patchBranding applies Graph's PATCH to the draft's default or one
// localization; the service audits it in the same transaction.
func (h *Handler) patchBranding(w http.ResponseWriter, r *http.Request, c Caller) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	return noContent(w, h.inTx(r.Context(), func(ctx context.Context) error {
		if err := h.requireLocale(ctx, c.TenantID, locale(r)); err != nil {
			return err
		}
		_, err := h.Branding.Patch(ctx, c.TenantID, locale(r), body)
		return err
	}))
}

// requireLocale answers 404 for a localization the draft does not have; the
// default ("") always exists.
func (h *Handler) requireLocale(ctx context.Context, tenantID, l string) error {
	if l == "" {
		return nil
	}
	b, err := h.Branding.Get(ctx, tenantID, storage.BrandingDraft)
	if err != nil {
		return err
	}
	if _, ok := b.Localizations[l]; !ok {
		return branding.ErrNoLocale
	}
	return nil
}

func (h *Handler) listLocalizations(w http.ResponseWriter, r *http.Request, c Caller) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	b, err := h.Branding.Get(r.Context(), c.TenantID, storage.BrandingDraft)
	if err != nil {
		return err
	}
	out := []map[string]any{h.brandingJSON(c, b.Default, "0")}
	for _, l := range b.Locales() {
		out = append(out, h.brandingJSON(c, b.Localizations[l], l))
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": h.BaseURL + "/v1.0/$metadata#organization('" + c.TenantID + "')/branding/localizations", "value": out})
	return nil
}

func (h *Handler) getLocalization(w http.ResponseWriter, r *http.Request, c Caller) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	b, err := h.Branding.Get(r.Context(), c.TenantID, storage.BrandingDraft)
	if err != nil {
		return err
	}
	l, id := locale(r), locale(r)
	e, ok := b.Localizations[l]
	if l == "" {
		e, ok, id = b.Default, true, "0"
	}
	if !ok {
		return branding.ErrNoLocale
	}
	writeJSON(w, http.StatusOK, h.brandingJSON(c, e, id))
	return nil
}

// createLocalization adds a per-language localization: {"id":"fr-FR", ...}.
func (h *Handler) createLocalization(w http.ResponseWriter, r *http.Request, c Caller) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return badRequest("The request body is not a JSON object.")
	}
	var id string
	if err := json.Unmarshal(fields["id"], &id); err != nil || strings.TrimSpace(id) == "" || id == "0" {
		return badRequest("id: name the localization's language, e.g. fr-FR")
	}
	id = strings.ToLower(id)
	delete(fields, "id")
	rest, _ := json.Marshal(fields)
	var e *branding.Elements
	err = h.inTx(r.Context(), func(ctx context.Context) error {
		if err := h.requireLocale(ctx, c.TenantID, id); err == nil {
			return &apiError{Status: http.StatusConflict, Code: codeConflict, Message: "The localization " + id + " already exists."}
		}
		var err error
		e, err = h.Branding.Patch(ctx, c.TenantID, id, rest)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, h.brandingJSON(c, *e, id))
	return nil
}

func (h *Handler) deleteLocalization(w http.ResponseWriter, r *http.Request, c Caller) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	return noContent(w, h.Branding.DeleteLocalization(r.Context(), c.TenantID, locale(r)))
}

// publishBranding makes the draft what the sign-in pages show.
func (h *Handler) publishBranding(w http.ResponseWriter, r *http.Request, c Caller) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	err := h.Branding.Publish(r.Context(), c.TenantID)
	if errors.Is(err, branding.ErrNoDraft) {
		return &apiError{Status: http.StatusConflict, Code: codeConflict, Message: "There is no draft to publish; change something first."}
	}
	return noContent(w, err)
}

// discardBrandingDraft drops the draft; the published branding stays.
func (h *Handler) discardBrandingDraft(w http.ResponseWriter, r *http.Request, c Caller) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	return noContent(w, h.Branding.DiscardDraft(r.Context(), c.TenantID))
}

// resetBranding is Graph's DELETE of the branding: Sigil's default branding
// can't be deleted (H-26), so every custom setting and localization is
// removed from the draft; publishing it restores Sigil's own look.
func (h *Handler) resetBranding(w http.ResponseWriter, r *http.Request, c Caller) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	return noContent(w, h.Branding.Reset(r.Context(), c.TenantID))
}
