package admin

import (
	"net/http"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var roleDefinitionFields = resourceFields{
	Selectable: []string{"id", "displayName", "description", "isBuiltIn", "isEnabled", "templateId", "rolePermissions"},
	Filterable: []string{"id", "displayName", "isBuiltIn", "templateId"},
}

var roleAssignmentFields = resourceFields{
	Selectable: []string{"id", "roleDefinitionId", "principalId", "directoryScopeId", "createdDateTime"},
	Filterable: []string{"id", "roleDefinitionId", "principalId", "directoryScopeId"},
}

// roleDefinitionJSON is Graph's unifiedRoleDefinition.
func roleDefinitionJSON(r directory.Role) map[string]any {
	return map[string]any{
		"id": r.ID, "displayName": r.DisplayName, "description": r.Description, "isBuiltIn": r.BuiltIn,
		"isEnabled": true, "templateId": r.ID,
		"rolePermissions": []map[string]any{{"allowedResourceActions": r.Permissions}},
	}
}

// roleAssignmentJSON is Graph's unifiedRoleAssignment.
func roleAssignmentJSON(a storage.RoleAssignment) map[string]any {
	return map[string]any{
		"id": a.ID, "roleDefinitionId": a.RoleDefinitionID, "principalId": a.PrincipalID,
		"directoryScopeId": a.DirectoryScopeID, "createdDateTime": a.CreatedAt.UTC().Format(time.RFC3339),
	}
}

func (h *Handler) listRoleDefinitions(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), roleDefinitionFields, r.Header.Get("ConsistencyLevel"))
	if aerr != nil {
		return aerr
	}
	roles, err := h.Roles.ListRoles(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	all := make([]map[string]any, 0, len(roles))
	for _, role := range roles {
		if obj := roleDefinitionJSON(role); matches(obj, q.Filter) {
			all = append(all, obj)
		}
	}
	h.writePage(w, r, "roleManagement/directory/roleDefinitions", q, all)
	return nil
}

func (h *Handler) getRoleDefinition(w http.ResponseWriter, r *http.Request, c Caller) error {
	role, err := h.Roles.FindRole(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return err
	}
	h.writeObject(w, http.StatusOK, "roleManagement/directory/roleDefinitions/$entity", "", roleDefinitionJSON(role))
	return nil
}

func (h *Handler) listRoleAssignments(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), roleAssignmentFields, r.Header.Get("ConsistencyLevel"))
	if aerr != nil {
		return aerr
	}
	list, err := h.Roles.ListRoleAssignments(r.Context(), c.TenantID, storage.RoleAssignmentFilter{})
	if err != nil {
		return err
	}
	all := make([]map[string]any, 0, len(list))
	for _, a := range list {
		if obj := roleAssignmentJSON(a); matches(obj, q.Filter) {
			all = append(all, obj)
		}
	}
	h.writePage(w, r, "roleManagement/directory/roleAssignments", q, all)
	return nil
}

func (h *Handler) getRoleAssignment(w http.ResponseWriter, r *http.Request, c Caller) error {
	a, err := h.Store.GetRoleAssignment(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return err
	}
	h.writeObject(w, http.StatusOK, "roleManagement/directory/roleAssignments/$entity", "", roleAssignmentJSON(*a))
	return nil
}

// newRoleAssignmentBody is the body of POST roleAssignments.
type newRoleAssignmentBody struct {
	ODataType        string `json:"@odata.type"`
	RoleDefinitionID string `json:"roleDefinitionId"`
	PrincipalID      string `json:"principalId"`
	DirectoryScopeID string `json:"directoryScopeId"`
}

// createRoleAssignment gives a user or a role-assignable group a directory
// role at the tenant scope (C-04, C-09).
func (h *Handler) createRoleAssignment(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body newRoleAssignmentBody
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	if body.DirectoryScopeID != storage.TenantScope {
		return badRequest("Invalid value. directoryScopeId: only the tenant scope \"/\" is supported.")
	}
	if body.RoleDefinitionID == "" || body.PrincipalID == "" {
		return badRequest("Invalid value. roleDefinitionId and principalId are required.")
	}
	principal, err := h.memberByID(r.Context(), c.TenantID, body.PrincipalID)
	if err != nil {
		return err
	}
	kind := storage.PrincipalUser
	if principal.Type == storage.MemberTypeGroup {
		kind = storage.PrincipalGroup
	}
	a, err := h.Roles.AssignRole(r.Context(), c.actor(), c.TenantID, directory.NewRoleAssignment{
		RoleID: body.RoleDefinitionID, PrincipalID: principal.ID, PrincipalType: kind})
	if err != nil {
		return err
	}
	w.Header().Set("Location", h.BaseURL+"/v1.0/roleManagement/directory/roleAssignments/"+a.ID)
	h.writeObject(w, http.StatusCreated, "roleManagement/directory/roleAssignments/$entity", "", roleAssignmentJSON(*a))
	return nil
}

func (h *Handler) deleteRoleAssignment(w http.ResponseWriter, r *http.Request, c Caller) error {
	return noContent(w, h.Roles.RemoveRoleAssignment(r.Context(), c.actor(), c.TenantID, r.PathValue("id")))
}
