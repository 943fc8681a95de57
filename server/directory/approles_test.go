package directory

import (
	"context"
	"slices"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func TestEvaluateAppAccess(t *testing.T) {
	t.Parallel()
	const user = "u1"
	links := []GroupLink{
		{GroupID: "g-sales", Member: true},
		{GroupID: "g-owned", Owner: true},
		{GroupID: "g-both", Member: true, Owner: true},
	}
	grant := func(principal, principalType, team, value string) storage.AppRoleGrant {
		return storage.AppRoleGrant{AppRoleID: "r-" + value, PrincipalID: principal, PrincipalType: principalType,
			TeamType: team, Value: value, Enabled: true}
	}
	tests := []struct {
		name     string
		userType string
		grants   []storage.AppRoleGrant
		want     AppAccess
	}{
		{"nothing assigned", storage.UserTypeMember, nil, AppAccess{}},
		{"a direct assignment", storage.UserTypeMember,
			[]storage.AppRoleGrant{grant(user, storage.PrincipalUser, "", "Admin")}, AppAccess{true, []string{"Admin"}}},
		{"another user's assignment does not reach", storage.UserTypeMember,
			[]storage.AppRoleGrant{grant("u2", storage.PrincipalUser, "", "Admin")}, AppAccess{}},
		{"a group assignment reaches its direct members (D-01, D-20)", storage.UserTypeMember,
			[]storage.AppRoleGrant{grant("g-sales", storage.PrincipalGroup, "", "Seller")}, AppAccess{true, []string{"Seller"}}},
		{"a group assignment does not reach an owner who is not a member", storage.UserTypeMember,
			[]storage.AppRoleGrant{grant("g-owned", storage.PrincipalGroup, "", "Seller")}, AppAccess{}},
		{"direct and group roles are united and de-duplicated (D-01)", storage.UserTypeMember,
			[]storage.AppRoleGrant{grant(user, storage.PrincipalUser, "", "Seller"), grant("g-sales", storage.PrincipalGroup, "", "Seller"),
				grant("g-both", storage.PrincipalGroup, "", "Auditor")}, AppAccess{true, []string{"Auditor", "Seller"}}},
		{"an Owners team reaches owners (D-14)", storage.UserTypeMember,
			[]storage.AppRoleGrant{grant("g-owned", storage.PrincipalGroup, storage.GroupTeamOwners, "Lead")}, AppAccess{true, []string{"Lead"}}},
		{"an Owners team does not reach plain members (D-14)", storage.UserTypeMember,
			[]storage.AppRoleGrant{grant("g-sales", storage.PrincipalGroup, storage.GroupTeamOwners, "Lead")}, AppAccess{}},
		{"a Members team reaches a member user (D-14)", storage.UserTypeMember,
			[]storage.AppRoleGrant{grant("g-sales", storage.PrincipalGroup, storage.GroupTeamMembers, "Seller")}, AppAccess{true, []string{"Seller"}}},
		{"a Members team does not reach a guest (D-14)", storage.UserTypeGuest,
			[]storage.AppRoleGrant{grant("g-sales", storage.PrincipalGroup, storage.GroupTeamMembers, "Seller")}, AppAccess{}},
		{"a Guests team reaches a guest only (D-14)", storage.UserTypeGuest,
			[]storage.AppRoleGrant{grant("g-sales", storage.PrincipalGroup, storage.GroupTeamGuests, "Visitor")}, AppAccess{true, []string{"Visitor"}}},
		{"a Guests team does not reach a member user (D-14)", storage.UserTypeMember,
			[]storage.AppRoleGrant{grant("g-sales", storage.PrincipalGroup, storage.GroupTeamGuests, "Visitor")}, AppAccess{}},
		{"a Members-and-guests team reaches a guest (D-14)", storage.UserTypeGuest,
			[]storage.AppRoleGrant{grant("g-sales", storage.PrincipalGroup, storage.GroupTeamMembersAndGuests, "Seller")}, AppAccess{true, []string{"Seller"}}},
		{"a disabled role reaches nobody", storage.UserTypeMember,
			[]storage.AppRoleGrant{{AppRoleID: "r", PrincipalID: user, PrincipalType: storage.PrincipalUser, Value: "Admin"}}, AppAccess{}},
		{"default access assigns without a role value", storage.UserTypeMember,
			[]storage.AppRoleGrant{{AppRoleID: storage.DefaultAccessAppRoleID, PrincipalID: "g-sales", PrincipalType: storage.PrincipalGroup, Enabled: true}},
			AppAccess{Assigned: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := EvaluateAppAccess(tc.grants, user, tc.userType, links)
			if got.Assigned != tc.want.Assigned || !slices.Equal(got.Roles, tc.want.Roles) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestAppRoleDefinitions(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	app := f.app(t, "Orders")
	user := []string{storage.AppRoleMemberUser}
	tests := []struct {
		name  string
		in    NewAppRole
		field string
	}{
		{"defines a user role (D-29)", NewAppRole{Value: "Orders.Approve", DisplayName: "Approvers", AllowedMemberTypes: user}, ""},
		{"refuses a value in use", NewAppRole{Value: "Orders.Approve", DisplayName: "Again", AllowedMemberTypes: user}, "conflict"},
		{"refuses a value with a space", NewAppRole{Value: "Orders Approve", DisplayName: "X", AllowedMemberTypes: user}, "value"},
		{"refuses an empty value", NewAppRole{DisplayName: "X", AllowedMemberTypes: user}, "value"},
		{"refuses a role without member types", NewAppRole{Value: "A", DisplayName: "X"}, "allowedMemberTypes"},
		{"refuses an unknown member type", NewAppRole{Value: "A", DisplayName: "X", AllowedMemberTypes: []string{"Robot"}}, "allowedMemberTypes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.roles.CreateAppRole(ctx, system, f.tenant, app, tc.in)
			switch tc.field {
			case "":
				mustOK(t, err, "CreateAppRole")
			case "conflict":
				assertConflict(t, err, "the application already has an app role with this value")
			default:
				assertProblem(t, err, tc.field, "")
			}
		})
	}
	_, err := f.roles.CreateAppRole(ctx, Actor{UserID: "x", RoleTemplateIDs: []string{RoleUserAdministrator}}, f.tenant, app,
		NewAppRole{Value: "B", DisplayName: "B", AllowedMemberTypes: user})
	assertRoleRequired(t, err)
	_, err = f.roles.CreateAppRole(ctx, system, f.tenant, "no-such-app", NewAppRole{Value: "B", DisplayName: "B", AllowedMemberTypes: user})
	isErr(t, err, ErrApplicationNotFound)
}

func TestDeleteAppRoleNeedsDisablingFirst(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	app, ann := f.app(t, "Orders"), f.user(t, "ann", "")
	r, err := f.roles.CreateAppRole(ctx, system, f.tenant, app, NewAppRole{Value: "Admin", DisplayName: "Admins",
		AllowedMemberTypes: []string{storage.AppRoleMemberUser}})
	mustOK(t, err, "CreateAppRole")
	_, err = f.roles.AssignAppRole(ctx, system, f.tenant, NewAppRoleAssignment{ClientID: app, AppRoleID: r.ID,
		PrincipalID: ann, PrincipalType: storage.PrincipalUser})
	mustOK(t, err, "AssignAppRole")
	assertProblem(t, f.roles.DeleteAppRole(ctx, system, f.tenant, app, r.ID), "isEnabled", "disable the app role before deleting it")
	off := false
	_, err = f.roles.UpdateAppRole(ctx, system, f.tenant, app, r.ID, AppRoleChange{Enabled: &off})
	mustOK(t, err, "disable")
	_, err = f.roles.AssignAppRole(ctx, system, f.tenant, NewAppRoleAssignment{ClientID: app, AppRoleID: r.ID,
		PrincipalID: f.user(t, "bob", ""), PrincipalType: storage.PrincipalUser})
	assertProblem(t, err, "appRoleId", "disabled")
	mustOK(t, f.roles.DeleteAppRole(ctx, system, f.tenant, app, r.ID), "DeleteAppRole")
	left, err := f.roles.ListAppRoleAssignments(ctx, f.tenant, storage.AppRoleAssignmentFilter{ClientID: app})
	mustOK(t, err, "ListAppRoleAssignments")
	if len(left) != 0 {
		t.Errorf("assignments outlive their role: %+v", left)
	}
}

func TestAssignAppRoleChecks(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	app, ann := f.app(t, "Orders"), f.user(t, "ann", "")
	daemon := f.app(t, "Nightly batch")
	f.addGroup(t, GroupInfo{ID: "g-dyn", DisplayName: "All sellers", Dynamic: true})
	f.addGroup(t, GroupInfo{ID: "g-sales", DisplayName: "Sales"})
	userRole, err := f.roles.CreateAppRole(ctx, system, f.tenant, app, NewAppRole{Value: "Seller", DisplayName: "Sellers",
		AllowedMemberTypes: []string{storage.AppRoleMemberUser}})
	mustOK(t, err, "user role")
	appRole, err := f.roles.CreateAppRole(ctx, system, f.tenant, app, NewAppRole{Value: "Orders.Read.All", DisplayName: "Read all",
		AllowedMemberTypes: []string{storage.AppRoleMemberApplication}})
	mustOK(t, err, "application role")
	tests := []struct {
		name  string
		in    NewAppRoleAssignment
		field string
	}{
		{"assigns a user role to a group", NewAppRoleAssignment{AppRoleID: userRole.ID, PrincipalID: "g-sales", PrincipalType: storage.PrincipalGroup}, ""},
		{"makes a group team of an assigned group (D-14)", NewAppRoleAssignment{AppRoleID: userRole.ID, PrincipalID: "g-sales",
			PrincipalType: storage.PrincipalGroup, TeamType: storage.GroupTeamOwners}, ""},
		{"refuses a second team of the same type (D-15)", NewAppRoleAssignment{AppRoleID: userRole.ID, PrincipalID: "g-sales",
			PrincipalType: storage.PrincipalGroup, TeamType: storage.GroupTeamOwners}, "conflict"},
		{"refuses a group team of a dynamic group (D-13)", NewAppRoleAssignment{AppRoleID: userRole.ID, PrincipalID: "g-dyn",
			PrincipalType: storage.PrincipalGroup, TeamType: storage.GroupTeamMembers}, "principalId"},
		{"refuses a team type on a user", NewAppRoleAssignment{AppRoleID: userRole.ID, PrincipalID: ann,
			PrincipalType: storage.PrincipalUser, TeamType: storage.GroupTeamMembers}, "teamType"},
		{"refuses an application-only role for a user", NewAppRoleAssignment{AppRoleID: appRole.ID, PrincipalID: ann, PrincipalType: storage.PrincipalUser}, "principalType"},
		{"assigns an application role to a client (client credentials)", NewAppRoleAssignment{AppRoleID: appRole.ID, PrincipalID: daemon,
			PrincipalType: storage.PrincipalServicePrincipal}, ""},
		{"refuses a user role for a client", NewAppRoleAssignment{AppRoleID: userRole.ID, PrincipalID: daemon,
			PrincipalType: storage.PrincipalServicePrincipal}, "principalType"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.ClientID = app
			_, err := f.roles.AssignAppRole(ctx, system, f.tenant, tc.in)
			switch tc.field {
			case "":
				mustOK(t, err, "AssignAppRole")
			case "conflict":
				assertConflict(t, err, "the principal already holds this app role")
			default:
				assertProblem(t, err, tc.field, "")
			}
		})
	}
	got, err := f.roles.ClientAppRoles(ctx, f.tenant, app, daemon)
	mustOK(t, err, "ClientAppRoles")
	if !slices.Equal(got, []string{"Orders.Read.All"}) {
		t.Errorf("client roles = %v", got)
	}
}

func TestTokenRolesAndAssignmentRequired(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	app := f.app(t, "Orders")
	ann, bob, guest := f.user(t, "ann", ""), f.user(t, "bob", ""), f.user(t, "gus", storage.UserTypeGuest)
	f.addGroup(t, GroupInfo{ID: "g-sales", DisplayName: "Sales"})
	f.addGroup(t, GroupInfo{ID: "g-admins", DisplayName: "Admins", AssignableToRole: true})
	f.link(t, ann, "g-sales", true, true)
	f.link(t, ann, "g-admins", true, false)
	f.link(t, guest, "g-sales", true, false)
	roleID := func(value string) string {
		r, err := f.roles.CreateAppRole(ctx, system, f.tenant, app, NewAppRole{Value: value, DisplayName: value,
			AllowedMemberTypes: []string{storage.AppRoleMemberUser}})
		mustOK(t, err, "CreateAppRole "+value)
		return r.ID
	}
	seller, lead, admin := roleID("Seller"), roleID("Lead"), roleID("Admin")
	for _, in := range []NewAppRoleAssignment{
		{AppRoleID: admin, PrincipalID: ann, PrincipalType: storage.PrincipalUser},
		{AppRoleID: seller, PrincipalID: ann, PrincipalType: storage.PrincipalUser},
		{AppRoleID: seller, PrincipalID: "g-sales", PrincipalType: storage.PrincipalGroup, TeamType: storage.GroupTeamMembers},
		{AppRoleID: lead, PrincipalID: "g-sales", PrincipalType: storage.PrincipalGroup, TeamType: storage.GroupTeamOwners},
	} {
		in.ClientID = app
		_, err := f.roles.AssignAppRole(ctx, system, f.tenant, in)
		mustOK(t, err, "AssignAppRole")
	}
	_, err := f.roles.AssignRole(ctx, system, f.tenant, NewRoleAssignment{RoleID: RoleGlobalReader, PrincipalID: "g-admins", PrincipalType: storage.PrincipalGroup})
	mustOK(t, err, "AssignRole")
	custom, err := f.roles.CreateCustomRole(ctx, system, f.tenant, NewCustomRole{DisplayName: "Resetter",
		Permissions: []string{"microsoft.directory/users/password/update"}})
	mustOK(t, err, "CreateCustomRole")
	_, err = f.roles.AssignRole(ctx, system, f.tenant, NewRoleAssignment{RoleID: custom.ID, PrincipalID: ann, PrincipalType: storage.PrincipalUser})
	mustOK(t, err, "AssignRole custom")

	got, err := f.roles.TokenRoles(ctx, f.tenant, app, ann)
	mustOK(t, err, "TokenRoles")
	if !slices.Equal(got.Roles, []string{"Admin", "Lead", "Seller"}) || !slices.Equal(got.WIDs, []string{RoleGlobalReader}) {
		t.Errorf("ann's token roles = %+v (custom role IDs stay out of wids)", got)
	}
	got, err = f.roles.TokenRoles(ctx, f.tenant, app, guest)
	mustOK(t, err, "TokenRoles guest")
	if len(got.Roles) != 0 || len(got.WIDs) != 0 {
		t.Errorf("a guest gets a Members team's role (D-14): %+v", got)
	}

	mustOK(t, f.roles.CheckAssignment(ctx, f.tenant, app, bob), "assignment not required yet")
	mustOK(t, f.roles.SetAssignmentRequired(ctx, system, f.tenant, app, true), "SetAssignmentRequired")
	isErr(t, f.roles.CheckAssignment(ctx, f.tenant, app, bob), ErrAssignmentRequired)
	isErr(t, f.roles.CheckAssignment(ctx, f.tenant, app, guest), ErrAssignmentRequired)
	mustOK(t, f.roles.CheckAssignment(ctx, f.tenant, app, ann), "an assigned user")
	f.addGroup(t, GroupInfo{ID: "g-everyone", DisplayName: "Everyone"})
	f.link(t, bob, "g-everyone", true, false)
	_, err = f.roles.AssignAppRole(ctx, system, f.tenant, NewAppRoleAssignment{ClientID: app, AppRoleID: storage.DefaultAccessAppRoleID,
		PrincipalID: "g-everyone", PrincipalType: storage.PrincipalGroup})
	mustOK(t, err, "default access to a group")
	mustOK(t, f.roles.CheckAssignment(ctx, f.tenant, app, bob), "a user assigned through a group")
	isErr(t, f.roles.SetAssignmentRequired(ctx, system, f.tenant, "no-such-app", true), ErrApplicationNotFound)
}
