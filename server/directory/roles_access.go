package directory

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// GroupFacts is what directory roles and app roles need to know about groups.
// The group directory implements it; roles never write groups.
type GroupFacts interface {
	// GroupInfo describes one group of the tenant; an error matching
	// storage.ErrNotFound when the tenant has no such group.
	GroupInfo(ctx context.Context, tenantID, groupID string) (GroupInfo, error)
	// UserGroupLinks lists the groups the user is a direct member or an
	// owner of, in one query.
	UserGroupLinks(ctx context.Context, tenantID, userID string) ([]GroupLink, error)
}

// GroupInfo is what a role assignment or a group team checks about a group.
type GroupInfo struct {
	ID               string
	DisplayName      string
	AssignableToRole bool // isAssignableToRole (C-07)
	Dynamic          bool // dynamic membership (D-13: no group team)
}

// GroupLink is one group a user is directly related to.
type GroupLink struct {
	GroupID          string
	Member           bool
	Owner            bool
	AssignableToRole bool
}

// RoleRequiredError refuses an action the caller's directory roles do not
// allow; Roles names the least roles that would (C-01, C-34).
type RoleRequiredError struct {
	Action string
	Roles  []string // display names
}

func (e *RoleRequiredError) Error() string {
	return "you need the " + strings.Join(e.Roles, " or ") + " role to " + e.Action
}

// Errors of the role and app role services.
var (
	ErrRoleNotFound           error = notFoundError("directory role not found")
	ErrRoleAssignmentNotFound error = notFoundError("role assignment not found")
	ErrEligibilityNotFound    error = notFoundError("eligible role assignment not found")
	ErrActivationNotFound     error = notFoundError("role activation request not found")
	ErrAppRoleNotFound        error = notFoundError("app role not found")
	ErrAppRoleAssignNotFound  error = notFoundError("app role assignment not found")
	ErrGroupNotFound          error = notFoundError("group not found")
	// ErrMFARequired refuses a PIM activation from a session that did not
	// complete multifactor authentication (C-22).
	ErrMFARequired = errors.New("activating a role needs multifactor authentication in this session; sign in again with a second factor")
	// ErrAssignmentRequired refuses a sign-in to an application that requires
	// an app role assignment the user does not have.
	ErrAssignmentRequired = errors.New("the application requires users to be assigned to it, and this user is not assigned")
)

// actorHolds reports whether the actor holds one of the roles (System holds
// them all).
func actorHolds(a Actor, templateIDs ...string) bool {
	if a.System {
		return true
	}
	for _, id := range templateIDs {
		if slices.Contains(a.RoleTemplateIDs, id) {
			return true
		}
	}
	return false
}

// require returns a RoleRequiredError unless the actor holds one of the
// roles; Global Administrator always qualifies (C-01).
func require(a Actor, action string, templateIDs ...string) error {
	ids := append([]string{RoleGlobalAdministrator}, templateIDs...)
	if actorHolds(a, ids...) {
		return nil
	}
	names := make([]string, 0, len(templateIDs))
	for _, id := range templateIDs {
		names = append(names, builtInByID[id].DisplayName)
	}
	if len(names) == 0 {
		names = append(names, builtInByID[RoleGlobalAdministrator].DisplayName)
	}
	return &RoleRequiredError{Action: action, Roles: names}
}
