package directory

import (
	"fmt"

	"github.com/sigil-idp/sigil/storage"
)

// Tenant limits on groups from the seeds.
const (
	MaxRoleAssignableGroups = 500    // C-10
	MaxMemberOfGroups       = 500    // B-19
	MaxDynamicGroups        = 15_000 // B-29
)

// GroupRuleError refuses a group change that breaks a directory rule; the
// requirement ID names the rule (e.g. "C-16") and Message explains it to the
// person who asked.
type GroupRuleError struct {
	Requirement string
	Message     string
}

func (e *GroupRuleError) Error() string { return e.Message + " (" + e.Requirement + ")" }

func groupRuleErrorf(requirement, format string, args ...any) *GroupRuleError {
	return &GroupRuleError{Requirement: requirement, Message: fmt.Sprintf(format, args...)}
}

// Roles that manage ordinary groups (B-34) and those that may reset the
// credentials of ordinary users.
var (
	groupAdminRoles      = []string{RoleGroupsAdministrator, RoleUserAdministrator}
	credentialAdminRoles = []string{RoleHelpdeskAdministrator, RoleUserAdministrator, RolePrivilegedAuthenticationAdministrator}
)

// CheckManageGroup decides whether the actor may change a group's members or
// owners. A role-assignable group needs Privileged Role Administrator (or
// Global Administrator), or ownership of the group (C-11, C-13); any other
// group needs Groups or User Administrator, or ownership (B-31, B-34).
func CheckManageGroup(a Actor, g *storage.Group, actorOwnsGroup bool) error {
	if actorOwnsGroup && !a.System && a.UserID != "" {
		return nil
	}
	if g.IsAssignableToRole {
		return require(a, "manage the members or owners of a role-assignable group", RolePrivilegedRoleAdministrator)
	}
	return require(a, "manage the members or owners of a group", groupAdminRoles...)
}

// CheckCreateGroup decides whether the actor may create the group: a
// role-assignable group needs Privileged Role Administrator or Global
// Administrator (C-11); any other group Groups or User Administrator.
func CheckCreateGroup(a Actor, roleAssignable bool) error {
	if roleAssignable {
		return require(a, "create a role-assignable group", RolePrivilegedRoleAdministrator)
	}
	if a.MayCreateGroups && a.UserID != "" {
		return nil
	}
	return require(a, "create groups", groupAdminRoles...)
}

// CheckEditRule decides whether the actor may set or change a dynamic
// membership rule: owners alone may not (B-32).
func CheckEditRule(a Actor) error {
	return require(a, "change a dynamic membership rule", groupAdminRoles...)
}

// CredentialTarget is what protects a user whose credentials or MFA methods
// are about to be reset: membership or ownership of a role-assignable group.
type CredentialTarget struct {
	MemberOfRoleAssignableGroup bool
	OwnerOfRoleAssignableGroup  bool
}

// CheckCredentialReset decides whether the actor may change the password,
// reset MFA or change sensitive attributes of the target user. Members and
// owners of a role-assignable group need Privileged Authentication
// Administrator (or Global Administrator), so e.g. a Helpdesk Administrator
// is refused (C-15); other users need Helpdesk, User or Privileged
// Authentication Administrator.
func CheckCredentialReset(a Actor, target CredentialTarget) error {
	if target.MemberOfRoleAssignableGroup || target.OwnerOfRoleAssignableGroup {
		return require(a, "reset credentials of a member or owner of a role-assignable group",
			RolePrivilegedAuthenticationAdministrator)
	}
	return require(a, "reset a user's credentials", credentialAdminRoles...)
}

// checkNewMember applies the nesting rules to adding member (a user, or the
// group child when it is not nil) to parent. It does not look for cycles.
func checkNewMember(parent *storage.Group, child *storage.Group) error {
	switch {
	case parent.Dynamic():
		return groupRuleErrorf("B-31", "%q has dynamic membership; its members come from its rule and cannot be added or removed by hand", parent.DisplayName)
	case child == nil:
		return nil
	case parent.IsAssignableToRole:
		return groupRuleErrorf("C-16", "%q is role-assignable; a group cannot be a member of a role-assignable group", parent.DisplayName)
	case parent.Type != storage.GroupTypeSecurity:
		return groupRuleErrorf("B-03", "%q is a Microsoft 365 group; its members can only be users", parent.DisplayName)
	case child.Type != storage.GroupTypeSecurity:
		return groupRuleErrorf("B-02", "%q is a Microsoft 365 group; only security groups can be nested", child.DisplayName)
	case child.ID == parent.ID:
		return groupRuleErrorf("B-05", "a group cannot be a member of itself")
	}
	return nil
}

// cycleError refuses nesting child inside parent when parent is already
// nested (at any depth) inside child.
func cycleError(parent, child *storage.Group) error {
	return groupRuleErrorf("B-05", "adding %q to %q would create a cycle: %q is already a member of %q, directly or through nested groups",
		child.DisplayName, parent.DisplayName, parent.DisplayName, child.DisplayName)
}
