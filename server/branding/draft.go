package branding

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/sigil-idp/sigil/storage"
)

// editDraft runs change on one localization of the draft ("" is the default;
// a new locale starts empty), saves the draft and records the audit entry, in
// one transaction. stream names an upload ("bannerLogo", "customCSS") for the
// audit record; "" for a patch.
func (s *Service) editDraft(ctx context.Context, tenantID, locale, stream string, change func(*Elements) error) error {
	if locale != "" && !ValidLocale(locale) {
		return invalid("locale", "%q is not a language tag such as de or pt-br", locale)
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		b, err := s.Get(ctx, tenantID, storage.BrandingDraft)
		if err != nil {
			return err
		}
		target, existed := b.Default, true
		if locale != "" {
			target, existed = b.Localizations[locale]
		}
		before := target
		if err := change(&target); err != nil {
			return err
		}
		if locale == "" {
			b.Default = target
		} else {
			if b.Localizations == nil {
				b.Localizations = map[string]Elements{}
			}
			b.Localizations[locale] = target
		}
		if err := s.saveDraft(ctx, tenantID, b); err != nil {
			return err
		}
		activity, op := editActivity(locale, existed, stream)
		return s.record(ctx, tenantID, locale, activity, op, elementDiff(before, target))
	})
}

// saveDraft writes every localization of b as the draft, each with its theme
// stylesheet, then deletes the assets neither stage names.
func (s *Service) saveDraft(ctx context.Context, tenantID string, b *Branding) error {
	if b.PreviewID == "" {
		id, err := newPreviewID()
		if err != nil {
			return err
		}
		b.PreviewID = id
	}
	locales := append([]string{""}, b.Locales()...)
	rows := make([]storage.Branding, 0, len(locales))
	for _, locale := range locales {
		e := b.Default
		if locale != "" {
			e = Merge(b.Localizations[locale], b.Default)
		}
		theme, err := s.putTheme(ctx, tenantID, e)
		if err != nil {
			return err
		}
		doc, err := json.Marshal(b.elements(locale))
		if err != nil {
			return err
		}
		rows = append(rows, storage.Branding{Locale: locale, Elements: doc, Theme: theme, PreviewID: b.PreviewID})
	}
	if err := s.Store.ReplaceBrandings(ctx, tenantID, storage.BrandingDraft, rows); err != nil {
		return err
	}
	return s.prune(ctx, tenantID)
}

func (b *Branding) elements(locale string) Elements {
	if locale == "" {
		return b.Default
	}
	return b.Localizations[locale]
}

// putTheme stores the theme stylesheet of effective elements e and returns
// its name ("" when the theme is empty).
func (s *Service) putTheme(ctx context.Context, tenantID string, e Elements) (string, error) {
	var custom string
	if name := str(e.CustomCSSRelativeURL); name != "" {
		a, err := s.Store.GetBrandingAsset(ctx, tenantID, name)
		if err != nil {
			return "", fmt.Errorf("branding: load custom CSS %s: %w", name, err)
		}
		custom = string(a.Content)
	}
	css := themeCSS(tenantID, e, custom)
	if css == "" {
		return "", nil
	}
	name := assetName([]byte(css), "css")
	return name, s.putAsset(ctx, tenantID, name, []byte(css))
}

func (s *Service) putAsset(ctx context.Context, tenantID, name string, content []byte) error {
	ext := name[len(name)-3:]
	return s.Store.PutBrandingAsset(ctx, &storage.BrandingAsset{
		TenantID: tenantID, Name: name, ContentType: contentTypes[ext], Content: content,
	})
}

// prune deletes the tenant's assets that neither the draft nor the published
// branding names.
func (s *Service) prune(ctx context.Context, tenantID string) error {
	var keep []string
	for _, stage := range []string{storage.BrandingDraft, storage.BrandingPublished} {
		rows, err := s.Store.ListBrandings(ctx, tenantID, stage)
		if err != nil {
			return err
		}
		b, err := decodeBranding(rows)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.Theme != "" {
				keep = append(keep, r.Theme)
			}
			keep = append(keep, b.elements(r.Locale).assets()...)
		}
	}
	return s.Store.DeleteBrandingAssetsExcept(ctx, tenantID, keep)
}

// decodeBranding reads a stage's rows back into a Branding.
func decodeBranding(rows []storage.Branding) (*Branding, error) {
	b := &Branding{}
	for _, r := range rows {
		var e Elements
		if err := json.Unmarshal(r.Elements, &e); err != nil {
			return nil, fmt.Errorf("branding: stored localization %q: %w", r.Locale, err)
		}
		if r.Locale == "" {
			b.Default = e
		} else {
			if b.Localizations == nil {
				b.Localizations = map[string]Elements{}
			}
			b.Localizations[r.Locale] = e
		}
		b.PreviewID = r.PreviewID
	}
	return b, nil
}
