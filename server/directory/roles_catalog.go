package directory

import "strings"

// BuiltInRole is one of Entra's built-in directory roles (C-02). TemplateID is
// Entra's public role template ID, the value of the `wids` claim; Permissions
// are the resource actions the role grants (C-05).
type BuiltInRole struct {
	TemplateID  string
	DisplayName string
	Description string
	// Privileged roles demand MFA at every sign-in under security defaults
	// (003:3745-3760).
	Privileged  bool
	Permissions []string
}

// Template IDs of the built-in roles Sigil's own rules name.
const (
	RoleGlobalAdministrator                   = "62e90394-69f5-4237-9190-012177145e10"
	RoleGlobalReader                          = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
	RolePrivilegedRoleAdministrator           = "e8611ab8-c189-46e8-94e1-60213ab1f814"
	RolePrivilegedAuthenticationAdministrator = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
	RoleApplicationAdministrator              = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
	RoleCloudApplicationAdministrator         = "158c047a-c907-4556-b7ef-446551a6b5f7"
	RoleUserAdministrator                     = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	RoleGroupsAdministrator                   = "fdd7a751-b60b-444a-984c-02652fe8fa1c"
	RoleHelpdeskAdministrator                 = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
	RoleConditionalAccessAdministrator        = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
	RoleSecurityAdministrator                 = "194ae4cb-b126-40b2-bd5b-6091b380977d"
)

// Resource actions shared by several built-in roles.
const (
	actAll             = "microsoft.directory/allEntities/allProperties/allTasks"
	actReadAll         = "microsoft.directory/allEntities/allProperties/read"
	actUsersBasic      = "microsoft.directory/users/basic/update"
	actUsersCreate     = "microsoft.directory/users/create"
	actUsersDelete     = "microsoft.directory/users/delete"
	actUsersEnable     = "microsoft.directory/users/enable"
	actUsersDisable    = "microsoft.directory/users/disable"
	actUsersPassword   = "microsoft.directory/users/password/update"
	actUsersInvalidate = "microsoft.directory/users/invalidateAllRefreshTokens"
	actUsersAuthMethod = "microsoft.directory/users/authenticationMethods/basic/update"
	actUsersRead       = "microsoft.directory/users/standard/read"
	actGroupsCreate    = "microsoft.directory/groups/create"
	actGroupsDelete    = "microsoft.directory/groups/delete"
	actGroupsBasic     = "microsoft.directory/groups/basic/update"
	actGroupsMembers   = "microsoft.directory/groups/members/update"
	actGroupsOwners    = "microsoft.directory/groups/owners/update"
	actGroupsDynamic   = "microsoft.directory/groups/dynamicMembershipRule/update"
	actRoleGroupsMbrs  = "microsoft.directory/groups.roleAssignable/members/update"
	actRoleGroupsOwns  = "microsoft.directory/groups.roleAssignable/owners/update"
	actAppsCreate      = "microsoft.directory/applications/create"
	actAppsDelete      = "microsoft.directory/applications/delete"
	actAppsBasic       = "microsoft.directory/applications/basic/update"
	actAppsCredentials = "microsoft.directory/applications/credentials/update"
	actAppsAppRoles    = "microsoft.directory/applications/appRoles/update"
	actSPAssignedTo    = "microsoft.directory/servicePrincipals/appRoleAssignedTo/update"
	actSPUpdate        = "microsoft.directory/servicePrincipals/basic/update"
	actRoleAssignments = "microsoft.directory/roleAssignments/allProperties/allTasks"
	actRoleDefinitions = "microsoft.directory/roleDefinitions/allProperties/allTasks"
	actPIMRoles        = "microsoft.directory/privilegedIdentityManagement/allProperties/allTasks"
	actCAPolicies      = "microsoft.directory/conditionalAccessPolicies/allProperties/allTasks"
	actNamedLocations  = "microsoft.directory/namedLocations/allProperties/allTasks"
	actAuthMethodsPol  = "microsoft.directory/authenticationMethodPolicies/allProperties/allTasks"
	actSecDefaults     = "microsoft.directory/policies/securityDefaults/update"
	actAuditLogsRead   = "microsoft.directory/auditLogs/allProperties/read"
	actSignInLogsRead  = "microsoft.directory/signInReports/allProperties/read"
	actRiskyUsers      = "microsoft.directory/identityProtection/riskyUsers/allProperties/allTasks"
	actRiskyUsersRead  = "microsoft.directory/identityProtection/riskyUsers/allProperties/read"
	actCARead          = "microsoft.directory/conditionalAccessPolicies/allProperties/read"
	actBranding        = "microsoft.directory/organization/branding/allProperties/allTasks"
	actOrgBilling      = "microsoft.directory/organization/basic/update"
	actSubscriptions   = "microsoft.directory/subscribedSkus/allProperties/allTasks"
	actAccessReviews   = "microsoft.directory/accessReviews/allProperties/allTasks"
	actEntitlement     = "microsoft.directory/entitlementManagement/allProperties/allTasks"
	actDirSync         = "microsoft.directory/onPremisesSynchronization/standard/read"
	actExchange        = "microsoft.office365.exchange/allEntities/basic/allTasks"
	actSharePoint      = "microsoft.office365.sharePoint/allEntities/allTasks"
	actServiceHealth   = "microsoft.office365.serviceHealth/allEntities/allTasks"
	actSupportTickets  = "microsoft.office365.supportTickets/allEntities/allTasks"
)

// builtInRoles is the catalogue of built-in roles: the sixteen that security
// defaults name (003:3745-3760) and the others the seeds name (C-02).
var builtInRoles = []BuiltInRole{
	{RoleGlobalAdministrator, "Global Administrator", "Can manage all aspects of the directory and the services that use its identities.", true,
		[]string{actAll}},
	{RoleGlobalReader, "Global Reader", "Can read everything a Global Administrator can, but not update anything.", false,
		[]string{actReadAll}},
	{RoleApplicationAdministrator, "Application Administrator", "Can create and manage all aspects of app registrations and enterprise apps.", true,
		[]string{actAppsCreate, actAppsDelete, actAppsBasic, actAppsCredentials, actAppsAppRoles, actSPAssignedTo, actSPUpdate, actAuditLogsRead}},
	{"c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator", "Can view, set and reset authentication method information for non-admin users.", true,
		[]string{actUsersAuthMethod, actUsersPassword, actUsersInvalidate, actUsersRead}},
	{"b0f54661-2d74-4c50-afa3-1ec803f12efe", "Billing Administrator", "Can perform common billing related tasks like updating payment information.", true,
		[]string{actOrgBilling, actSubscriptions, actSupportTickets}},
	{RoleCloudApplicationAdministrator, "Cloud Application Administrator", "Can manage app registrations and enterprise apps except the application proxy.", true,
		[]string{actAppsCreate, actAppsDelete, actAppsBasic, actAppsCredentials, actAppsAppRoles, actSPAssignedTo, actSPUpdate}},
	{RoleConditionalAccessAdministrator, "Conditional Access Administrator", "Can manage Conditional Access capabilities.", true,
		[]string{actCAPolicies, actNamedLocations, actSecDefaults}},
	{"29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", "Can manage all aspects of the Exchange product.", true,
		[]string{actExchange, actGroupsCreate, actGroupsBasic, actGroupsMembers, actServiceHealth}},
	{RoleHelpdeskAdministrator, "Helpdesk Administrator", "Can reset passwords for non-administrators and Helpdesk Administrators.", true,
		[]string{actUsersPassword, actUsersInvalidate, actUsersRead, actSupportTickets}},
	{"966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator", "Can reset passwords for non-administrators and Password Administrators.", true,
		[]string{actUsersPassword}},
	{RolePrivilegedAuthenticationAdministrator, "Privileged Authentication Administrator", "Can view, set and reset authentication method information for any user (admin or non-admin).", true,
		[]string{actUsersAuthMethod, actUsersPassword, actUsersInvalidate, actUsersRead}},
	{RolePrivilegedRoleAdministrator, "Privileged Role Administrator", "Can manage role assignments and all aspects of Privileged Identity Management.", true,
		[]string{actRoleAssignments, actRoleDefinitions, actPIMRoles, actRoleGroupsMbrs, actRoleGroupsOwns, actGroupsCreate}},
	{RoleSecurityAdministrator, "Security Administrator", "Can read security information and reports, and manage configuration in Entra ID and Office 365.", true,
		[]string{actCAPolicies, actNamedLocations, actSecDefaults, actAuditLogsRead, actSignInLogsRead, actAuthMethodsPol, actRiskyUsers}},
	{"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator", "Can manage all aspects of the SharePoint service.", true,
		[]string{actSharePoint, actGroupsCreate, actGroupsBasic, actGroupsMembers, actServiceHealth}},
	{RoleUserAdministrator, "User Administrator", "Can manage all aspects of users and groups, including resetting passwords for limited admins.", true,
		[]string{actUsersCreate, actUsersDelete, actUsersBasic, actUsersEnable, actUsersDisable, actUsersPassword, actUsersInvalidate,
			actGroupsCreate, actGroupsDelete, actGroupsBasic, actGroupsMembers, actGroupsOwners, actGroupsDynamic}},
	{"0526716b-113d-4c15-b2c8-68e3c22b9f80", "Authentication Policy Administrator", "Can create and manage the authentication methods policy, tenant-wide MFA settings and password protection policy.", true,
		[]string{actAuthMethodsPol}},
	{"45d8d3c5-c802-45c6-b32a-1d70b5e1e86e", "Identity Governance Administrator", "Manage access using Microsoft Entra ID for identity governance scenarios.", true,
		[]string{actAccessReviews, actEntitlement}},
	{RoleGroupsAdministrator, "Groups Administrator", "Members of this role can create and manage groups, their settings and memberships.", false,
		[]string{actGroupsCreate, actGroupsDelete, actGroupsBasic, actGroupsMembers, actGroupsOwners, actGroupsDynamic}},
	{"d29b2b05-8046-44ba-8758-1e26182fcf32", "Directory Synchronization Accounts", "Only used by directory synchronization tools.", true,
		[]string{actDirSync, actUsersCreate, actUsersBasic, actUsersDelete, actGroupsCreate, actGroupsMembers}},
	{"92ed04bf-c94a-4b82-9729-b799a7a4c178", "Organizational Branding Administrator", "Manage all aspects of organizational branding in a tenant.", false,
		[]string{actBranding}},
	{"5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader", "Can read security information and reports in Entra ID and Office 365.", false,
		[]string{actAuditLogsRead, actSignInLogsRead, actRiskyUsersRead, actCARead}},
	{"cf1c38e5-3621-4004-a7cb-879624dced7c", "Application Developer", "Can create application registrations independent of the 'Users can register applications' setting.", true,
		[]string{actAppsCreate}},
}

// builtInByID indexes builtInRoles by template ID.
var builtInByID = func() map[string]*BuiltInRole {
	m := make(map[string]*BuiltInRole, len(builtInRoles))
	for i := range builtInRoles {
		m[builtInRoles[i].TemplateID] = &builtInRoles[i]
	}
	return m
}()

// customRoleActions is the set of actions a custom role may hold: every action
// of a built-in role except the tenant-wide wildcards, which only Global
// Administrator and Global Reader carry.
var customRoleActions = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range builtInRoles {
		for _, p := range r.Permissions {
			if !strings.HasPrefix(p, "microsoft.directory/allEntities/") {
				m[p] = true
			}
		}
	}
	return m
}()

// BuiltInRoles returns the catalogue of built-in roles, in a fresh slice.
func BuiltInRoles() []BuiltInRole {
	out := make([]BuiltInRole, len(builtInRoles))
	copy(out, builtInRoles)
	return out
}

// LookupBuiltInRole finds a built-in role by template ID or, case-insensitively,
// by display name.
func LookupBuiltInRole(idOrName string) (BuiltInRole, bool) {
	if r, ok := builtInByID[strings.ToLower(idOrName)]; ok {
		return *r, true
	}
	for _, r := range builtInRoles {
		if strings.EqualFold(r.DisplayName, idOrName) {
			return r, true
		}
	}
	return BuiltInRole{}, false
}
