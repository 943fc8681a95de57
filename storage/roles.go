package storage

import (
	"context"
	"time"
)

// Principal types of directory role and app role assignments.
const (
	PrincipalUser             = "User"
	PrincipalGroup            = "Group"
	PrincipalServicePrincipal = "ServicePrincipal"
)

// TenantScope is the directory scope of a tenant-wide role assignment (C-04);
// it is the only scope Sigil supports so far.
const TenantScope = "/"

// RoleDefinition is a custom directory role of a tenant: a named set of
// permissions (C-05, C-06). Built-in roles are not stored; server/directory
// holds their catalogue.
type RoleDefinition struct {
	ID          string
	TenantID    string
	DisplayName string // unique per tenant, case-insensitively
	Description string
	Permissions []string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RoleAssignment gives a principal (a user or a role-assignable group) a
// directory role at a scope. RoleDefinitionID is a built-in role's template
// ID or a custom role's ID.
type RoleAssignment struct {
	ID               string
	TenantID         string
	RoleDefinitionID string
	PrincipalID      string
	PrincipalType    string // PrincipalUser or PrincipalGroup
	DirectoryScopeID string // TenantScope
	CreatedAt        time.Time
}

// RoleEligibility makes a principal eligible for a directory role through
// PIM (C-20, C-22): the role counts only while an activation is active.
type RoleEligibility struct {
	ID               string
	TenantID         string
	RoleDefinitionID string
	PrincipalID      string
	PrincipalType    string // PrincipalUser or PrincipalGroup
	DirectoryScopeID string
	MaxDuration      time.Duration // the longest activation allowed
	ApprovalRequired bool          // activations wait for a Privileged Role Administrator (C-21, C-25)
	CreatedAt        time.Time
}

// Role activation statuses. An Active activation whose EndAt has passed has
// expired: it no longer counts, whatever its stored status.
const (
	ActivationPendingApproval = "PendingApproval"
	ActivationActive          = "Active"
	ActivationDenied          = "Denied"
	ActivationDeactivated     = "Deactivated"
)

// RoleActivation is one PIM activation request of a user for an eligible
// role, and, once approved, the time window in which the role is active.
type RoleActivation struct {
	ID               string
	TenantID         string
	EligibilityID    string
	RoleDefinitionID string
	UserID           string // the user who activates (a member, for a group eligibility)
	Justification    string
	Duration         time.Duration
	Status           string
	RequestedAt      time.Time
	DecidedBy        string // the approver's user ID
	DecidedAt        *time.Time
	StartAt          *time.Time
	EndAt            *time.Time
}

// RoleAssignmentFilter narrows ListRoleAssignments and ListRoleEligibilities;
// empty fields match everything.
type RoleAssignmentFilter struct {
	RoleDefinitionID string
	PrincipalID      string
}

// RoleStore keeps custom directory roles, role assignments and PIM
// eligibilities and activations. Every lookup takes the tenant ID.
type RoleStore interface {
	// CreateRoleDefinition fails with ErrAlreadyExists when the ID or the
	// display name (case-insensitively) is taken in the tenant.
	CreateRoleDefinition(ctx context.Context, d *RoleDefinition) error
	GetRoleDefinition(ctx context.Context, tenantID, id string) (*RoleDefinition, error)
	// ListRoleDefinitions returns the tenant's custom roles by display name.
	ListRoleDefinitions(ctx context.Context, tenantID string) ([]RoleDefinition, error)
	// UpdateRoleDefinition writes DisplayName, Description and Permissions.
	UpdateRoleDefinition(ctx context.Context, d *RoleDefinition) error
	DeleteRoleDefinition(ctx context.Context, tenantID, id string) error

	// CreateRoleAssignment fails with ErrAlreadyExists when the principal
	// already holds the role at the scope.
	CreateRoleAssignment(ctx context.Context, a *RoleAssignment) error
	GetRoleAssignment(ctx context.Context, tenantID, id string) (*RoleAssignment, error)
	// ListRoleAssignments returns the matching assignments, oldest first.
	ListRoleAssignments(ctx context.Context, tenantID string, f RoleAssignmentFilter) ([]RoleAssignment, error)
	DeleteRoleAssignment(ctx context.Context, tenantID, id string) error

	// CreateRoleEligibility fails with ErrAlreadyExists when the principal is
	// already eligible for the role at the scope.
	CreateRoleEligibility(ctx context.Context, e *RoleEligibility) error
	GetRoleEligibility(ctx context.Context, tenantID, id string) (*RoleEligibility, error)
	ListRoleEligibilities(ctx context.Context, tenantID string, f RoleAssignmentFilter) ([]RoleEligibility, error)
	// DeleteRoleEligibility removes the eligibility and its activations.
	DeleteRoleEligibility(ctx context.Context, tenantID, id string) error

	CreateRoleActivation(ctx context.Context, a *RoleActivation) error
	GetRoleActivation(ctx context.Context, tenantID, id string) (*RoleActivation, error)
	// ListRoleActivations returns the activations in the given statuses (all
	// when none is given), newest first; userID "" lists every user's.
	ListRoleActivations(ctx context.Context, tenantID, userID string, statuses ...string) ([]RoleActivation, error)
	// UpdateRoleActivation writes Status, DecidedBy, DecidedAt, StartAt and
	// EndAt only if the stored status is still prevStatus; otherwise
	// ErrConflict, so of two approvers exactly one decides.
	UpdateRoleActivation(ctx context.Context, a *RoleActivation, prevStatus string) error

	// EffectiveRoleDefinitionIDs returns, in one query and de-duplicated, the
	// role definition IDs the user holds at the given time: assigned to the
	// user, assigned to one of groupIDs (the user's role-assignable groups),
	// or activated through PIM, active at that time, under an eligibility of
	// the user or of one of groupIDs.
	EffectiveRoleDefinitionIDs(ctx context.Context, tenantID, userID string, groupIDs []string, at time.Time) ([]string, error)
}
