package admin

import (
	"slices"
	"strings"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// Operation names, one per API operation.
const (
	OpListUsers           = "users.list"
	OpReadUser            = "users.read"
	OpCreateUser          = "users.create"
	OpUpdateUser          = "users.update"
	OpDeleteUser          = "users.delete"
	OpListGroups          = "groups.list"
	OpReadGroup           = "groups.read"
	OpCreateSecurityGroup = "groups.create.security"
	OpCreateM365Group     = "groups.create.m365"
	OpUpdateGroup         = "groups.update"
	OpDeleteGroup         = "groups.delete"
	OpReadMembers         = "groups.members.read"
	OpChangeMembers       = "groups.members.update"
	OpChangeOwners        = "groups.owners.update"
	OpReadAudit           = "auditLogs.read"
	OpReadRoles           = "roleManagement.read"
	OpReadPolicy          = "policies.authorization.read"
	OpReadApps            = "applications.read"
	OpCreateApp           = "applications.create"
	OpDeleteApp           = "applications.delete"
	OpAppCredentials      = "applications.credentials.update"
	OpUpdatePolicy        = "policies.authorization.update"
	OpAssignRole          = "roleManagement.assign"
	OpReadCA              = "conditionalAccess.read"
	OpWriteCA             = "conditionalAccess.write"
	OpSecurityDefaults    = "policies.securityDefaults.update"
	OpReadSignIns         = "auditLogs.signIns.read"
	OpReadRisk            = "identityProtection.riskyUsers.read"
	OpWriteRisk           = "identityProtection.riskyUsers.update"
	OpReadBranding        = "organization.branding.read"
	OpWriteBranding       = "organization.branding.update"
)

// defaultRule is a default user permission (I-01..I-05): whether a user with
// no directory role may do the operation, under the tenant's policy.
type defaultRule func(p storage.AuthorizationPolicy, userType string) bool

// rule is one row of the permission table.
type rule struct {
	// Actions are resource actions of the role catalogue
	// (directory.BuiltInRoles, custom roles); holding one allows the operation.
	Actions []string
	// AppPermissions are the application permissions that allow it.
	AppPermissions []string
	// Default is the default user permission that allows it, or nil.
	Default defaultRule
	// OwnerMay lets the request reach the directory service, which allows it
	// for an owner of the group (B-30, C-13) and refuses everyone else.
	OwnerMay bool
}

const ns = "microsoft.directory/"

// readOthers: members when the tenant lets users read other users (I-03);
// guests only when guest access is the same as members' (I-05).
func readOthers(p storage.AuthorizationPolicy, userType string) bool {
	if userType == storage.UserTypeGuest {
		return p.GuestAccess == storage.GuestAccessSameAsMembers
	}
	return p.AllowedToReadOtherUsers
}

func memberIf(setting func(storage.AuthorizationPolicy) bool) defaultRule {
	return func(p storage.AuthorizationPolicy, userType string) bool {
		return userType != storage.UserTypeGuest && setting(p)
	}
}

// permissionTable is the one place that says who may do what in the admin
// API (issue 7, C-01, C-11..C-15, I-01..I-05).
var permissionTable = map[string]rule{
	OpListUsers: {Actions: []string{ns + "users/standard/read", ns + "users/basic/update", ns + "users/create"},
		AppPermissions: []string{"User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"}, Default: readOthers},
	OpReadUser: {Actions: []string{ns + "users/standard/read", ns + "users/basic/update", ns + "users/create"},
		AppPermissions: []string{"User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"}, Default: readOthers},
	OpCreateUser: {Actions: []string{ns + "users/create"}, AppPermissions: []string{"User.ReadWrite.All", "Directory.ReadWrite.All"}},
	OpUpdateUser: {Actions: []string{ns + "users/basic/update", ns + "users/enable", ns + "users/disable"},
		AppPermissions: []string{"User.ReadWrite.All", "Directory.ReadWrite.All"}},
	OpDeleteUser: {Actions: []string{ns + "users/delete"}, AppPermissions: []string{"User.ReadWrite.All", "Directory.ReadWrite.All"}},
	OpListGroups: {Actions: []string{ns + "groups/standard/read", ns + "groups/basic/update", ns + "groups/members/update", ns + "groups.roleAssignable/members/update"},
		AppPermissions: []string{"Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All", "GroupMember.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
		Default:        readOthers},
	OpReadGroup: {Actions: []string{ns + "groups/standard/read", ns + "groups/basic/update", ns + "groups/members/update", ns + "groups.roleAssignable/members/update"},
		AppPermissions: []string{"Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All", "GroupMember.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
		Default:        readOthers},
	OpCreateSecurityGroup: {Actions: []string{ns + "groups/create"}, AppPermissions: []string{"Group.ReadWrite.All", "Group.Create", "Directory.ReadWrite.All"},
		Default: memberIf(func(p storage.AuthorizationPolicy) bool { return p.AllowedToCreateSecurityGroups })},
	OpCreateM365Group: {Actions: []string{ns + "groups/create"}, AppPermissions: []string{"Group.ReadWrite.All", "Group.Create", "Directory.ReadWrite.All"},
		Default: memberIf(func(p storage.AuthorizationPolicy) bool { return p.AllowedToCreateM365Groups })},
	OpUpdateGroup: {Actions: []string{ns + "groups/basic/update"}, AppPermissions: []string{"Group.ReadWrite.All", "Directory.ReadWrite.All"}, OwnerMay: true},
	OpDeleteGroup: {Actions: []string{ns + "groups/delete"}, AppPermissions: []string{"Group.ReadWrite.All", "Directory.ReadWrite.All"}, OwnerMay: true},
	OpReadMembers: {Actions: []string{ns + "groups/standard/read", ns + "groups/members/update", ns + "groups.roleAssignable/members/update"},
		AppPermissions: []string{"Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All", "GroupMember.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
		Default:        readOthers},
	// Membership of a role-assignable group needs RoleManagement.ReadWrite.Directory
	// rather than Group.ReadWrite.All (seed 001): the service refuses the latter.
	OpChangeMembers: {Actions: []string{ns + "groups/members/update", ns + "groups.roleAssignable/members/update"},
		AppPermissions: []string{"GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All", "RoleManagement.ReadWrite.Directory"}, OwnerMay: true},
	OpChangeOwners: {Actions: []string{ns + "groups/owners/update", ns + "groups.roleAssignable/owners/update"},
		AppPermissions: []string{"Group.ReadWrite.All", "Directory.ReadWrite.All", "RoleManagement.ReadWrite.Directory"}, OwnerMay: true},
	OpReadAudit: {Actions: []string{ns + "auditLogs/allProperties/read"}, AppPermissions: []string{"AuditLog.Read.All"}},
	// Members read role definitions and assignments like other directory
	// objects (I-03); assigning needs Privileged Role Administrator (C-01).
	OpReadRoles: {Actions: []string{ns + "roleAssignments/allProperties/read", ns + "roleDefinitions/allProperties/read"},
		AppPermissions: []string{"RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory", "Directory.Read.All", "Directory.ReadWrite.All"},
		Default:        readOthers},
	// Members read and, when the tenant lets users register applications,
	// create them (I-01); Application Developer creates them whatever the
	// setting.
	OpReadApps: {Actions: []string{ns + "applications/standard/read", ns + "applications/basic/update", ns + "applications/create"},
		AppPermissions: []string{"Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"}, Default: readOthers},
	OpCreateApp: {Actions: []string{ns + "applications/create"}, AppPermissions: []string{"Application.ReadWrite.All"},
		Default: memberIf(func(p storage.AuthorizationPolicy) bool { return p.AllowedToCreateApps })},
	OpDeleteApp:      {Actions: []string{ns + "applications/delete"}, AppPermissions: []string{"Application.ReadWrite.All"}},
	OpAppCredentials: {Actions: []string{ns + "applications/credentials/update"}, AppPermissions: []string{"Application.ReadWrite.All"}},
	// Every member reads the default user permissions; only a Global
	// Administrator changes them (the service re-checks).
	OpReadPolicy: {Actions: []string{ns + "policies/authorization/read"}, AppPermissions: []string{"Policy.Read.All", "Policy.ReadWrite.Authorization"},
		Default: memberIf(func(storage.AuthorizationPolicy) bool { return true })},
	OpUpdatePolicy: {Actions: []string{ns + "policies/authorization/update"}, AppPermissions: []string{"Policy.ReadWrite.Authorization"}},
	OpAssignRole:   {Actions: []string{ns + "roleAssignments/allProperties/allTasks"}, AppPermissions: []string{"RoleManagement.ReadWrite.Directory"}},
	// Conditional Access (G-05): Conditional Access and Security
	// Administrators change it, Security and Global Readers read it.
	OpReadCA: {Actions: []string{ns + "conditionalAccessPolicies/standard/read"},
		AppPermissions: []string{"Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"}},
	OpWriteCA:          {Actions: []string{ns + "conditionalAccessPolicies/basic/update"}, AppPermissions: []string{"Policy.ReadWrite.ConditionalAccess"}},
	OpSecurityDefaults: {Actions: []string{ns + "policies/securityDefaults/update"}, AppPermissions: []string{"Policy.ReadWrite.ConditionalAccess"}},
	OpReadSignIns:      {Actions: []string{ns + "signInReports/allProperties/read"}, AppPermissions: []string{"AuditLog.Read.All"}},
	OpReadRisk: {Actions: []string{ns + "identityProtection/riskyUsers/standard/read"},
		AppPermissions: []string{"IdentityRiskyUser.Read.All", "IdentityRiskyUser.ReadWrite.All"}},
	OpWriteRisk: {Actions: []string{ns + "identityProtection/riskyUsers/basic/update"}, AppPermissions: []string{"IdentityRiskyUser.ReadWrite.All"}},
	// Company branding (H-01): Organizational Branding Administrators and
	// Global Administrators change it; readers of the directory read it.
	// Apps: OrganizationalBranding.ReadWrite.All, or Graph's higher
	// Organization.ReadWrite.All, change it; Organization.Read.All reads it.
	OpReadBranding: {Actions: []string{ns + "organization/branding/standard/read"},
		AppPermissions: []string{"Organization.Read.All", "Organization.ReadWrite.All", "OrganizationalBranding.Read.All", "OrganizationalBranding.ReadWrite.All"}},
	OpWriteBranding: {Actions: []string{ns + "organization/branding/basic/update"},
		AppPermissions: []string{"OrganizationalBranding.ReadWrite.All", "Organization.ReadWrite.All"}},
}

// appPermissionRoles are the built-in roles whose rights an application
// permission carries into the directory service's own checks.
var appPermissionRoles = map[string][]string{
	"User.ReadWrite.All":                 {directory.RoleUserAdministrator},
	"Group.ReadWrite.All":                {directory.RoleGroupsAdministrator},
	"Group.Create":                       {directory.RoleGroupsAdministrator},
	"GroupMember.ReadWrite.All":          {directory.RoleGroupsAdministrator},
	"Directory.ReadWrite.All":            {directory.RoleUserAdministrator, directory.RoleGroupsAdministrator},
	"RoleManagement.ReadWrite.Directory": {directory.RolePrivilegedRoleAdministrator},
	"Application.ReadWrite.All":          {directory.RoleApplicationAdministrator},
	// Only the policy operations accept this permission, so the actor it
	// yields never reaches another service call.
	"Policy.ReadWrite.Authorization": {directory.RoleGlobalAdministrator},
	// Only the security-defaults operation reaches the directory service.
	"Policy.ReadWrite.ConditionalAccess": {directory.RoleConditionalAccessAdministrator},
}

// AppPermissions lists every application permission some operation of the
// table accepts, sorted: what an operator may grant an app.
func AppPermissions() []string {
	var out []string
	for _, r := range permissionTable {
		for _, p := range r.AppPermissions {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Caller is who calls the API, with what the table needs to decide.
type Caller struct {
	TenantID       string
	App            bool     // an app-only token
	ClientID       string   // the calling application
	UserID         string   // delegated: the signed-in user
	UserName       string   // delegated: the UPN
	UserType       string   // delegated: Member or Guest
	RoleIDs        []string // delegated: effective directory role IDs
	Actions        []string // delegated: resource actions of those roles
	AppPermissions []string // app-only: granted application permissions
	Policy         storage.AuthorizationPolicy
}

// Decision is the table's answer for one operation.
type Decision int

// Decisions: denied, allowed, or allowed as far as the table goes with the
// directory service deciding by ownership.
const (
	Denied Decision = iota
	Allowed
	OwnerCheck
)

// Decide applies the permission table to the caller. It is pure.
func Decide(operation string, c Caller) Decision {
	r, ok := permissionTable[operation]
	if !ok {
		return Denied
	}
	if c.App {
		if slices.ContainsFunc(r.AppPermissions, func(p string) bool { return slices.Contains(c.AppPermissions, p) }) {
			return Allowed
		}
		return Denied
	}
	for _, want := range r.Actions {
		if slices.ContainsFunc(c.Actions, func(held string) bool { return actionGrants(held, want) }) {
			return Allowed
		}
	}
	if r.Default != nil && r.Default(c.Policy, c.UserType) {
		return Allowed
	}
	if r.OwnerMay && c.UserType != storage.UserTypeGuest {
		return OwnerCheck
	}
	return Denied
}

// actionGrants reports whether a held resource action covers the wanted one:
// equal, or a wildcard — allEntities for any entity, allProperties/allTasks
// for anything on the entity, allProperties/read for any read.
func actionGrants(held, want string) bool {
	if held == want {
		return true
	}
	hNS, hEntity, hRest, ok1 := splitAction(held)
	wNS, wEntity, wRest, ok2 := splitAction(want)
	if !ok1 || !ok2 || hNS != wNS || (hEntity != "allEntities" && hEntity != wEntity) {
		return false
	}
	// A sub-entity's wildcard ("organization/branding/allProperties/allTasks")
	// covers that sub-entity's actions only.
	if prefix, ok := strings.CutSuffix(hRest, "allProperties/allTasks"); ok {
		return strings.HasPrefix(wRest, prefix)
	}
	if prefix, ok := strings.CutSuffix(hRest, "allProperties/read"); ok {
		return strings.HasPrefix(wRest, prefix) && strings.HasSuffix(wRest, "read")
	}
	return false
}

func splitAction(a string) (namespace, entity, rest string, ok bool) {
	parts := strings.SplitN(a, "/", 3)
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// actor is the directory.Actor the service re-checks its own rules with.
func (c Caller) actor() directory.Actor {
	if !c.App {
		return directory.Actor{UserID: c.UserID, RoleTemplateIDs: c.RoleIDs}
	}
	var ids []string
	for _, p := range c.AppPermissions {
		ids = append(ids, appPermissionRoles[p]...)
	}
	return directory.Actor{RoleTemplateIDs: ids}
}
