package branding

import (
	"context"
	"encoding/json"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// Audit activities of branding changes (K-10). Every change of either stage
// records one in the transaction of the change, so the record commits or
// rolls back with it, whoever made it: the admin API (the caller is the
// context's directory.AuditActor) or `sigil branding` (the operator).
const (
	ActivityUpdate             = "Update company branding"
	ActivityAddLocalization    = "Add company branding localization"
	ActivityUpdateLocale       = "Update company branding localization"
	ActivityDeleteLocalization = "Delete company branding localization"
	ActivityReset              = "Reset company branding"
	ActivityPublish            = "Publish company branding"
	ActivityDiscard            = "Discard company branding draft"
)

// AuditTargetType is the target type of branding audit records; the target
// ID is the tenant's, as Graph's organizationalBranding has no ID of its own.
const AuditTargetType = "OrganizationalBranding"

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// record writes the audit record of one branding change of tenantID. locale
// names the localization ("" for the default branding or the whole).
func (s *Service) record(ctx context.Context, tenantID, locale, activity, op string, modified []storage.ModifiedProperty) error {
	name := "Company branding"
	if locale != "" {
		name += " (" + locale + ")"
	}
	return directory.Record(ctx, s.Store, s.now(), directory.Change{TenantID: tenantID, Category: directory.CategoryDirectory,
		Activity: activity, Operation: op, TargetType: AuditTargetType, TargetID: tenantID, TargetName: name, Modified: modified})
}

// editActivity names an edit of one localization: adding one is its own
// activity; an upload names the stream ("Update company branding bannerLogo").
func editActivity(locale string, existed bool, stream string) (activity, op string) {
	switch {
	case locale != "" && !existed:
		return ActivityAddLocalization, storage.AuditAdd
	case stream != "":
		return ActivityUpdate + " " + stream, storage.AuditUpdate
	case locale != "":
		return ActivityUpdateLocale, storage.AuditUpdate
	}
	return ActivityUpdate, storage.AuditUpdate
}

// elementDiff lists the Graph properties that differ between two versions
// of a localization, nested objects compared as a whole.
func elementDiff(before, after Elements) []storage.ModifiedProperty {
	return directory.Diff(elementMap(before), elementMap(after))
}

func elementMap(e Elements) map[string]any {
	raw, err := json.Marshal(e)
	if err != nil {
		return nil
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil
	}
	return out
}

// localeDiff lists what differs between two whole brandings: the default's
// properties by name, a localization's as "localizations/{locale}/{name}".
func localeDiff(before, after *Branding) []storage.ModifiedProperty {
	return directory.Diff(flatten(before), flatten(after))
}

func flatten(b *Branding) map[string]any {
	out := elementMap(b.Default)
	if out == nil {
		out = map[string]any{}
	}
	for _, l := range b.Locales() {
		for name, v := range elementMap(b.Localizations[l]) {
			out["localizations/"+l+"/"+name] = v
		}
	}
	return out
}

// stages decodes the published branding of tenantID and the draft's rows.
func (s *Service) stages(ctx context.Context, tenantID string, draftRows []storage.Branding) (published, draft *Branding, err error) {
	rows, err := s.Store.ListBrandings(ctx, tenantID, storage.BrandingPublished)
	if err != nil {
		return nil, nil, err
	}
	if published, err = decodeBranding(rows); err != nil {
		return nil, nil, err
	}
	draft, err = decodeBranding(draftRows)
	return published, draft, err
}
