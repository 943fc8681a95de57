package directory

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

// TestBuiltInRoleCatalogue checks the template IDs of the roles security
// defaults name (003:3745-3760) and the others the issue names (C-02).
func TestBuiltInRoleCatalogue(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"Global Administrator":                    "62e90394-69f5-4237-9190-012177145e10",
		"Application Administrator":               "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
		"Authentication Administrator":            "c4e39bd9-1100-46d3-8c65-fb160da0071f",
		"Billing Administrator":                   "b0f54661-2d74-4c50-afa3-1ec803f12efe",
		"Cloud Application Administrator":         "158c047a-c907-4556-b7ef-446551a6b5f7",
		"Conditional Access Administrator":        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
		"Exchange Administrator":                  "29232cdf-9323-42fd-ade2-1d097af3e4de",
		"Helpdesk Administrator":                  "729827e3-9c14-49f7-bb1b-9608f156bbb8",
		"Password Administrator":                  "966707d0-3269-4727-9be2-8c3a10f19b9d",
		"Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
		"Privileged Role Administrator":           "e8611ab8-c189-46e8-94e1-60213ab1f814",
		"Security Administrator":                  "194ae4cb-b126-40b2-bd5b-6091b380977d",
		"SharePoint Administrator":                "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
		"User Administrator":                      "fe930be7-5e62-47db-91af-98c3a49a38b1",
		"Authentication Policy Administrator":     "0526716b-113d-4c15-b2c8-68e3c22b9f80",
		"Identity Governance Administrator":       "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e",
		"Global Reader":                           "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
		"Groups Administrator":                    "fdd7a751-b60b-444a-984c-02652fe8fa1c",
		"Directory Synchronization Accounts":      "d29b2b05-8046-44ba-8758-1e26182fcf32",
		"Organizational Branding Administrator":   "92ed04bf-c94a-4b82-9729-b799a7a4c178",
	}
	for name, id := range want {
		byID, ok := LookupBuiltInRole(id)
		if !ok || byID.DisplayName != name {
			t.Errorf("template %s: got %q, want %q", id, byID.DisplayName, name)
		}
		byName, ok := LookupBuiltInRole(name)
		if !ok || byName.TemplateID != id || len(byName.Permissions) == 0 {
			t.Errorf("%s: got %+v", name, byName)
		}
	}
	seen := map[string]bool{}
	for _, r := range BuiltInRoles() {
		if seen[r.TemplateID] || seen[r.DisplayName] {
			t.Errorf("duplicate role %s %s", r.TemplateID, r.DisplayName)
		}
		seen[r.TemplateID], seen[r.DisplayName] = true, true
	}
}

func TestCustomRoles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		actor   Actor
		in      NewCustomRole
		field   string // expected problem field; "" for success
		refused bool   // RoleRequiredError
	}{
		{"defines a role from known actions (C-05, C-06)", system,
			NewCustomRole{DisplayName: "Password Resetter", Permissions: []string{"microsoft.directory/users/password/update"}}, "", false},
		{"refuses an unknown action", system,
			NewCustomRole{DisplayName: "Odd", Permissions: []string{"microsoft.directory/users/password/update", "microsoft.directory/teleport"}}, "permissions[1]", false},
		{"refuses the tenant-wide wildcard", system,
			NewCustomRole{DisplayName: "Almighty", Permissions: []string{"microsoft.directory/allEntities/allProperties/allTasks"}}, "permissions[0]", false},
		{"refuses a role without permissions", system, NewCustomRole{DisplayName: "Empty"}, "permissions", false},
		{"refuses a role without a name", system,
			NewCustomRole{Permissions: []string{"microsoft.directory/users/password/update"}}, "displayName", false},
		{"refuses a caller without Privileged Role Administrator (C-01)", Actor{UserID: "u", RoleTemplateIDs: []string{RoleUserAdministrator}},
			NewCustomRole{DisplayName: "Mine", Permissions: []string{"microsoft.directory/users/password/update"}}, "", true},
		{"lets a Privileged Role Administrator define one (C-01)", Actor{UserID: "u", RoleTemplateIDs: []string{RolePrivilegedRoleAdministrator}},
			NewCustomRole{DisplayName: "Theirs", Permissions: []string{"microsoft.directory/groups/members/update"}}, "", false},
	}
	f := newRoleFixture(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := f.roles.CreateCustomRole(context.Background(), tc.actor, f.tenant, tc.in)
			switch {
			case tc.refused:
				assertRoleRequired(t, err)
			case tc.field != "":
				assertProblem(t, err, tc.field, "")
			default:
				mustOK(t, err, "CreateCustomRole")
				got, err := f.roles.FindRole(context.Background(), f.tenant, tc.in.DisplayName)
				mustOK(t, err, "FindRole")
				if got.ID != d.ID || got.BuiltIn || !slices.Equal(got.Permissions, tc.in.Permissions) {
					t.Errorf("found %+v", got)
				}
			}
		})
	}
}

func TestCustomRoleNameClashes(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	perms := []string{"microsoft.directory/users/password/update"}
	_, err := f.roles.CreateCustomRole(ctx, system, f.tenant, NewCustomRole{DisplayName: "global administrator", Permissions: perms})
	assertConflict(t, err, "a built-in role is already named global administrator")
	_, err = f.roles.CreateCustomRole(ctx, system, f.tenant, NewCustomRole{DisplayName: "Resetter", Permissions: perms})
	mustOK(t, err, "first")
	_, err = f.roles.CreateCustomRole(ctx, system, f.tenant, NewCustomRole{DisplayName: "RESETTER", Permissions: perms})
	assertConflict(t, err, "a custom role with this name already exists")
}

func TestAssignRole(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	ann := f.user(t, "ann", "")
	f.addGroup(t, GroupInfo{ID: "g-admins", DisplayName: "Admins", AssignableToRole: true})
	f.addGroup(t, GroupInfo{ID: "g-sales", DisplayName: "Sales"})
	tests := []struct {
		name  string
		actor Actor
		in    NewRoleAssignment
		check func(t *testing.T, err error)
	}{
		{"assigns a built-in role to a user", system,
			NewRoleAssignment{RoleID: RoleUserAdministrator, PrincipalID: ann, PrincipalType: storage.PrincipalUser},
			func(t *testing.T, err error) { mustOK(t, err, "assign") }},
		{"finds a role by its display name", system,
			NewRoleAssignment{RoleID: "groups administrator", PrincipalID: ann, PrincipalType: storage.PrincipalUser},
			func(t *testing.T, err error) { mustOK(t, err, "assign") }},
		{"assigns a role to a role-assignable group (C-09)", system,
			NewRoleAssignment{RoleID: RoleHelpdeskAdministrator, PrincipalID: "g-admins", PrincipalType: storage.PrincipalGroup},
			func(t *testing.T, err error) { mustOK(t, err, "assign") }},
		{"refuses a group that is not role-assignable (C-09)", system,
			NewRoleAssignment{RoleID: RoleHelpdeskAdministrator, PrincipalID: "g-sales", PrincipalType: storage.PrincipalGroup},
			func(t *testing.T, err error) { assertProblem(t, err, "principalId", "Sales is not role-assignable") }},
		{"refuses a role the principal already holds", system,
			NewRoleAssignment{RoleID: RoleUserAdministrator, PrincipalID: ann, PrincipalType: storage.PrincipalUser},
			func(t *testing.T, err error) {
				assertConflict(t, err, "the principal already holds the User Administrator role")
			}},
		{"refuses an unknown role", system,
			NewRoleAssignment{RoleID: "Chief Wizard", PrincipalID: ann, PrincipalType: storage.PrincipalUser},
			func(t *testing.T, err error) { isErr(t, err, ErrRoleNotFound) }},
		{"refuses an unknown user", system,
			NewRoleAssignment{RoleID: RoleUserAdministrator, PrincipalID: "nobody", PrincipalType: storage.PrincipalUser},
			func(t *testing.T, err error) { isErr(t, err, ErrUserNotFound) }},
		{"refuses a User Administrator: only Privileged Role Administrators assign roles (C-01)",
			Actor{UserID: ann, RoleTemplateIDs: []string{RoleUserAdministrator}},
			NewRoleAssignment{RoleID: RoleGlobalAdministrator, PrincipalID: ann, PrincipalType: storage.PrincipalUser},
			func(t *testing.T, err error) { assertRoleRequired(t, err) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.roles.AssignRole(ctx, tc.actor, f.tenant, tc.in)
			tc.check(t, err)
		})
	}
}

// isErr fails unless errors.Is(err, want).
func isErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v; want %v", err, want)
	}
}

func TestEffectiveRolesAddDirectAndGroupRoles(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	ann, bob := f.user(t, "ann", ""), f.user(t, "bob", "")
	f.addGroup(t, GroupInfo{ID: "g-helpdesk", DisplayName: "Helpdesk", AssignableToRole: true})
	f.link(t, ann, "g-helpdesk", true, false)
	f.link(t, bob, "g-helpdesk", false, true) // an owner is not a member
	for _, in := range []NewRoleAssignment{
		{RoleID: RoleUserAdministrator, PrincipalID: ann, PrincipalType: storage.PrincipalUser},
		{RoleID: RoleHelpdeskAdministrator, PrincipalID: "g-helpdesk", PrincipalType: storage.PrincipalGroup},
		{RoleID: RoleUserAdministrator, PrincipalID: "g-helpdesk", PrincipalType: storage.PrincipalGroup},
	} {
		_, err := f.roles.AssignRole(ctx, system, f.tenant, in)
		mustOK(t, err, "AssignRole")
	}
	got, err := f.roles.EffectiveRoleIDs(ctx, f.tenant, ann)
	mustOK(t, err, "ann")
	if want := []string{RoleHelpdeskAdministrator, RoleUserAdministrator}; !slices.Equal(got, want) {
		t.Errorf("ann's roles (C-03, C-17) = %v, want %v", got, want)
	}
	got, err = f.roles.EffectiveRoleIDs(ctx, f.tenant, bob)
	mustOK(t, err, "bob")
	if len(got) != 0 {
		t.Errorf("a group owner holds the group's roles: %v", got)
	}
	mustOK(t, f.dir.Store.RemoveGroupMember(ctx, f.tenant, "g-helpdesk", storage.GroupMember{ID: ann, Type: storage.MemberTypeUser}),
		"ann leaves the group (C-17)")
	got, err = f.roles.EffectiveRoleIDs(ctx, f.tenant, ann)
	mustOK(t, err, "ann after leaving")
	if want := []string{RoleUserAdministrator}; !slices.Equal(got, want) {
		t.Errorf("after leaving = %v, want %v", got, want)
	}
}

func TestDeleteCustomRoleRefusesWhileAssigned(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	ann := f.user(t, "ann", "")
	d, err := f.roles.CreateCustomRole(ctx, system, f.tenant, NewCustomRole{DisplayName: "Resetter",
		Permissions: []string{"microsoft.directory/users/password/update"}})
	mustOK(t, err, "CreateCustomRole")
	a, err := f.roles.AssignRole(ctx, system, f.tenant, NewRoleAssignment{RoleID: d.ID, PrincipalID: ann, PrincipalType: storage.PrincipalUser})
	mustOK(t, err, "AssignRole")
	assertProblem(t, f.roles.DeleteCustomRole(ctx, system, f.tenant, d.ID), "roleId", "still assigned")
	assertProblem(t, f.roles.DeleteCustomRole(ctx, system, f.tenant, RoleGlobalAdministrator), "roleId", "built-in")
	mustOK(t, f.roles.RemoveRoleAssignment(ctx, system, f.tenant, a.ID), "RemoveRoleAssignment")
	mustOK(t, f.roles.DeleteCustomRole(ctx, system, f.tenant, d.ID), "DeleteCustomRole")
	isErr(t, f.roles.DeleteCustomRole(ctx, system, f.tenant, d.ID), ErrRoleNotFound)
}
