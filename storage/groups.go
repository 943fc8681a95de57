package storage

import (
	"context"
	"time"
)

// Group types (B-01, B-46): Security groups may nest; Microsoft 365
// (Graph's "Unified") groups hold users only (B-03).
const (
	GroupTypeSecurity     = "Security"
	GroupTypeMicrosoft365 = "Microsoft365"
)

// Membership types (B-07). Graph writes a dynamic group as groupTypes
// containing "DynamicMembership"; Sigil supports Dynamic User groups only.
const (
	MembershipAssigned = "Assigned"
	MembershipDynamic  = "DynamicMembership"
)

// Rule processing states of a dynamic group (Graph's
// membershipRuleProcessingState): On evaluates the rule, Paused keeps the
// current members.
const (
	RuleProcessingOn     = "On"
	RuleProcessingPaused = "Paused"
)

// Member types of a group membership.
const (
	MemberTypeUser  = "User"
	MemberTypeGroup = "Group"
)

// Group is a directory group (B-01..B-12, C-07). ID is the object ID.
type Group struct {
	ID           string
	TenantID     string
	DisplayName  string
	Description  string
	MailNickname string
	Mail         string
	// Type is GroupTypeSecurity or GroupTypeMicrosoft365.
	Type            string
	SecurityEnabled bool
	MailEnabled     bool
	// MembershipType is MembershipAssigned or MembershipDynamic.
	MembershipType string
	// MembershipRule is the dynamic rule's text (canonical form), "" for an
	// assigned group.
	MembershipRule string
	// RuleProcessingState is RuleProcessingOn or RuleProcessingPaused.
	RuleProcessingState string
	// RuleSourceGroupIDs are the source groups of a memberOf rule (B-14); the
	// store indexes them so a change to a source re-evaluates only the
	// groups that name it.
	RuleSourceGroupIDs []string
	// RuleProcessedAt is when the rule was last fully evaluated.
	RuleProcessedAt *time.Time
	// IsAssignableToRole is set only at creation and never changes (C-08).
	IsAssignableToRole bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Dynamic reports whether the group's members come from its rule.
func (g *Group) Dynamic() bool { return g.MembershipType == MembershipDynamic }

// UsesMemberOf reports whether the group's rule is a memberOf rule.
func (g *Group) UsesMemberOf() bool { return len(g.RuleSourceGroupIDs) > 0 }

// GroupMember is one direct or transitive member of a group: a user or a
// nested group.
type GroupMember struct {
	ID   string
	Type string // MemberTypeUser or MemberTypeGroup
}

// GroupMembership is one group a user belongs to, directly or through
// nested groups: the facts token claims and access checks need.
type GroupMembership struct {
	GroupID            string
	DisplayName        string
	Type               string // GroupTypeSecurity or GroupTypeMicrosoft365
	SecurityEnabled    bool
	IsAssignableToRole bool
	MembershipType     string
	// Direct is true when the user is a direct member of the group.
	Direct bool
}

// MembershipChange adds or removes one user's direct membership of a group.
type MembershipChange struct {
	GroupID string
	UserID  string
	Add     bool // false removes
}

// GroupCountFilter selects the groups CountGroups counts; every set field
// must match.
type GroupCountFilter struct {
	AssignableToRole bool // only role-assignable groups (C-10)
	Dynamic          bool // only dynamic groups (B-29)
	UsesMemberOf     bool // only groups with a memberOf rule (B-19)
}

// GroupStore manages groups, their members and owners (B-01..B-39).
//
// Membership is stored as direct rows only: a user in a group, or a group
// nested in a group. Transitive membership is computed on read by ONE
// recursive query (WITH RECURSIVE ... UNION, which stops on cycles) in
// TransitiveGroupsOfUser and TransitiveMembersOfGroup; those are the queries
// token claims use (B-05: claims carry transitive memberships). Every method
// is scoped to the tenant: a group of another tenant is ErrNotFound.
type GroupStore interface {
	// CreateGroup inserts g with its rule sources. ErrNotFound for an unknown tenant.
	CreateGroup(ctx context.Context, g *Group) error
	GetGroup(ctx context.Context, tenantID, id string) (*Group, error)
	// ListGroups returns the tenant's groups ordered by display name.
	ListGroups(ctx context.Context, tenantID string) ([]Group, error)
	// ListDynamicGroups returns the tenant's dynamic groups whose processing
	// state is On.
	ListDynamicGroups(ctx context.Context, tenantID string) ([]Group, error)
	// ListGroupsByRuleSource returns the dynamic groups whose memberOf rule
	// names sourceGroupID (an indexed lookup).
	ListGroupsByRuleSource(ctx context.Context, tenantID, sourceGroupID string) ([]Group, error)
	// CountGroups counts the tenant's groups matching the filter.
	CountGroups(ctx context.Context, tenantID string, f GroupCountFilter) (int, error)
	// UpdateGroup writes the mutable fields of g (not IsAssignableToRole,
	// tenant or creation time), replaces its rule sources and stamps UpdatedAt.
	UpdateGroup(ctx context.Context, g *Group) error
	// DeleteGroup removes the group with its memberships and ownerships, not
	// the member users (B-38).
	DeleteGroup(ctx context.Context, tenantID, id string) error

	// AddGroupMember adds a direct member (a user or a group of the tenant).
	// ErrAlreadyExists when it is already a direct member, ErrNotFound when
	// the group or the member does not exist. It does not check nesting
	// rules or cycles; the directory service does.
	AddGroupMember(ctx context.Context, tenantID, groupID string, m GroupMember) error
	// RemoveGroupMember removes a direct member; ErrNotFound when it is not one.
	RemoveGroupMember(ctx context.Context, tenantID, groupID string, m GroupMember) error
	// ListGroupMembers returns the direct members, users first, then groups.
	ListGroupMembers(ctx context.Context, tenantID, groupID string) ([]GroupMember, error)
	// ListDirectUserMembers returns the direct user members of each of the
	// groups, keyed by group ID, in one query.
	ListDirectUserMembers(ctx context.Context, tenantID string, groupIDs []string) (map[string][]string, error)
	// ApplyMembershipChanges applies the user membership changes in batches
	// inside one transaction; adding an existing or removing a missing
	// membership is not an error.
	ApplyMembershipChanges(ctx context.Context, tenantID string, changes []MembershipChange) error
	// ListUserGroupIDs returns the groups the user is a direct member of.
	ListUserGroupIDs(ctx context.Context, tenantID, userID string) ([]string, error)

	// AddGroupOwner makes a user an owner (B-04, B-30); ErrAlreadyExists when
	// they are one.
	AddGroupOwner(ctx context.Context, tenantID, groupID, userID string) error
	// RemoveGroupOwner removes an owner; ErrNotFound when they are not one.
	RemoveGroupOwner(ctx context.Context, tenantID, groupID, userID string) error
	// ListGroupOwners returns the owners' user IDs.
	ListGroupOwners(ctx context.Context, tenantID, groupID string) ([]string, error)
	// ListOwnedGroupIDs returns the groups the user owns.
	ListOwnedGroupIDs(ctx context.Context, tenantID, userID string) ([]string, error)

	// TransitiveGroupsOfUser returns every group the user belongs to,
	// directly or through nested groups, in one recursive query (cycle-safe),
	// ordered by group ID. An unknown user has no groups.
	TransitiveGroupsOfUser(ctx context.Context, tenantID, userID string) ([]GroupMembership, error)
	// TransitiveMembersOfGroup returns every user and nested group below the
	// group, in one recursive query (cycle-safe), users first, each once.
	TransitiveMembersOfGroup(ctx context.Context, tenantID, groupID string) ([]GroupMember, error)
	// GroupContains reports whether descendantID is groupID itself or a
	// group nested (at any depth) inside it: the cycle check before nesting.
	GroupContains(ctx context.Context, tenantID, groupID, descendantID string) (bool, error)
}

// Directory extension data types (Graph's extensionProperty dataType).
const (
	ExtensionTypeString  = "String"
	ExtensionTypeBoolean = "Boolean"
	ExtensionTypeInteger = "Integer"
)

// ExtensionProperty is a directory extension attribute registered by an
// application for users (B-47): Name is extension_<appId without dashes>_<name>,
// lower-case. Users hold its values in User.DirectoryExtensions.
type ExtensionProperty struct {
	Name      string
	TenantID  string
	AppID     string // the registering application's client ID
	DataType  string
	CreatedAt time.Time
}

// ExtensionPropertyStore keeps directory extension definitions.
type ExtensionPropertyStore interface {
	// CreateExtensionProperty fails with ErrAlreadyExists when the name is
	// taken in the tenant, ErrNotFound for an unknown tenant or application.
	CreateExtensionProperty(ctx context.Context, p *ExtensionProperty) error
	ListExtensionProperties(ctx context.Context, tenantID string) ([]ExtensionProperty, error)
	DeleteExtensionProperty(ctx context.Context, tenantID, name string) error
}
