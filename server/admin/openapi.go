package admin

import "net/http"

// openAPI serves the OpenAPI 3.1 description of what this package serves.
func (h *Handler) openAPI(w http.ResponseWriter, _ *http.Request) {
	paths := map[string]any{}
	for _, p := range apiPaths {
		item, _ := paths[p.path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[p.path] = item
		}
		op := map[string]any{
			"summary": p.summary, "operationId": p.operation,
			"security":  []any{map[string]any{"bearer": []any{}}},
			"responses": responsesFor(p.method),
		}
		if p.permission != "" {
			op["x-sigil-operation"] = p.permission
			r := permissionTable[p.permission]
			op["x-sigil-permissions"] = map[string]any{"directoryRoleActions": r.Actions, "applicationPermissions": r.AppPermissions,
				"defaultUserPermission": r.Default != nil, "groupOwners": r.OwnerMay}
		}
		item[p.method] = op
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Sigil admin API (Microsoft Graph-shaped)", "version": "v1.0",
			"description": "Access tokens: Sigil access tokens with aud " + "00000003-0000-0000-c000-000000000000" +
				" (request it with the audience parameter). Errors: {\"error\":{\"code\",\"message\",\"innerError\":{\"request-id\",\"date\"}}}. " +
				"Lists: $top (1-999), $select, $filter (eq, startswith, in, and), $count=true with ConsistencyLevel: eventual, @odata.nextLink."},
		"servers": []any{map[string]any{"url": h.BaseURL + "/v1.0"}},
		"components": map[string]any{"securitySchemes": map[string]any{
			"bearer": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
		"paths": paths,
	})
}

func responsesFor(method string) map[string]any {
	ok := map[string]string{"get": "200", "post": "201", "patch": "204", "delete": "204", "put": "204"}[method]
	out := map[string]any{ok: map[string]any{"description": "success"}}
	for code, d := range map[string]string{"400": "bad body or query", "401": "missing or invalid token",
		"403": "denied by the permission table", "404": "not found", "409": "duplicate", "412": "stale If-Match"} {
		out[code] = map[string]any{"description": d}
	}
	if method == "put" { // raw uploads (branding streams)
		out["413"] = map[string]any{"description": "larger than the limit"}
		out["415"] = map[string]any{"description": "Content-Type not accepted"}
	}
	return out
}

type apiPath struct{ method, path, operation, permission, summary string }

var apiPaths = []apiPath{
	{"get", "/users", "listUsers", OpListUsers, "List users"},
	{"post", "/users", "createUser", OpCreateUser, "Create a user"},
	{"get", "/users/{id}", "getUser", OpReadUser, "Get a user by ID or UPN"},
	{"patch", "/users/{id}", "updateUser", OpUpdateUser, "Update a user (If-Match)"},
	{"delete", "/users/{id}", "deleteUser", OpDeleteUser, "Delete a user (If-Match)"},
	{"get", "/users/{id}/memberOf", "userMemberOf", OpReadMembers, "Groups the user is a direct member of"},
	{"post", "/users/{id}/checkMemberGroups", "checkMemberGroups", OpReadMembers, "Which of the given groups the user belongs to"},
	{"get", "/groups", "listGroups", OpListGroups, "List groups"},
	{"post", "/groups", "createGroup", OpCreateSecurityGroup, "Create a security or Microsoft 365 (Unified) group"},
	{"get", "/groups/{id}", "getGroup", OpReadGroup, "Get a group"},
	{"patch", "/groups/{id}", "updateGroup", OpUpdateGroup, "Update a group (If-Match)"},
	{"delete", "/groups/{id}", "deleteGroup", OpDeleteGroup, "Delete a group"},
	{"get", "/groups/{id}/members", "listMembers", OpReadMembers, "Direct members"},
	{"get", "/groups/{id}/transitiveMembers", "listTransitiveMembers", OpReadMembers, "Members through nesting"},
	{"get", "/groups/{id}/owners", "listOwners", OpReadMembers, "Owners"},
	{"post", "/groups/{id}/members/$ref", "addMember", OpChangeMembers, "Add a member"},
	{"delete", "/groups/{id}/members/{member}/$ref", "removeMember", OpChangeMembers, "Remove a member"},
	{"post", "/groups/{id}/owners/$ref", "addOwner", OpChangeOwners, "Add an owner"},
	{"delete", "/groups/{id}/owners/{owner}/$ref", "removeOwner", OpChangeOwners, "Remove an owner"},
	{"get", "/auditLogs/directoryAudits", "listDirectoryAudits", OpReadAudit, "Directory audit log, newest first"},
	{"get", "/applications", "listApplications", OpReadApps, "List app registrations"},
	{"post", "/applications", "createApplication", OpCreateApp, "Register an app (web: confidential with a first secret; spa: public)"},
	{"get", "/applications/{id}", "getApplication", OpReadApps, "Get an app registration by appId"},
	{"delete", "/applications/{id}", "deleteApplication", OpDeleteApp, "Delete an app registration"},
	{"post", "/applications/{id}/addPassword", "addPassword", OpAppCredentials, "Add a client secret (shown once)"},
	{"get", "/policies/authorizationPolicy", "getAuthorizationPolicy", OpReadPolicy, "Default user permissions and guest access"},
	{"patch", "/policies/authorizationPolicy", "updateAuthorizationPolicy", OpUpdatePolicy, "Change default user permissions (Global Administrator)"},
	{"get", "/directoryRoles", "listDirectoryRoles", OpReadRoles, "Built-in roles someone holds (id = role template ID)"},
	{"get", "/directoryRoles/{id}/members", "listDirectoryRoleMembers", OpReadRoles, "Users and groups assigned the role"},
	{"get", "/roleManagement/directory/roleDefinitions", "listRoleDefinitions", OpReadRoles, "Built-in and custom directory roles"},
	{"get", "/roleManagement/directory/roleDefinitions/{id}", "getRoleDefinition", OpReadRoles, "One role definition"},
	{"get", "/roleManagement/directory/roleAssignments", "listRoleAssignments", OpReadRoles, "Role assignments"},
	{"get", "/roleManagement/directory/roleAssignments/{id}", "getRoleAssignment", OpReadRoles, "One role assignment"},
	{"post", "/roleManagement/directory/roleAssignments", "createRoleAssignment", OpAssignRole, "Assign a directory role to a user or role-assignable group"},
	{"delete", "/roleManagement/directory/roleAssignments/{id}", "deleteRoleAssignment", OpAssignRole, "Remove a role assignment"},
	{"get", "/identity/conditionalAccess/policies", "listConditionalAccessPolicies", OpReadCA, "List Conditional Access policies"},
	{"post", "/identity/conditionalAccess/policies", "createConditionalAccessPolicy", OpWriteCA, "Create a policy (?force=true overrides the lockout guardrail)"},
	{"get", "/identity/conditionalAccess/policies/{id}", "getConditionalAccessPolicy", OpReadCA, "Get a policy"},
	{"patch", "/identity/conditionalAccess/policies/{id}", "updateConditionalAccessPolicy", OpWriteCA, "Update a policy (?force=true overrides the lockout guardrail)"},
	{"delete", "/identity/conditionalAccess/policies/{id}", "deleteConditionalAccessPolicy", OpWriteCA, "Delete a policy"},
	{"get", "/identity/conditionalAccess/templates", "listConditionalAccessTemplates", OpReadCA, "List the recommended policy templates"},
	{"post", "/identity/conditionalAccess/templates/{id}/instantiate", "instantiateConditionalAccessTemplate", OpWriteCA, "Create a template's policy in report-only state"},
	{"post", "/identity/conditionalAccess/evaluate", "evaluateConditionalAccess", OpReadCA, "What-If: evaluate a hypothetical sign-in"},
	{"get", "/identity/conditionalAccess/namedLocations", "listNamedLocations", OpReadCA, "List named locations"},
	{"post", "/identity/conditionalAccess/namedLocations", "createNamedLocation", OpWriteCA, "Create an IP or country named location"},
	{"get", "/identity/conditionalAccess/namedLocations/{id}", "getNamedLocation", OpReadCA, "Get a named location"},
	{"patch", "/identity/conditionalAccess/namedLocations/{id}", "updateNamedLocation", OpWriteCA, "Replace a named location"},
	{"delete", "/identity/conditionalAccess/namedLocations/{id}", "deleteNamedLocation", OpWriteCA, "Delete a named location no policy uses"},
	{"get", "/policies/identitySecurityDefaultsEnforcementPolicy", "getSecurityDefaults", OpReadCA, "Read the security defaults setting"},
	{"patch", "/policies/identitySecurityDefaultsEnforcementPolicy", "updateSecurityDefaults", OpSecurityDefaults, "Turn security defaults on or off (revokeSessions ends every sign-in)"},
	{"get", "/identityGovernance/termsOfUse/agreements", "listAgreements", OpReadCA, "List terms of use"},
	{"post", "/identityGovernance/termsOfUse/agreements", "createAgreement", OpWriteCA, "Create terms of use"},
	{"patch", "/identityGovernance/termsOfUse/agreements/{id}", "updateAgreement", OpWriteCA, "Change terms of use (new content is a new version)"},
	{"get", "/auditLogs/signIns", "listSignIns", OpReadSignIns, "List sign-ins newest first (status=success|failure)"},
	{"get", "/identityProtection/riskyUsers", "listRiskyUsers", OpReadRisk, "List users at risk"},
	{"post", "/identityProtection/riskyUsers/confirmCompromised", "confirmCompromised", OpWriteRisk, "Confirm users compromised (risk high)"},
	{"post", "/identityProtection/riskyUsers/dismiss", "dismissRisk", OpWriteRisk, "Dismiss users' risk"},
	{"post", "/bulk/{operation}", "submitBulk", "", "Upload a CSV (text/csv): createUsers, deleteUsers, addMembers or removeMembers (?groupId=); 202 with the job"},
	{"get", "/bulk/jobs", "listBulkJobs", "", "Bulk jobs the caller may see, newest first"},
	{"get", "/bulk/jobs/{id}", "getBulkJob", "", "A bulk job's progress"},
	{"get", "/bulk/jobs/{id}/results", "getBulkResults", "", "A bulk job's per-row results (text/csv)"},
	{"get", "/bulk/export/users", "exportUsers", OpListUsers, "Download users (text/csv)"},
	{"get", "/bulk/export/groups", "exportGroups", OpListGroups, "Download groups (text/csv)"},
	{"get", "/bulk/export/groups/{id}/members", "exportGroupMembers", OpReadMembers, "Download a group's members (text/csv)"},
	{"get", "/organization/{id}/branding", "getBranding", OpReadBranding, "The published company branding"},
	{"patch", "/organization/{id}/branding", "updateBranding", OpWriteBranding, "Change the draft's default branding"},
	{"delete", "/organization/{id}/branding", "resetBranding", OpWriteBranding, "Remove every custom setting and localization from the draft (H-26)"},
	{"get", "/organization/{id}/branding/draft", "getBrandingDraft", OpReadBranding, "The draft with its preview URL"},
	{"delete", "/organization/{id}/branding/draft", "discardBrandingDraft", OpWriteBranding, "Discard the draft"},
	{"post", "/organization/{id}/branding/publish", "publishBranding", OpWriteBranding, "Publish the draft to the sign-in pages"},
	{"get", "/organization/{id}/branding/localizations", "listBrandingLocalizations", OpReadBranding, "The draft's localizations"},
	{"post", "/organization/{id}/branding/localizations", "createBrandingLocalization", OpWriteBranding, "Add a localization"},
	{"get", "/organization/{id}/branding/localizations/{locale}", "getBrandingLocalization", OpReadBranding, "One localization"},
	{"patch", "/organization/{id}/branding/localizations/{locale}", "updateBrandingLocalization", OpWriteBranding, "Change a localization"},
	{"delete", "/organization/{id}/branding/localizations/{locale}", "deleteBrandingLocalization", OpWriteBranding, "Delete a localization"},
	{"get", "/organization/{id}/branding/{stream}", "getBrandingStream", OpReadBranding, "An image or the custom CSS"},
	{"put", "/organization/{id}/branding/{stream}", "putBrandingStream", OpWriteBranding, "Upload an image (image/png, image/jpeg) or the custom CSS (text/css)"},
	{"get", "/organization/{id}/branding/localizations/{locale}/{stream}", "getLocalizedBrandingStream", OpReadBranding, "A localization's image or custom CSS"},
	{"put", "/organization/{id}/branding/localizations/{locale}/{stream}", "putLocalizedBrandingStream", OpWriteBranding, "Upload a localization's image or CSS"},
}
