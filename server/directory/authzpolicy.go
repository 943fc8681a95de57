package directory

import (
	"context"

	"github.com/sigil-idp/sigil/storage"
)

// AuthorizationPolicyChange holds the default user permissions to change;
// nil fields stay (I-01..I-05).
type AuthorizationPolicyChange struct {
	AllowedToCreateApps           *bool
	AllowedToCreateSecurityGroups *bool
	AllowedToCreateM365Groups     *bool
	AllowedToReadOtherUsers       *bool
	GuestAccess                   *string
	AllowInvitesFrom              *string
}

// AuthorizationPolicy returns the tenant's default user permissions.
func (s *Service) AuthorizationPolicy(ctx context.Context, tenantID string) (*storage.AuthorizationPolicy, error) {
	p, err := s.Store.GetAuthorizationPolicy(ctx, tenantID)
	return p, mapNotFound(err, ErrTenantNotFound)
}

// SetAuthorizationPolicy changes the tenant's default user permissions; only
// a Global Administrator may (C-01). The change and its audit record commit
// together.
func (s *Service) SetAuthorizationPolicy(ctx context.Context, actor Actor, tenantID string, ch AuthorizationPolicyChange) (*storage.AuthorizationPolicy, error) {
	if err := require(actor, "change the default user permissions"); err != nil {
		return nil, err
	}
	var out *storage.AuthorizationPolicy
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		p, err := s.AuthorizationPolicy(ctx, tenantID)
		if err != nil {
			return err
		}
		before := policyAuditProps(*p)
		if err := applyPolicyChange(p, ch); err != nil {
			return err
		}
		p.UpdatedAt = s.now()
		if err := s.Store.SaveAuthorizationPolicy(ctx, p); err != nil {
			return err
		}
		out = p
		return s.record(ctx, Change{TenantID: tenantID, Category: CategoryPolicy, Activity: "Update authorization policy",
			Operation: storage.AuditUpdate, TargetType: "Policy", TargetID: "authorizationPolicy", TargetName: "Authorization Policy",
			Modified: Diff(before, policyAuditProps(*p))})
	})
	return out, err
}

func applyPolicyChange(p *storage.AuthorizationPolicy, ch AuthorizationPolicyChange) error {
	setBool := func(dst *bool, src *bool) {
		if src != nil {
			*dst = *src
		}
	}
	setBool(&p.AllowedToCreateApps, ch.AllowedToCreateApps)
	setBool(&p.AllowedToCreateSecurityGroups, ch.AllowedToCreateSecurityGroups)
	setBool(&p.AllowedToCreateM365Groups, ch.AllowedToCreateM365Groups)
	setBool(&p.AllowedToReadOtherUsers, ch.AllowedToReadOtherUsers)
	var pr problems
	if ch.GuestAccess != nil {
		switch *ch.GuestAccess {
		case storage.GuestAccessSameAsMembers, storage.GuestAccessLimited, storage.GuestAccessRestricted:
			p.GuestAccess = *ch.GuestAccess
		default:
			pr.add("guestAccess", "must be SameAsMembers, Limited or Restricted")
		}
	}
	if ch.AllowInvitesFrom != nil {
		switch *ch.AllowInvitesFrom {
		case storage.InvitesFromNone, storage.InvitesFromAdmins, storage.InvitesFromAdminsAndMembers, storage.InvitesFromEveryone:
			p.AllowInvitesFrom = *ch.AllowInvitesFrom
		default:
			pr.add("allowInvitesFrom", "must be none, adminsAndGuestInviters, adminsGuestInvitersAndAllMembers or everyone")
		}
	}
	return pr.err()
}

func policyAuditProps(p storage.AuthorizationPolicy) map[string]any {
	return map[string]any{
		"allowedToCreateApps": p.AllowedToCreateApps, "allowedToCreateSecurityGroups": p.AllowedToCreateSecurityGroups,
		"allowedToCreateM365Groups": p.AllowedToCreateM365Groups, "allowedToReadOtherUsers": p.AllowedToReadOtherUsers,
		"guestAccess": p.GuestAccess, "allowInvitesFrom": p.AllowInvitesFrom,
	}
}
