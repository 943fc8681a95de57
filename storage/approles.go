package storage

import (
	"context"
	"time"
)

// Allowed member types of an app role.
const (
	AppRoleMemberUser        = "User"        // users and groups
	AppRoleMemberApplication = "Application" // service principals (client credentials)
)

// DefaultAccessAppRoleID is the app role ID of an assignment that grants
// access to an application without a role (Entra's "Default Access"); it
// satisfies "assignment required" but adds nothing to `roles`.
const DefaultAccessAppRoleID = "00000000-0000-0000-0000-000000000000"

// Group team membership types (Dataverse group teams, D-14): which of a
// group's users an app role assignment to the group reaches. An assignment
// to a group without a team type reaches all its direct members.
const (
	GroupTeamMembersAndGuests = "MembersAndGuests"
	GroupTeamMembers          = "Members"
	GroupTeamOwners           = "Owners"
	GroupTeamGuests           = "Guests"
)

// AppRole is a role an application defines for its users or for client
// applications (D-29). Value is what appears in the `roles` claim; it is
// unique per application.
type AppRole struct {
	ID                 string
	TenantID           string
	ClientID           string
	Value              string
	DisplayName        string
	Description        string
	AllowedMemberTypes []string // AppRoleMemberUser and/or AppRoleMemberApplication
	IsEnabled          bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// AppRoleAssignment grants a principal an app role of a resource application
// (ClientID). PrincipalType is PrincipalUser, PrincipalGroup or
// PrincipalServicePrincipal (then PrincipalID is the client's ID). TeamType
// is set only for a Dataverse-style group team (one of the GroupTeam*
// constants) and empty otherwise.
type AppRoleAssignment struct {
	ID            string
	TenantID      string
	ClientID      string
	AppRoleID     string
	PrincipalID   string
	PrincipalType string
	TeamType      string
	CreatedAt     time.Time
}

// AppRoleAssignmentFilter narrows ListAppRoleAssignments; empty fields match
// everything.
type AppRoleAssignmentFilter struct {
	ClientID    string
	AppRoleID   string
	PrincipalID string
}

// AppRoleGrant is one app role assignment of an application that reaches one
// of a set of principals, joined with its role (AppRoleGrants).
type AppRoleGrant struct {
	AppRoleID     string
	PrincipalID   string
	PrincipalType string
	TeamType      string
	Value         string // empty for DefaultAccessAppRoleID
	Enabled       bool   // true for DefaultAccessAppRoleID
}

// AppRoleStore keeps applications' app roles, their assignments and the
// "assignment required" setting. Every lookup takes the tenant ID.
type AppRoleStore interface {
	// CreateAppRole fails with ErrAlreadyExists when the ID, or the value
	// within the application, is taken; ErrNotFound when the application is
	// not in the tenant.
	CreateAppRole(ctx context.Context, r *AppRole) error
	GetAppRole(ctx context.Context, tenantID, clientID, id string) (*AppRole, error)
	// ListAppRoles returns the application's roles by value.
	ListAppRoles(ctx context.Context, tenantID, clientID string) ([]AppRole, error)
	// UpdateAppRole writes Value, DisplayName, Description,
	// AllowedMemberTypes and IsEnabled.
	UpdateAppRole(ctx context.Context, r *AppRole) error
	DeleteAppRole(ctx context.Context, tenantID, clientID, id string) error

	// CreateAppRoleAssignment fails with ErrAlreadyExists when the principal
	// already holds the role of the application with the same team type.
	CreateAppRoleAssignment(ctx context.Context, a *AppRoleAssignment) error
	GetAppRoleAssignment(ctx context.Context, tenantID, id string) (*AppRoleAssignment, error)
	// ListAppRoleAssignments returns the matching assignments, oldest first.
	ListAppRoleAssignments(ctx context.Context, tenantID string, f AppRoleAssignmentFilter) ([]AppRoleAssignment, error)
	DeleteAppRoleAssignment(ctx context.Context, tenantID, id string) error

	// AppRoleGrants returns, in one query, the application's assignments
	// whose principal is one of principalIDs, each with its role's value and
	// enabled flag.
	AppRoleGrants(ctx context.Context, tenantID, clientID string, principalIDs []string) ([]AppRoleGrant, error)

	// SetAppRoleAssignmentRequired sets the application's
	// appRoleAssignmentRequired flag.
	SetAppRoleAssignmentRequired(ctx context.Context, tenantID, clientID string, required bool) error
	// AppRoleAssignmentRequired reads the flag (false when never set);
	// ErrNotFound when the application is not in the tenant.
	AppRoleAssignmentRequired(ctx context.Context, tenantID, clientID string) (bool, error)
}
