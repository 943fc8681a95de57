package directory

import (
	"context"

	"github.com/sigil-idp/sigil/storage"
)

// SecurityDefaultsChange is the input of SetSecurityDefaults.
type SecurityDefaultsChange struct {
	Enabled bool
	// RevokeSessions, when enabling, ends every user sign-in of the tenant so
	// that everyone signs in again under the defaults and registers MFA
	// (F-18).
	RevokeSessions bool
}

// SecurityDefaultsResult is what SetSecurityDefaults did.
type SecurityDefaultsResult struct {
	Tenant *storage.Tenant
	// RevokedRefreshTokens counts the refresh tokens deactivated.
	RevokedRefreshTokens int64
}

// SetSecurityDefaults turns the tenant's security defaults on or off. Only a
// Conditional Access Administrator, Security Administrator or Global
// Administrator may (F-15). Turning them on while Conditional Access policies
// are enabled is refused (F-16, F-17). The change, the optional revocation
// and the audit record commit together.
func (s *Service) SetSecurityDefaults(ctx context.Context, actor Actor, tenantID string, ch SecurityDefaultsChange) (*SecurityDefaultsResult, error) {
	if err := require(actor, "change security defaults", RoleConditionalAccessAdministrator, RoleSecurityAdministrator); err != nil {
		return nil, err
	}
	out := &SecurityDefaultsResult{}
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		t, err := s.Store.GetTenant(ctx, tenantID)
		if err != nil {
			return mapNotFound(err, ErrTenantNotFound)
		}
		before := t.Settings.SecurityDefaults
		if ch.Enabled && !before {
			if err := s.refuseWithEnabledPolicies(ctx, tenantID); err != nil {
				return err
			}
		}
		t.Settings.SecurityDefaults = ch.Enabled
		t.UpdatedAt = s.now()
		if err := s.Store.UpdateTenant(ctx, t); err != nil {
			return err
		}
		out.Tenant = t
		if ch.Enabled && ch.RevokeSessions {
			if out.RevokedRefreshTokens, err = s.Store.RevokeTenantSessions(ctx, tenantID, t.UpdatedAt); err != nil {
				return err
			}
		}
		return s.record(ctx, Change{TenantID: tenantID, Category: CategoryPolicy, Activity: "Update security defaults",
			Operation: storage.AuditUpdate, TargetType: "Policy", TargetID: "identitySecurityDefaultsEnforcementPolicy",
			TargetName: "Security Defaults",
			Modified: Diff(map[string]any{"isEnabled": before},
				map[string]any{"isEnabled": ch.Enabled, "revokedRefreshTokens": out.RevokedRefreshTokens})})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// refuseWithEnabledPolicies refuses security defaults next to enabled
// Conditional Access policies: the two cannot protect a tenant together.
func (s *Service) refuseWithEnabledPolicies(ctx context.Context, tenantID string) error {
	policies, err := s.Store.ListConditionalAccessPolicies(ctx, tenantID)
	if err != nil {
		return err
	}
	for _, p := range policies {
		if p.State == "enabled" {
			var pr problems
			pr.add("isEnabled", "security defaults cannot be turned on while Conditional Access policies are enabled (%q is); disable them or set them to report-only first", p.DisplayName)
			return pr.err()
		}
	}
	return nil
}
