package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"

	"github.com/sigil-idp/sigil/server/branding"
	"github.com/sigil-idp/sigil/storage"
)

// Branding streams: Graph's image properties (bannerLogo, squareLogo,
// squareLogoDark, headerLogo, favicon, backgroundImage) and customCSS, read
// and written as raw bodies at .../branding/{stream} and
// .../branding/localizations/{locale}/{stream}.

// maxStreamRead bounds what an upload reads: more than any limit of the
// service (the background image's 300 KB is the largest), so every size the
// service's message can name is read, and nothing larger is buffered.
const maxStreamRead = 1 << 20

// streamSpec is what an upload of stream must be: its media types and its
// largest size in bytes (H-05, H-09, H-10, H-14, H-15, H-19, H-20).
type streamSpec struct {
	kind     branding.ImageKind // "" for customCSS
	types    []string
	maxBytes int
}

func streamFor(stream string) (streamSpec, error) {
	if stream == "customCSS" {
		return streamSpec{types: []string{"text/css"}, maxBytes: branding.MaxCSSBytes}, nil
	}
	kind := branding.ImageKind(stream)
	spec, ok := kind.Spec()
	if !ok {
		return streamSpec{}, &apiError{Status: http.StatusNotFound, Code: codeNotFound,
			Message: "The branding has no stream '" + stream + "'; use bannerLogo, squareLogo, squareLogoDark, headerLogo, favicon, backgroundImage or customCSS."}
	}
	return streamSpec{kind: kind, types: []string{"image/png", "image/jpeg"}, maxBytes: spec.MaxBytes}, nil
}

// readStream checks the Content-Type and the size of an upload before the
// service looks at its content: 415 for another media type, 413 over the
// limit, with the limit in the message.
func readStream(r *http.Request, stream string, spec streamSpec) ([]byte, error) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if !slices.Contains(spec.types, mediaType) {
		return nil, &apiError{Status: http.StatusUnsupportedMediaType, Code: codeBadRequest,
			Message: fmt.Sprintf("%s: send the file as %s, not %q.", stream, joinOr(spec.types), mediaType)}
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxStreamRead+1))
	if err != nil {
		return nil, badRequest(stream + ": the request body could not be read.")
	}
	if len(data) > spec.maxBytes {
		size := fmt.Sprintf("%.1f KB", float64(len(data))/1024)
		if len(data) > maxStreamRead {
			size = "more than 1 MB"
		}
		return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Code: codeBadRequest,
			Message: fmt.Sprintf("%s: the file is %s; it can't exceed %d KB.", stream, size, spec.maxBytes/1024)}
	}
	return data, nil
}

// putBrandingStream uploads an image (PNG or JPEG, checked by content and
// pixel size by the service) or the custom CSS (sanitised by the service) of
// the draft's default or one localization; the service audits it.
func (h *Handler) putBrandingStream(w http.ResponseWriter, r *http.Request, c Caller) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	stream := r.PathValue("stream")
	spec, err := streamFor(stream)
	if err != nil {
		return err
	}
	data, err := readStream(r, stream, spec)
	if err != nil {
		return err
	}
	return noContent(w, h.inTx(r.Context(), func(ctx context.Context) error {
		if err := h.requireLocale(ctx, c.TenantID, locale(r)); err != nil {
			return err
		}
		if spec.kind != "" {
			_, err := h.Branding.SetImage(ctx, c.TenantID, locale(r), spec.kind, data)
			return err
		}
		_, err := h.Branding.SetCustomCSS(ctx, c.TenantID, locale(r), data)
		return err
	}))
}

// getBrandingStream returns an image or the custom CSS of the draft's
// default or one localization.
func (h *Handler) getBrandingStream(w http.ResponseWriter, r *http.Request, c Caller) error {
	if err := brandingTenant(r, c); err != nil {
		return err
	}
	stream := r.PathValue("stream")
	if _, err := streamFor(stream); err != nil {
		return err
	}
	b, err := h.Branding.Get(r.Context(), c.TenantID, storage.BrandingDraft)
	if err != nil {
		return err
	}
	e, ok := b.Localizations[locale(r)]
	if locale(r) == "" {
		e, ok = b.Default, true
	}
	if !ok {
		return branding.ErrNoLocale
	}
	name := streamName(e, stream)
	if name == "" {
		return &apiError{Status: http.StatusNotFound, Code: codeNotFound, Message: "The branding has no " + stream + " yet; upload one with PUT."}
	}
	a, err := h.Store.GetBrandingAsset(r.Context(), c.TenantID, name)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(a.Content)
	return nil
}

// streamName is the asset name the elements hold for stream.
func streamName(e branding.Elements, stream string) string {
	raw, _ := json.Marshal(e)
	var fields map[string]any
	_ = json.Unmarshal(raw, &fields)
	name, _ := fields[stream+"RelativeUrl"].(string)
	return name
}

func joinOr(list []string) string {
	if len(list) == 2 {
		return list[0] + " or " + list[1]
	}
	return list[0]
}
