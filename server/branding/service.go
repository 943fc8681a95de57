package branding

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/storage"
)

// Errors of the service. Each matches storage.ErrNotFound with errors.Is
// where it means "not found".
var (
	ErrNoDraft      = errors.New("branding: there is no draft to publish; change something first")
	ErrNoPreview    = fmt.Errorf("branding: no such preview: %w", storage.ErrNotFound)
	ErrNoLocale     = fmt.Errorf("branding: no such localization: %w", storage.ErrNotFound)
	errDefaultLocal = "the default branding can't be deleted; remove its settings instead (H-26)"
)

// Branding is a tenant's company branding in one stage: the default
// localization and the per-language ones (H-28).
type Branding struct {
	Default       Elements            `json:"default"`
	Localizations map[string]Elements `json:"localizations,omitempty"`
	// PreviewID names the draft's preview URL; "" when published.
	PreviewID string `json:"-"`
}

// Locales lists the per-language localizations, sorted.
func (b *Branding) Locales() []string {
	out := make([]string, 0, len(b.Localizations))
	for l := range b.Localizations {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Service stores, validates, publishes and shows company branding. The admin
// API and the CLI are thin wrappers over it.
type Service struct {
	Store storage.Storage
	// Now is the clock of audit records; nil is time.Now.
	Now func() time.Time
}

var _ page.BrandSource = (*Service)(nil)

// Get returns the tenant's branding in stage (storage.BrandingDraft or
// storage.BrandingPublished); a tenant without one gets empty Elements. For
// the draft stage it is what the next edit starts from: the draft, or the
// published branding when there is no draft.
func (s *Service) Get(ctx context.Context, tenantID, stage string) (*Branding, error) {
	if _, err := s.Store.GetTenant(ctx, tenantID); err != nil {
		return nil, tenantErr(err)
	}
	rows, err := s.Store.ListBrandings(ctx, tenantID, stage)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 && stage == storage.BrandingDraft {
		if rows, err = s.Store.ListBrandings(ctx, tenantID, storage.BrandingPublished); err != nil {
			return nil, err
		}
		for i := range rows {
			rows[i].PreviewID = ""
		}
	}
	return decodeBranding(rows)
}

// Patch applies a JSON merge of the Graph shape to one localization of the
// draft ("" is the default): fields present are set, null clears one, absent
// fields keep their value. Unknown fields and image fields are refused (images
// are uploaded with SetImage). Returns the localization after the change.
func (s *Service) Patch(ctx context.Context, tenantID, locale string, body []byte) (*Elements, error) {
	var result Elements
	err := s.editDraft(ctx, tenantID, locale, "", func(e *Elements) error {
		before := *e
		next, err := applyPatch(before, body)
		if err != nil {
			return err
		}
		var p problems
		for field, after := range next.assetFields() {
			if after != nil && str(after) != str(before.assetFields()[field]) {
				p.add(field, "is set by uploading the file, not by a value")
			}
		}
		if err := p.err(); err != nil {
			return err
		}
		if err := Validate(next); err != nil {
			return err
		}
		*e, result = next, next
		return nil
	})
	return &result, err
}

// applyPatch decodes body over a deep copy of e.
func applyPatch(e Elements, body []byte) (Elements, error) {
	var next Elements
	orig, err := json.Marshal(e)
	if err == nil {
		err = json.Unmarshal(orig, &next)
	}
	if err != nil {
		return Elements{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&next); err != nil {
		return Elements{}, invalid("body", "not a branding JSON object: %v", err)
	}
	return next, nil
}

// SetImage validates an upload (CheckImage) and makes it kind's image of one
// localization of the draft. It returns the asset's name.
func (s *Service) SetImage(ctx context.Context, tenantID, locale string, kind ImageKind, data []byte) (string, error) {
	ext, err := CheckImage(kind, data)
	if err != nil {
		return "", err
	}
	name := assetName(data, ext)
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.putAsset(ctx, tenantID, name, data); err != nil {
			return err
		}
		return s.editDraft(ctx, tenantID, locale, string(kind), func(e *Elements) error {
			*kind.field(e) = &name
			return nil
		})
	})
	return name, err
}

// SetCustomCSS sanitises an uploaded stylesheet (SanitizeCSS) and makes it
// the custom CSS of one localization of the draft (H-14).
func (s *Service) SetCustomCSS(ctx context.Context, tenantID, locale string, css []byte) (string, error) {
	clean, err := SanitizeCSS(css)
	if err != nil {
		return "", err
	}
	name := assetName([]byte(clean), "css")
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.putAsset(ctx, tenantID, name, []byte(clean)); err != nil {
			return err
		}
		return s.editDraft(ctx, tenantID, locale, "customCSS", func(e *Elements) error {
			e.CustomCSSRelativeURL = &name
			return nil
		})
	})
	return name, err
}

// DeleteLocalization removes a per-language localization from the draft; the
// default one can't be deleted (H-26).
func (s *Service) DeleteLocalization(ctx context.Context, tenantID, locale string) error {
	if locale == "" {
		return invalid("locale", "%s", errDefaultLocal)
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		b, err := s.Get(ctx, tenantID, storage.BrandingDraft)
		if err != nil {
			return err
		}
		if _, ok := b.Localizations[locale]; !ok {
			return ErrNoLocale
		}
		before := b.Localizations[locale]
		delete(b.Localizations, locale)
		if err := s.saveDraft(ctx, tenantID, b); err != nil {
			return err
		}
		return s.record(ctx, tenantID, locale, ActivityDeleteLocalization, storage.AuditDelete, elementDiff(before, Elements{}))
	})
}

// Reset removes every custom setting and localization from the draft, so
// publishing it restores Sigil's defaults (H-26).
func (s *Service) Reset(ctx context.Context, tenantID string) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		b, err := s.Get(ctx, tenantID, storage.BrandingDraft)
		if err != nil {
			return err
		}
		if err := s.saveDraft(ctx, tenantID, &Branding{}); err != nil {
			return err
		}
		return s.record(ctx, tenantID, "", ActivityReset, storage.AuditUpdate, localeDiff(b, &Branding{}))
	})
}

// Publish makes the draft the branding every sign-in page shows, and drops
// the draft (and its preview URL).
func (s *Service) Publish(ctx context.Context, tenantID string) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.Store.GetTenant(ctx, tenantID); err != nil {
			return tenantErr(err)
		}
		rows, err := s.Store.ListBrandings(ctx, tenantID, storage.BrandingDraft)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return ErrNoDraft
		}
		published, draft, err := s.stages(ctx, tenantID, rows)
		if err != nil {
			return err
		}
		for i := range rows {
			rows[i].PreviewID = ""
		}
		if err := s.Store.ReplaceBrandings(ctx, tenantID, storage.BrandingPublished, rows); err != nil {
			return err
		}
		if err := s.Store.ReplaceBrandings(ctx, tenantID, storage.BrandingDraft, nil); err != nil {
			return err
		}
		if err := s.prune(ctx, tenantID); err != nil {
			return err
		}
		return s.record(ctx, tenantID, "", ActivityPublish, storage.AuditUpdate, localeDiff(published, draft))
	})
}

// DiscardDraft drops the draft; the published branding stays.
func (s *Service) DiscardDraft(ctx context.Context, tenantID string) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.Store.GetTenant(ctx, tenantID); err != nil {
			return tenantErr(err)
		}
		rows, err := s.Store.ListBrandings(ctx, tenantID, storage.BrandingDraft)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil // nothing to discard, nothing to audit
		}
		published, draft, err := s.stages(ctx, tenantID, rows)
		if err != nil {
			return err
		}
		if err := s.Store.ReplaceBrandings(ctx, tenantID, storage.BrandingDraft, nil); err != nil {
			return err
		}
		if err := s.prune(ctx, tenantID); err != nil {
			return err
		}
		return s.record(ctx, tenantID, "", ActivityDiscard, storage.AuditUpdate, localeDiff(draft, published))
	})
}

// PreviewPath returns the path of the page that shows the draft without
// publishing it: /{tenantID}/branding-preview/{previewID}. Anyone holding it
// sees the draft (branding is public once published anyway); it stops working
// when the draft is published or discarded.
func (s *Service) PreviewPath(ctx context.Context, tenantID string) (string, error) {
	rows, err := s.Store.ListBrandings(ctx, tenantID, storage.BrandingDraft)
	if err != nil {
		return "", err
	}
	if len(rows) == 0 {
		return "", ErrNoDraft
	}
	return "/" + tenantID + "/branding-preview/" + rows[0].PreviewID, nil
}

// Brand is the page.BrandSource: the published branding of tenantID for the
// reader's languages, Sigil's defaults where unset.
func (s *Service) Brand(ctx context.Context, tenantID string, languages []string) (*page.Brand, error) {
	rows, err := s.Store.ListBrandings(ctx, tenantID, storage.BrandingPublished)
	if err != nil {
		return nil, err
	}
	return s.brandFor(ctx, tenantID, rows, languages)
}

// PreviewBrand is Brand for the draft named by previewID (ErrNoPreview when
// it does not match, compared in constant time).
func (s *Service) PreviewBrand(ctx context.Context, tenantID, previewID string, languages []string) (*page.Brand, error) {
	rows, err := s.Store.ListBrandings(ctx, tenantID, storage.BrandingDraft)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || previewID == "" || subtle.ConstantTimeCompare([]byte(rows[0].PreviewID), []byte(previewID)) != 1 {
		return nil, ErrNoPreview
	}
	return s.brandFor(ctx, tenantID, rows, languages)
}

func newPreviewID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func tenantErr(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return directory.ErrTenantNotFound
	}
	return err
}
