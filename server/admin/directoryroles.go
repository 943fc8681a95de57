package admin

import (
	"net/http"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// directoryRoleJSON is Graph's directoryRole: an activated built-in role.
// Sigil has no separate activation step, so a role's ID is its template ID.
func directoryRoleJSON(r directory.BuiltInRole) map[string]any {
	return map[string]any{"id": r.TemplateID, "roleTemplateId": r.TemplateID, "displayName": r.DisplayName, "description": r.Description}
}

// listDirectoryRoles lists the built-in roles that someone holds, as Graph
// lists only activated roles.
func (h *Handler) listDirectoryRoles(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), roleDefinitionFields, "")
	if aerr != nil {
		return aerr
	}
	assignments, err := h.Roles.ListRoleAssignments(r.Context(), c.TenantID, storage.RoleAssignmentFilter{})
	if err != nil {
		return err
	}
	held := map[string]bool{}
	for _, a := range assignments {
		held[a.RoleDefinitionID] = true
	}
	var all []map[string]any
	for _, role := range directory.BuiltInRoles() {
		if obj := directoryRoleJSON(role); held[role.TemplateID] && matches(obj, q.Filter) {
			all = append(all, obj)
		}
	}
	h.writePage(w, r, "directoryRoles", q, all)
	return nil
}

// listDirectoryRoleMembers lists the users and groups assigned the role.
func (h *Handler) listDirectoryRoleMembers(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), directoryObjectFields, "")
	if aerr != nil {
		return aerr
	}
	role, ok := directory.LookupBuiltInRole(r.PathValue("id"))
	if !ok {
		return directory.ErrRoleNotFound
	}
	assignments, err := h.Roles.ListRoleAssignments(r.Context(), c.TenantID, storage.RoleAssignmentFilter{RoleDefinitionID: role.TemplateID})
	if err != nil {
		return err
	}
	members := make([]storage.GroupMember, 0, len(assignments))
	for _, a := range assignments {
		kind := storage.MemberTypeUser
		if a.PrincipalType == storage.PrincipalGroup {
			kind = storage.MemberTypeGroup
		}
		members = append(members, storage.GroupMember{ID: a.PrincipalID, Type: kind})
	}
	objs, err := h.memberObjects(r.Context(), c.TenantID, members)
	if err != nil {
		return err
	}
	h.writePage(w, r, "directoryObjects", q, filtered(objs, q))
	return nil
}
