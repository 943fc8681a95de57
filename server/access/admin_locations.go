package access

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/storage"
)

// Locations lists the tenant's named locations.
func (a *Admin) Locations(ctx context.Context, tenantID string) ([]policy.NamedLocation, error) {
	cfg, err := StoreConfig{Store: a.Store}.Config(ctx, tenantID)
	return cfg.Locations, err
}

// Location returns one named location.
func (a *Admin) Location(ctx context.Context, tenantID, id string) (policy.NamedLocation, error) {
	row, err := a.Store.GetNamedLocation(ctx, tenantID, id)
	if err != nil {
		return policy.NamedLocation{}, err
	}
	return DecodeLocation(*row)
}

// SaveLocation creates (empty ID) or replaces a named location, audited.
func (a *Admin) SaveLocation(ctx context.Context, tenantID string, l policy.NamedLocation) (policy.NamedLocation, error) {
	l.DisplayName = strings.TrimSpace(l.DisplayName)
	if err := policy.ValidateLocation(l); err != nil {
		return policy.NamedLocation{}, err
	}
	err := a.Store.InTx(ctx, func(ctx context.Context) error {
		var old map[string]any
		activity, op := "Add named location", storage.AuditAdd
		if l.ID == "" {
			l.ID = newUUID()
		} else {
			before, err := a.Location(ctx, tenantID, l.ID)
			if err != nil {
				return err
			}
			l.CreatedDateTime, old = before.CreatedDateTime, locationAudit(before)
			activity, op = "Update named location", storage.AuditUpdate
		}
		now := a.now()
		l.ModifiedDateTime = &now
		if l.CreatedDateTime == nil {
			l.CreatedDateTime = &now
		}
		doc, err := json.Marshal(l)
		if err != nil {
			return err
		}
		row := &storage.NamedLocation{ID: l.ID, TenantID: tenantID, DisplayName: l.DisplayName, Document: doc,
			CreatedAt: *l.CreatedDateTime, ModifiedAt: now}
		if err := a.Store.SaveNamedLocation(ctx, row); err != nil {
			return err
		}
		return directory.Record(ctx, a.Store, now, directory.Change{TenantID: tenantID, Category: directory.CategoryPolicy,
			Activity: activity, Operation: op, TargetType: "NamedLocation", TargetID: l.ID, TargetName: l.DisplayName,
			Modified: directory.Diff(old, locationAudit(l))})
	})
	return l, err
}

func locationAudit(l policy.NamedLocation) map[string]any {
	l.CreatedDateTime, l.ModifiedDateTime = nil, nil
	doc, _ := json.Marshal(l)
	return map[string]any{"displayName": l.DisplayName, "location": string(doc)}
}

// DeleteLocation removes a named location no policy uses, audited.
func (a *Admin) DeleteLocation(ctx context.Context, tenantID, id string) error {
	return a.Store.InTx(ctx, func(ctx context.Context) error {
		l, err := a.Location(ctx, tenantID, id)
		if err != nil {
			return err
		}
		policies, err := a.Policies(ctx, tenantID)
		if err != nil {
			return err
		}
		for _, p := range policies {
			if slices.Contains(policy.ReferencedLocations(p), id) {
				return &RefusedError{Reason: "The named location is used by the policy \"" + p.DisplayName + "\"; remove it from the policy first."}
			}
		}
		if err := a.Store.DeleteNamedLocation(ctx, tenantID, id); err != nil {
			return err
		}
		return directory.Record(ctx, a.Store, a.now(), directory.Change{TenantID: tenantID, Category: directory.CategoryPolicy,
			Activity: "Delete named location", Operation: storage.AuditDelete, TargetType: "NamedLocation", TargetID: id,
			TargetName: l.DisplayName, Modified: directory.Diff(locationAudit(l), nil)})
	})
}

// Maximum size of a terms-of-use text.
const maxTermsBytes = 64 << 10

// SaveTerms creates (empty ID) or changes terms of use; a changed content
// is a new version, which users accept again (G-25).
func (a *Admin) SaveTerms(ctx context.Context, tenantID string, t storage.TermsOfUse) (storage.TermsOfUse, error) {
	t.DisplayName, t.TenantID = strings.TrimSpace(t.DisplayName), tenantID
	switch {
	case t.DisplayName == "" || len(t.DisplayName) > 256:
		return t, &RefusedError{Reason: "displayName: is required, at most 256 characters"}
	case strings.TrimSpace(t.Content) == "" || len(t.Content) > maxTermsBytes:
		return t, &RefusedError{Reason: "content: is required, at most 64 KiB"}
	}
	err := a.Store.InTx(ctx, func(ctx context.Context) error {
		var old map[string]any
		activity, op := "Add terms of use", storage.AuditAdd
		t.Version = 1
		if t.ID == "" {
			t.ID = newUUID()
		} else {
			before, err := a.Store.GetTermsOfUse(ctx, tenantID, t.ID)
			if err != nil {
				return err
			}
			t.CreatedAt, t.Version, old = before.CreatedAt, before.Version, termsAudit(*before)
			if before.Content != t.Content {
				t.Version++
			}
			activity, op = "Update terms of use", storage.AuditUpdate
		}
		t.ModifiedAt = a.now()
		if t.CreatedAt.IsZero() {
			t.CreatedAt = t.ModifiedAt
		}
		if err := a.Store.SaveTermsOfUse(ctx, &t); err != nil {
			return err
		}
		return directory.Record(ctx, a.Store, t.ModifiedAt, directory.Change{TenantID: tenantID, Category: directory.CategoryPolicy,
			Activity: activity, Operation: op, TargetType: "Agreement", TargetID: t.ID, TargetName: t.DisplayName,
			Modified: directory.Diff(old, termsAudit(t))})
	})
	return t, err
}

func termsAudit(t storage.TermsOfUse) map[string]any {
	return map[string]any{"displayName": t.DisplayName, "version": t.Version}
}

// SetUserRisk records an administrator's assessment (G-12): confirm
// compromised sets high, dismiss sets none; both are audited.
func (a *Admin) SetUserRisk(ctx context.Context, tenantID string, userIDs []string, level, state, by string) error {
	return a.Store.InTx(ctx, func(ctx context.Context) error {
		for _, id := range userIDs {
			u, err := a.Store.GetUser(ctx, tenantID, id)
			if err != nil {
				return err
			}
			now := a.now()
			if err := a.Store.SaveUserRisk(ctx, &storage.UserRisk{TenantID: tenantID, UserID: u.ID, Level: level, State: state,
				Detail: "adminAction", UpdatedAt: now, UpdatedBy: by}); err != nil {
				return err
			}
			if err := directory.Record(ctx, a.Store, now, directory.Change{TenantID: tenantID, Category: "IdentityProtection",
				Activity: "Set user risk", Operation: storage.AuditUpdate, TargetType: "User", TargetID: u.ID,
				TargetName: u.UserPrincipalName, Modified: directory.Diff(nil, map[string]any{"riskLevel": level, "riskState": state})}); err != nil {
				return err
			}
		}
		return nil
	})
}
