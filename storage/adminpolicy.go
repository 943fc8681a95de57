package storage

import (
	"context"
	"time"
)

// AdminResourceID is the application ID of the built-in admin resource of
// every tenant: the audience of access tokens for the admin API (/v1.0). It is
// Microsoft Graph's well-known application ID, so Entra-written clients ask
// for the same resource.
const AdminResourceID = "00000003-0000-0000-c000-000000000000"

// Guest access levels of a tenant (I-05): what guests may read.
const (
	GuestAccessSameAsMembers = "SameAsMembers"
	GuestAccessLimited       = "Limited"
	GuestAccessRestricted    = "Restricted"
)

// Who may invite guests (Entra's allowInvitesFrom).
const (
	InvitesFromNone             = "none"
	InvitesFromAdmins           = "adminsAndGuestInviters"
	InvitesFromAdminsAndMembers = "adminsGuestInvitersAndAllMembers"
	InvitesFromEveryone         = "everyone"
)

// AuthorizationPolicy is a tenant's default user permissions (I-01..I-08):
// what members and guests may do without any directory role.
type AuthorizationPolicy struct {
	TenantID                      string
	AllowedToCreateApps           bool
	AllowedToCreateSecurityGroups bool
	AllowedToCreateM365Groups     bool
	AllowedToReadOtherUsers       bool
	GuestAccess                   string // GuestAccess*
	AllowInvitesFrom              string // InvitesFrom*
	UpdatedAt                     time.Time
}

// DefaultAuthorizationPolicy is the policy of a tenant that never changed it:
// Entra's defaults.
func DefaultAuthorizationPolicy(tenantID string) AuthorizationPolicy {
	return AuthorizationPolicy{
		TenantID: tenantID, AllowedToCreateApps: true, AllowedToCreateSecurityGroups: true,
		AllowedToCreateM365Groups: true, AllowedToReadOtherUsers: true,
		GuestAccess: GuestAccessLimited, AllowInvitesFrom: InvitesFromEveryone,
	}
}

// AppPermissionGrant is an application permission of the admin resource
// (e.g. User.ReadWrite.All) granted to an application of the tenant.
type AppPermissionGrant struct {
	TenantID   string
	ClientID   string
	Permission string
	GrantedAt  time.Time
}

// AdminPolicyStore keeps the authorization policy and the admin API's
// application permission grants.
type AdminPolicyStore interface {
	// GetAuthorizationPolicy returns the tenant's policy, or the default one
	// when the tenant never saved one.
	GetAuthorizationPolicy(ctx context.Context, tenantID string) (*AuthorizationPolicy, error)
	// SaveAuthorizationPolicy inserts or replaces the tenant's policy.
	SaveAuthorizationPolicy(ctx context.Context, p *AuthorizationPolicy) error
	// GrantAppPermission records a grant; ErrAlreadyExists when it exists.
	GrantAppPermission(ctx context.Context, g *AppPermissionGrant) error
	// RevokeAppPermission removes a grant; ErrNotFound when there is none.
	RevokeAppPermission(ctx context.Context, tenantID, clientID, permission string) error
	// ListAppPermissions returns the permissions granted to the client.
	ListAppPermissions(ctx context.Context, tenantID, clientID string) ([]string, error)
}
