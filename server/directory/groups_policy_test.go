package directory

import (
	"errors"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func actorWith(roles ...string) Actor { return Actor{UserID: "u-1", RoleTemplateIDs: roles} }

func TestGroupPermissionChecks(t *testing.T) {
	t.Parallel()
	ordinary := &storage.Group{DisplayName: "Sales", Type: storage.GroupTypeSecurity}
	assignable := &storage.Group{DisplayName: "Admins", Type: storage.GroupTypeSecurity, IsAssignableToRole: true}
	cases := []struct {
		name  string
		check func() error
		allow bool
	}{
		{"a Privileged Role Administrator creates a role-assignable group (C-11)", func() error { return CheckCreateGroup(actorWith(RolePrivilegedRoleAdministrator), true) }, true},
		{"a Global Administrator creates a role-assignable group (C-11)", func() error { return CheckCreateGroup(actorWith(RoleGlobalAdministrator), true) }, true},
		{"a Groups Administrator cannot create a role-assignable group (C-11)", func() error { return CheckCreateGroup(actorWith(RoleGroupsAdministrator), true) }, false},
		{"a Groups Administrator creates an ordinary group (B-34)", func() error { return CheckCreateGroup(actorWith(RoleGroupsAdministrator), false) }, true},
		{"a user without roles cannot create groups", func() error { return CheckCreateGroup(actorWith(), false) }, false},
		{"the operator (System) may do anything", func() error { return CheckCreateGroup(Actor{System: true}, true) }, true},
		{"a Groups Administrator cannot change a role-assignable group's members (C-13)", func() error { return CheckManageGroup(actorWith(RoleGroupsAdministrator), assignable, false) }, false},
		{"a Privileged Role Administrator changes a role-assignable group's members (C-13)", func() error { return CheckManageGroup(actorWith(RolePrivilegedRoleAdministrator), assignable, false) }, true},
		{"an owner manages a role-assignable group delegated to them (C-13)", func() error { return CheckManageGroup(actorWith(), assignable, true) }, true},
		{"an owner manages their ordinary group (B-31)", func() error { return CheckManageGroup(actorWith(), ordinary, true) }, true},
		{"a non-owner without roles cannot manage a group", func() error { return CheckManageGroup(actorWith(), ordinary, false) }, false},
		{"a User Administrator manages an ordinary group (B-34)", func() error { return CheckManageGroup(actorWith(RoleUserAdministrator), ordinary, false) }, true},
		{"an owner alone cannot edit a dynamic rule (B-32)", func() error { return CheckEditRule(actorWith()) }, false},
		{"a Groups Administrator edits a dynamic rule (B-32)", func() error { return CheckEditRule(actorWith(RoleGroupsAdministrator)) }, true},
		{"a Helpdesk Administrator resets an ordinary user", func() error { return CheckCredentialReset(actorWith(RoleHelpdeskAdministrator), CredentialTarget{}) }, true},
		{"a Helpdesk Administrator cannot reset a member of a role-assignable group (C-15)", func() error {
			return CheckCredentialReset(actorWith(RoleHelpdeskAdministrator), CredentialTarget{MemberOfRoleAssignableGroup: true})
		}, false},
		{"a User Administrator cannot reset an owner of a role-assignable group (C-15)", func() error {
			return CheckCredentialReset(actorWith(RoleUserAdministrator), CredentialTarget{OwnerOfRoleAssignableGroup: true})
		}, false},
		{"a Privileged Authentication Administrator resets a member of a role-assignable group (C-15)", func() error {
			return CheckCredentialReset(actorWith(RolePrivilegedAuthenticationAdministrator), CredentialTarget{MemberOfRoleAssignableGroup: true})
		}, true},
		{"a Global Administrator resets a member of a role-assignable group (C-15)", func() error {
			return CheckCredentialReset(actorWith(RoleGlobalAdministrator), CredentialTarget{MemberOfRoleAssignableGroup: true})
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.check()
			var refused *RoleRequiredError
			switch {
			case tc.allow && err != nil:
				t.Fatalf("refused: %v", err)
			case !tc.allow && !errors.As(err, &refused):
				t.Fatalf("error = %v; want a *RoleRequiredError", err)
			}
		})
	}
}

func TestNestingRules(t *testing.T) {
	t.Parallel()
	sec := func(name string) *storage.Group {
		return &storage.Group{ID: name, DisplayName: name, Type: storage.GroupTypeSecurity, MembershipType: storage.MembershipAssigned}
	}
	m365 := &storage.Group{ID: "m365", DisplayName: "m365", Type: storage.GroupTypeMicrosoft365, MembershipType: storage.MembershipAssigned}
	dynamic := sec("dyn")
	dynamic.MembershipType = storage.MembershipDynamic
	assignable := sec("admins")
	assignable.IsAssignableToRole = true
	cases := []struct {
		name          string
		parent, child *storage.Group
		requirement   string // "" when allowed
	}{
		{"a user joins a security group", sec("a"), nil, ""},
		{"a user joins a Microsoft 365 group (B-03)", m365, nil, ""},
		{"a user joins a role-assignable group", assignable, nil, ""},
		{"a security group nests in a security group (B-02)", sec("a"), sec("b"), ""},
		{"a role-assignable group may itself be nested in a security group", sec("a"), assignable, ""},
		{"nobody is added by hand to a dynamic group (B-31)", dynamic, nil, "B-31"},
		{"no group joins a role-assignable group (C-16)", assignable, sec("b"), "C-16"},
		{"a Microsoft 365 group holds users only (B-03)", m365, sec("b"), "B-03"},
		{"a Microsoft 365 group does not nest (B-02)", sec("a"), m365, "B-02"},
		{"a group is not a member of itself (B-05)", sec("a"), sec("a"), "B-05"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := checkNewMember(tc.parent, tc.child)
			assertGroupRule(t, err, tc.requirement)
		})
	}
}

// assertGroupRule checks that err is nil when requirement is "", else a
// *GroupRuleError citing it.
func assertGroupRule(t *testing.T, err error, requirement string) {
	t.Helper()
	var rerr *GroupRuleError
	switch {
	case requirement == "" && err != nil:
		t.Fatalf("refused: %v", err)
	case requirement != "" && (!errors.As(err, &rerr) || rerr.Requirement != requirement):
		t.Fatalf("error = %v; want a *GroupRuleError citing %s", err, requirement)
	}
}
