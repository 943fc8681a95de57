package conformance

import (
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("app_roles", testAppRoles) }

func testAppRoles(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates an app role and reads it back (D-29)", appRoleRoundTrip},
		{"refuses a value already used by the application", appRoleDuplicateValue},
		{"refuses an app role of another tenant's application (A-02)", appRoleTenantIsolation},
		{"updates and deletes an app role", appRoleUpdateDelete},
		{"refuses the same assignment twice and keeps group team types apart (D-15)", appRoleAssignmentDuplicate},
		{"returns the grants of the given principals with role values (D-01)", appRoleGrants},
		{"keeps the assignment-required flag per application", appRoleAssignmentRequiredFlag},
		{"removes roles and assignments with the application", appRoleCascade},
		{"removes a deleted user's, group's or client's assignments and eligibilities", rolePrincipalCleanup},
	})
}

func newAppRole(tenantID, clientID, value string) *storage.AppRole {
	return &storage.AppRole{
		ID: newID(), TenantID: tenantID, ClientID: clientID, Value: value,
		DisplayName: value + " role", Description: "Can " + value,
		AllowedMemberTypes: []string{storage.AppRoleMemberUser, storage.AppRoleMemberApplication},
		IsEnabled:          true, CreatedAt: time.Now().In(farOffZone),
	}
}

func newAppRoleAssignment(r *storage.AppRole, principalID, principalType, team string) *storage.AppRoleAssignment {
	return &storage.AppRoleAssignment{
		ID: newID(), TenantID: r.TenantID, ClientID: r.ClientID, AppRoleID: r.ID,
		PrincipalID: principalID, PrincipalType: principalType, TeamType: team,
	}
}

func appRoleRoundTrip(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app := seedApp(t, s, tenant.ID)
	in := newAppRole(tenant.ID, app.ID, "Orders.Approve")
	mustNil(t, s.CreateAppRole(ctx, in), "CreateAppRole")
	got, err := s.GetAppRole(ctx, tenant.ID, app.ID, in.ID)
	mustNil(t, err, "GetAppRole")
	if got.Value != in.Value || got.DisplayName != in.DisplayName || got.Description != in.Description || !got.IsEnabled {
		t.Errorf("got %+v, want %+v", got, in)
	}
	sameStrings(t, got.AllowedMemberTypes, in.AllowedMemberTypes, "AllowedMemberTypes")
	sameTime(t, got.CreatedAt, in.CreatedAt, "CreatedAt")
	second := newAppRole(tenant.ID, app.ID, "Admin")
	mustNil(t, s.CreateAppRole(ctx, second), "second")
	list, err := s.ListAppRoles(ctx, tenant.ID, app.ID)
	mustNil(t, err, "ListAppRoles")
	if len(list) != 2 || list[0].Value != "Admin" || list[1].Value != "Orders.Approve" {
		t.Errorf("list = %+v", list)
	}
}

func appRoleDuplicateValue(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app := seedApp(t, s, tenant.ID)
	mustNil(t, s.CreateAppRole(ctx, newAppRole(tenant.ID, app.ID, "Admin")), "first")
	mustIs(t, s.CreateAppRole(ctx, newAppRole(tenant.ID, app.ID, "Admin")), storage.ErrAlreadyExists, "second")
	other := seedApp(t, s, tenant.ID)
	mustNil(t, s.CreateAppRole(ctx, newAppRole(tenant.ID, other.ID, "Admin")), "same value in another app")
}

func appRoleTenantIsolation(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	other := seedTenant(t, s, "fabrikam")
	app := seedApp(t, s, tenant.ID)
	mustIs(t, s.CreateAppRole(ctx, newAppRole(other.ID, app.ID, "Admin")), storage.ErrNotFound, "role in other tenant")
	r := newAppRole(tenant.ID, app.ID, "Admin")
	mustNil(t, s.CreateAppRole(ctx, r), "CreateAppRole")
	_, err := s.GetAppRole(ctx, other.ID, app.ID, r.ID)
	mustIs(t, err, storage.ErrNotFound, "get from other tenant")
	a := newAppRoleAssignment(r, newID(), storage.PrincipalUser, "")
	a.TenantID = other.ID
	mustIs(t, s.CreateAppRoleAssignment(ctx, a), storage.ErrNotFound, "assignment in other tenant")
	mustIs(t, s.SetAppRoleAssignmentRequired(ctx, other.ID, app.ID, true), storage.ErrNotFound, "flag in other tenant")
	_, err = s.AppRoleAssignmentRequired(ctx, other.ID, app.ID)
	mustIs(t, err, storage.ErrNotFound, "read flag from other tenant")
}

func appRoleUpdateDelete(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app := seedApp(t, s, tenant.ID)
	r := newAppRole(tenant.ID, app.ID, "Admin")
	mustNil(t, s.CreateAppRole(ctx, r), "CreateAppRole")
	r.IsEnabled, r.DisplayName, r.AllowedMemberTypes = false, "Administrators", []string{storage.AppRoleMemberUser}
	mustNil(t, s.UpdateAppRole(ctx, r), "UpdateAppRole")
	got, err := s.GetAppRole(ctx, tenant.ID, app.ID, r.ID)
	mustNil(t, err, "GetAppRole")
	if got.IsEnabled || got.DisplayName != "Administrators" {
		t.Errorf("got %+v", got)
	}
	sameStrings(t, got.AllowedMemberTypes, []string{storage.AppRoleMemberUser}, "AllowedMemberTypes")
	mustNil(t, s.DeleteAppRole(ctx, tenant.ID, app.ID, r.ID), "DeleteAppRole")
	mustIs(t, s.DeleteAppRole(ctx, tenant.ID, app.ID, r.ID), storage.ErrNotFound, "delete twice")
}

func appRoleAssignmentDuplicate(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app := seedApp(t, s, tenant.ID)
	r := newAppRole(tenant.ID, app.ID, "Admin")
	mustNil(t, s.CreateAppRole(ctx, r), "CreateAppRole")
	group := newID()
	mustNil(t, s.CreateAppRoleAssignment(ctx, newAppRoleAssignment(r, group, storage.PrincipalGroup, storage.GroupTeamMembers)), "members team")
	mustNil(t, s.CreateAppRoleAssignment(ctx, newAppRoleAssignment(r, group, storage.PrincipalGroup, storage.GroupTeamOwners)), "owners team")
	err := s.CreateAppRoleAssignment(ctx, newAppRoleAssignment(r, group, storage.PrincipalGroup, storage.GroupTeamMembers))
	mustIs(t, err, storage.ErrAlreadyExists, "members team twice")
	list, err := s.ListAppRoleAssignments(ctx, tenant.ID, storage.AppRoleAssignmentFilter{ClientID: app.ID, PrincipalID: group})
	mustNil(t, err, "ListAppRoleAssignments")
	if len(list) != 2 {
		t.Errorf("list = %+v", list)
	}
	mustNil(t, s.DeleteAppRoleAssignment(ctx, tenant.ID, list[0].ID), "DeleteAppRoleAssignment")
	_, err = s.GetAppRoleAssignment(ctx, tenant.ID, list[0].ID)
	mustIs(t, err, storage.ErrNotFound, "after delete")
}

func appRoleGrants(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app := seedApp(t, s, tenant.ID)
	admin, reader := newAppRole(tenant.ID, app.ID, "Admin"), newAppRole(tenant.ID, app.ID, "Reader")
	reader.IsEnabled = false
	mustNil(t, s.CreateAppRole(ctx, admin), "admin")
	mustNil(t, s.CreateAppRole(ctx, reader), "reader")
	user, group, stranger := newID(), newID(), newID()
	def := &storage.AppRole{ID: storage.DefaultAccessAppRoleID, TenantID: tenant.ID, ClientID: app.ID}
	for _, a := range []*storage.AppRoleAssignment{
		newAppRoleAssignment(admin, user, storage.PrincipalUser, ""),
		newAppRoleAssignment(reader, group, storage.PrincipalGroup, storage.GroupTeamGuests),
		newAppRoleAssignment(def, group, storage.PrincipalGroup, ""),
		newAppRoleAssignment(admin, stranger, storage.PrincipalUser, ""),
	} {
		mustNil(t, s.CreateAppRoleAssignment(ctx, a), "CreateAppRoleAssignment")
	}
	grants, err := s.AppRoleGrants(ctx, tenant.ID, app.ID, []string{user, group})
	mustNil(t, err, "AppRoleGrants")
	want := map[string]storage.AppRoleGrant{
		admin.ID:                       {AppRoleID: admin.ID, PrincipalID: user, PrincipalType: storage.PrincipalUser, Value: "Admin", Enabled: true},
		reader.ID:                      {AppRoleID: reader.ID, PrincipalID: group, PrincipalType: storage.PrincipalGroup, TeamType: storage.GroupTeamGuests, Value: "Reader"},
		storage.DefaultAccessAppRoleID: {AppRoleID: storage.DefaultAccessAppRoleID, PrincipalID: group, PrincipalType: storage.PrincipalGroup, Enabled: true},
	}
	if len(grants) != len(want) {
		t.Fatalf("grants = %+v", grants)
	}
	for _, g := range grants {
		if want[g.AppRoleID] != g {
			t.Errorf("grant %+v, want %+v", g, want[g.AppRoleID])
		}
	}
}

func appRoleAssignmentRequiredFlag(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app, other := seedApp(t, s, tenant.ID), seedApp(t, s, tenant.ID)
	required, err := s.AppRoleAssignmentRequired(ctx, tenant.ID, app.ID)
	mustNil(t, err, "read default")
	if required {
		t.Error("a new application requires assignment")
	}
	mustNil(t, s.SetAppRoleAssignmentRequired(ctx, tenant.ID, app.ID, true), "set")
	mustNil(t, s.SetAppRoleAssignmentRequired(ctx, tenant.ID, app.ID, true), "set again")
	for id, want := range map[string]bool{app.ID: true, other.ID: false} {
		got, err := s.AppRoleAssignmentRequired(ctx, tenant.ID, id)
		mustNil(t, err, "read")
		if got != want {
			t.Errorf("app %s: required = %v, want %v", id, got, want)
		}
	}
	mustNil(t, s.SetAppRoleAssignmentRequired(ctx, tenant.ID, app.ID, false), "clear")
	if got, _ := s.AppRoleAssignmentRequired(ctx, tenant.ID, app.ID); got {
		t.Error("flag still set after clearing")
	}
}

func appRoleCascade(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app := seedApp(t, s, tenant.ID)
	r := newAppRole(tenant.ID, app.ID, "Admin")
	mustNil(t, s.CreateAppRole(ctx, r), "CreateAppRole")
	a := newAppRoleAssignment(r, newID(), storage.PrincipalUser, "")
	mustNil(t, s.CreateAppRoleAssignment(ctx, a), "CreateAppRoleAssignment")
	mustNil(t, s.SetAppRoleAssignmentRequired(ctx, tenant.ID, app.ID, true), "set flag")
	mustNil(t, s.DeleteApplication(ctx, tenant.ID, app.ID), "DeleteApplication")
	_, err := s.GetAppRole(ctx, tenant.ID, app.ID, r.ID)
	mustIs(t, err, storage.ErrNotFound, "role after app deletion")
	_, err = s.GetAppRoleAssignment(ctx, tenant.ID, a.ID)
	mustIs(t, err, storage.ErrNotFound, "assignment after app deletion")
}

func rolePrincipalCleanup(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app, client := seedApp(t, s, tenant.ID), seedApp(t, s, tenant.ID)
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	bob := seedUser(t, s, tenant.ID, "bob@contoso.example")
	group := &storage.Group{ID: newID(), TenantID: tenant.ID, DisplayName: "Admins", Type: storage.GroupTypeSecurity,
		SecurityEnabled: true, MembershipType: storage.MembershipAssigned, IsAssignableToRole: true}
	mustNil(t, s.CreateGroup(ctx, group), "CreateGroup")
	r := newAppRole(tenant.ID, app.ID, "Admin")
	mustNil(t, s.CreateAppRole(ctx, r), "CreateAppRole")
	for _, p := range []struct{ id, kind string }{{ann.ID, storage.PrincipalUser}, {bob.ID, storage.PrincipalUser},
		{group.ID, storage.PrincipalGroup}} {
		mustNil(t, s.CreateRoleAssignment(ctx, newRoleAssignment(tenant.ID, userAdminID, p.id, p.kind)), "CreateRoleAssignment")
		mustNil(t, s.CreateAppRoleAssignment(ctx, newAppRoleAssignment(r, p.id, p.kind, "")), "CreateAppRoleAssignment")
	}
	mustNil(t, s.CreateAppRoleAssignment(ctx, newAppRoleAssignment(r, client.ID, storage.PrincipalServicePrincipal, "")), "client")
	now := time.Now().UTC()
	seedActivation(t, s, tenant.ID, ann.ID, globalAdminID, storage.ActivationActive, now, now.Add(time.Hour))

	mustNil(t, s.DeleteUser(ctx, tenant.ID, ann.ID), "DeleteUser")
	mustNil(t, s.DeleteGroup(ctx, tenant.ID, group.ID), "DeleteGroup")
	mustNil(t, s.DeleteApplication(ctx, tenant.ID, client.ID), "DeleteApplication")
	roles, err := s.ListRoleAssignments(ctx, tenant.ID, storage.RoleAssignmentFilter{})
	mustNil(t, err, "ListRoleAssignments")
	if len(roles) != 1 || roles[0].PrincipalID != bob.ID {
		t.Errorf("role assignments left: %+v", roles)
	}
	eligible, err := s.ListRoleEligibilities(ctx, tenant.ID, storage.RoleAssignmentFilter{})
	mustNil(t, err, "ListRoleEligibilities")
	if len(eligible) != 0 {
		t.Errorf("eligibilities left: %+v", eligible)
	}
	grants, err := s.ListAppRoleAssignments(ctx, tenant.ID, storage.AppRoleAssignmentFilter{ClientID: app.ID})
	mustNil(t, err, "ListAppRoleAssignments")
	if len(grants) != 1 || grants[0].PrincipalID != bob.ID {
		t.Errorf("app role assignments left: %+v", grants)
	}
}
