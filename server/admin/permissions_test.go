package admin

import (
	"testing"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

const (
	A = Allowed
	D = Denied
	O = OwnerCheck
)

// matrixOps are the operations of the hand-written matrix, in column order.
var matrixOps = []string{OpListUsers, OpCreateUser, OpUpdateUser, OpDeleteUser, OpCreateSecurityGroup,
	OpCreateM365Group, OpChangeMembers, OpChangeOwners, OpDeleteGroup, OpReadAudit}

// roleCaller is a member holding one built-in role, under the default policy.
func roleCaller(t *testing.T, name string) Caller {
	t.Helper()
	role, ok := directory.LookupBuiltInRole(name)
	if !ok {
		t.Fatalf("no built-in role %q", name)
	}
	return Caller{UserID: "u", UserType: storage.UserTypeMember, RoleIDs: []string{role.TemplateID},
		Actions: role.Permissions, Policy: storage.DefaultAuthorizationPolicy("t")}
}

func policyWith(change func(*storage.AuthorizationPolicy)) storage.AuthorizationPolicy {
	p := storage.DefaultAuthorizationPolicy("t")
	change(&p)
	return p
}

// TestPermissionMatrix checks the table against a matrix written by hand
// from the seeds (C-01, C-11, C-13, I-01..I-05), not computed from the table.
func TestPermissionMatrix(t *testing.T) {
	member := Caller{UserID: "u", UserType: storage.UserTypeMember, Policy: storage.DefaultAuthorizationPolicy("t")}
	guest := Caller{UserID: "g", UserType: storage.UserTypeGuest, Policy: storage.DefaultAuthorizationPolicy("t")}
	lockedDown := member
	lockedDown.Policy = policyWith(func(p *storage.AuthorizationPolicy) {
		p.AllowedToReadOtherUsers, p.AllowedToCreateSecurityGroups, p.AllowedToCreateM365Groups = false, false, false
	})
	openGuest := guest
	openGuest.Policy = policyWith(func(p *storage.AuthorizationPolicy) { p.GuestAccess = storage.GuestAccessSameAsMembers })
	app := func(perms ...string) Caller { return Caller{App: true, ClientID: "c", AppPermissions: perms} }

	cases := []struct {
		name   string
		caller Caller
		want   []Decision // in matrixOps order
	}{
		//                                                 list create update delete secGrp m365 members owners delGrp audit
		{"Global Administrator", roleCaller(t, "Global Administrator"), []Decision{A, A, A, A, A, A, A, A, A, A}},
		{"Global Reader", roleCaller(t, "Global Reader"), []Decision{A, D, D, D, A, A, O, O, O, A}},
		{"User Administrator", roleCaller(t, "User Administrator"), []Decision{A, A, A, A, A, A, A, A, A, D}},
		{"Groups Administrator", roleCaller(t, "Groups Administrator"), []Decision{A, D, D, D, A, A, A, A, A, D}},
		{"Helpdesk Administrator", roleCaller(t, "Helpdesk Administrator"), []Decision{A, D, D, D, A, A, O, O, O, D}},
		{"Privileged Role Administrator", roleCaller(t, "Privileged Role Administrator"), []Decision{A, D, D, D, A, A, A, A, O, D}},
		{"Security Reader", roleCaller(t, "Security Reader"), []Decision{A, D, D, D, A, A, O, O, O, A}},
		{"Application Administrator", roleCaller(t, "Application Administrator"), []Decision{A, D, D, D, A, A, O, O, O, A}},
		{"member, default permissions", member, []Decision{A, D, D, D, A, A, O, O, O, D}},
		{"member, tenant restricts reading users and creating groups", lockedDown, []Decision{D, D, D, D, D, D, O, O, O, D}},
		{"guest, limited access", guest, []Decision{D, D, D, D, D, D, D, D, D, D}},
		{"guest, same access as members", openGuest, []Decision{A, D, D, D, D, D, D, D, D, D}},
		{"app with User.Read.All", app("User.Read.All"), []Decision{A, D, D, D, D, D, D, D, D, D}},
		{"app with User.ReadWrite.All", app("User.ReadWrite.All"), []Decision{A, A, A, A, D, D, D, D, D, D}},
		{"app with Group.ReadWrite.All", app("Group.ReadWrite.All"), []Decision{D, D, D, D, A, A, A, A, A, D}},
		{"app with RoleManagement.ReadWrite.Directory", app("RoleManagement.ReadWrite.Directory"), []Decision{D, D, D, D, D, D, A, A, D, D}},
		{"app with AuditLog.Read.All", app("AuditLog.Read.All"), []Decision{D, D, D, D, D, D, D, D, D, A}},
		{"app with no permission", app(), []Decision{D, D, D, D, D, D, D, D, D, D}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i, op := range matrixOps {
				if got := Decide(op, tc.caller); got != tc.want[i] {
					t.Errorf("%s: got %v, want %v", op, got, tc.want[i])
				}
			}
		})
	}
}

// TestEveryBuiltInRoleTriesEveryOperation sweeps the whole catalogue: no
// role reaches an operation its actions do not cover except through the
// default member permissions, and Global Administrator reaches them all.
func TestEveryBuiltInRoleTriesEveryOperation(t *testing.T) {
	member := Caller{UserID: "u", UserType: storage.UserTypeMember, Policy: storage.DefaultAuthorizationPolicy("t")}
	for _, role := range directory.BuiltInRoles() {
		c := roleCaller(t, role.DisplayName)
		for op := range permissionTable {
			got, base := Decide(op, c), Decide(op, member)
			if role.TemplateID == directory.RoleGlobalAdministrator && got != Allowed {
				t.Errorf("Global Administrator: %s = %v", op, got)
			}
			if got < base && !(base == OwnerCheck && got == Allowed) {
				t.Errorf("%s has less than a plain member on %s: %v < %v", role.DisplayName, op, got, base)
			}
		}
	}
}

func TestActionWildcards(t *testing.T) {
	cases := []struct {
		held, want string
		grants     bool
	}{
		{"microsoft.directory/allEntities/allProperties/allTasks", "microsoft.directory/users/delete", true},
		{"microsoft.directory/allEntities/allProperties/read", "microsoft.directory/users/standard/read", true},
		{"microsoft.directory/allEntities/allProperties/read", "microsoft.directory/users/delete", false},
		{"microsoft.directory/users/create", "microsoft.directory/users/delete", false},
		{"microsoft.office365.exchange/allEntities/basic/allTasks", "microsoft.directory/users/delete", false},
		{"microsoft.directory/roleAssignments/allProperties/allTasks", "microsoft.directory/groups/create", false},
	}
	for _, tc := range cases {
		if got := actionGrants(tc.held, tc.want); got != tc.grants {
			t.Errorf("actionGrants(%s, %s) = %v", tc.held, tc.want, got)
		}
	}
}

// TestRoleManagementMatrix: reading roles follows the default member
// permission; assigning needs Privileged Role Administrator (C-01) or
// RoleManagement.ReadWrite.Directory.
func TestRoleManagementMatrix(t *testing.T) {
	guest := Caller{UserID: "g", UserType: storage.UserTypeGuest, Policy: storage.DefaultAuthorizationPolicy("t")}
	cases := []struct {
		name         string
		caller       Caller
		read, assign Decision
	}{
		{"Privileged Role Administrator", roleCaller(t, "Privileged Role Administrator"), A, A},
		{"Global Administrator", roleCaller(t, "Global Administrator"), A, A},
		{"User Administrator", roleCaller(t, "User Administrator"), A, D},
		{"Global Reader", roleCaller(t, "Global Reader"), A, D},
		{"guest", guest, D, D},
		{"app with RoleManagement.ReadWrite.Directory", Caller{App: true, AppPermissions: []string{"RoleManagement.ReadWrite.Directory"}}, A, A},
		{"app with Directory.ReadWrite.All", Caller{App: true, AppPermissions: []string{"Directory.ReadWrite.All"}}, A, D},
	}
	for _, tc := range cases {
		if got := Decide(OpReadRoles, tc.caller); got != tc.read {
			t.Errorf("%s read: %v, want %v", tc.name, got, tc.read)
		}
		if got := Decide(OpAssignRole, tc.caller); got != tc.assign {
			t.Errorf("%s assign: %v, want %v", tc.name, got, tc.assign)
		}
	}
}

// TestApplicationAndPolicyMatrix: users register applications only while
// the tenant lets them (I-01), Application Developer regardless; only a
// Global Administrator changes the default user permissions.
func TestApplicationAndPolicyMatrix(t *testing.T) {
	member := Caller{UserID: "u", UserType: storage.UserTypeMember, Policy: storage.DefaultAuthorizationPolicy("t")}
	noApps := member
	noApps.Policy = policyWith(func(p *storage.AuthorizationPolicy) { p.AllowedToCreateApps = false })
	developer := roleCaller(t, "Application Developer")
	developer.Policy = noApps.Policy
	guest := Caller{UserID: "g", UserType: storage.UserTypeGuest, Policy: storage.DefaultAuthorizationPolicy("t")}
	cases := []struct {
		name                                      string
		caller                                    Caller
		create, deleteApp, credentials, setPolicy Decision
	}{
		{"member, default", member, A, D, D, D},
		{"member, users may not register apps", noApps, D, D, D, D},
		{"Application Developer, users may not register apps", developer, A, D, D, D},
		{"Application Administrator", roleCaller(t, "Application Administrator"), A, A, A, D},
		{"Cloud Application Administrator", roleCaller(t, "Cloud Application Administrator"), A, A, A, D},
		{"Global Administrator", roleCaller(t, "Global Administrator"), A, A, A, A},
		{"guest", guest, D, D, D, D},
		{"app with Application.ReadWrite.All", Caller{App: true, AppPermissions: []string{"Application.ReadWrite.All"}}, A, A, A, D},
		{"app with Policy.ReadWrite.Authorization", Caller{App: true, AppPermissions: []string{"Policy.ReadWrite.Authorization"}}, D, D, D, A},
	}
	for _, tc := range cases {
		got := []Decision{Decide(OpCreateApp, tc.caller), Decide(OpDeleteApp, tc.caller), Decide(OpAppCredentials, tc.caller), Decide(OpUpdatePolicy, tc.caller)}
		want := []Decision{tc.create, tc.deleteApp, tc.credentials, tc.setPolicy}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %v, want %v (create, delete, credentials, policy)", tc.name, got, want)
				break
			}
		}
	}
}

// TestAccessAndBrandingMatrix: Conditional Access, security defaults, the
// sign-in log, risky users and company branding, by hand from the seeds
// (F-15, G-05, H-01) and Entra's role descriptions.
func TestAccessAndBrandingMatrix(t *testing.T) {
	ops := []string{OpReadCA, OpWriteCA, OpSecurityDefaults, OpReadSignIns, OpReadRisk, OpWriteRisk, OpReadBranding, OpWriteBranding}
	member := Caller{UserID: "u", UserType: storage.UserTypeMember, Policy: storage.DefaultAuthorizationPolicy("t")}
	app := func(perms ...string) Caller { return Caller{App: true, ClientID: "c", AppPermissions: perms} }
	cases := []struct {
		name   string
		caller Caller
		want   []Decision
	}{
		//                                                                     readCA writeCA secDef signIns readRisk writeRisk readBrand writeBrand
		{"Global Administrator", roleCaller(t, "Global Administrator"), []Decision{A, A, A, A, A, A, A, A}},
		{"Conditional Access Administrator", roleCaller(t, "Conditional Access Administrator"), []Decision{A, A, A, D, D, D, D, D}},
		{"Security Administrator", roleCaller(t, "Security Administrator"), []Decision{A, A, A, A, A, A, D, D}},
		{"Security Reader", roleCaller(t, "Security Reader"), []Decision{A, D, D, A, A, D, D, D}},
		{"Global Reader", roleCaller(t, "Global Reader"), []Decision{A, D, D, A, A, D, A, D}},
		{"Organizational Branding Administrator", roleCaller(t, "Organizational Branding Administrator"), []Decision{D, D, D, D, D, D, A, A}},
		{"User Administrator", roleCaller(t, "User Administrator"), []Decision{D, D, D, D, D, D, D, D}},
		{"member", member, []Decision{D, D, D, D, D, D, D, D}},
		{"app with Policy.ReadWrite.ConditionalAccess", app("Policy.ReadWrite.ConditionalAccess"), []Decision{A, A, A, D, D, D, D, D}},
		{"app with Policy.Read.All", app("Policy.Read.All"), []Decision{A, D, D, D, D, D, D, D}},
		{"app with AuditLog.Read.All", app("AuditLog.Read.All"), []Decision{D, D, D, A, D, D, D, D}},
		{"app with IdentityRiskyUser.ReadWrite.All", app("IdentityRiskyUser.ReadWrite.All"), []Decision{D, D, D, D, A, A, D, D}},
		{"app with OrganizationalBranding.ReadWrite.All", app("OrganizationalBranding.ReadWrite.All"), []Decision{D, D, D, D, D, D, A, A}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i, op := range ops {
				if got := Decide(op, tc.caller); got != tc.want[i] {
					t.Errorf("%s: got %v, want %v", op, got, tc.want[i])
				}
			}
		})
	}
}
