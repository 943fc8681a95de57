package admin_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
)

func TestRoleManagementAPI(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		pra := appCaller(t, env, "RoleManagement.ReadWrite.Directory")
		groupsApp := appCaller(t, env, "Group.ReadWrite.All")
		auditor := appCaller(t, env, "AuditLog.Read.All")
		defs := pra.do("GET", "/v1.0/roleManagement/directory/roleDefinitions?$filter="+
			"displayName+eq+'User+Administrator'&$select=id,displayName,isBuiltIn", nil).expect(t, http.StatusOK, "definitions")
		v := defs.Body["value"].([]any)
		if len(v) != 1 || v[0].(map[string]any)["id"] != directory.RoleUserAdministrator || v[0].(map[string]any)["isBuiltIn"] != true {
			t.Fatalf("role definitions = %s", defs.Raw)
		}
		pra.do("GET", "/v1.0/roleManagement/directory/roleDefinitions/"+directory.RoleGlobalAdministrator, nil).expect(t, http.StatusOK, "one definition")
		pra.do("GET", "/v1.0/roleManagement/directory/roleDefinitions/no-such-role", nil).expect(t, http.StatusNotFound, "unknown role")

		body := map[string]any{"@odata.type": "#microsoft.graph.unifiedRoleAssignment", "roleDefinitionId": directory.RoleUserAdministrator,
			"principalId": env.User.ID, "directoryScopeId": "/"}
		groupsApp.do("POST", "/v1.0/roleManagement/directory/roleAssignments", body).expect(t, http.StatusForbidden, "Group.ReadWrite.All assigns no roles")
		created := pra.do("POST", "/v1.0/roleManagement/directory/roleAssignments", body).expect(t, http.StatusCreated, "assign")
		pra.do("POST", "/v1.0/roleManagement/directory/roleAssignments", body).expect(t, http.StatusConflict, "assign twice")
		pra.do("POST", "/v1.0/roleManagement/directory/roleAssignments", map[string]any{"roleDefinitionId": directory.RoleUserAdministrator,
			"principalId": env.User.ID, "directoryScopeId": "/administrativeUnits/x"}).expect(t, http.StatusBadRequest, "unsupported scope")
		g, err := env.Directory.CreateGroup(context.Background(), directory.Actor{System: true}, env.Tenant.ID, directory.NewGroup{DisplayName: "Ordinary"})
		must(t, err)
		pra.do("POST", "/v1.0/roleManagement/directory/roleAssignments", map[string]any{"roleDefinitionId": directory.RoleUserAdministrator,
			"principalId": g.ID, "directoryScopeId": "/"}).expect(t, http.StatusBadRequest, "a group that is not role-assignable (C-09)")

		id := created.Body["id"].(string)
		active := pra.do("GET", "/v1.0/directoryRoles", nil).expect(t, http.StatusOK, "directoryRoles")
		if ids := idsOf(active.Body); len(ids) != 1 || ids[0] != directory.RoleUserAdministrator {
			t.Errorf("activated roles = %v, want only User Administrator", ids)
		}
		holders := pra.do("GET", "/v1.0/directoryRoles/"+directory.RoleUserAdministrator+"/members", nil).expect(t, http.StatusOK, "role members")
		if ids := idsOf(holders.Body); len(ids) != 1 || ids[0] != env.User.ID {
			t.Errorf("role members = %v", ids)
		}
		pra.do("GET", "/v1.0/directoryRoles/not-a-role/members", nil).expect(t, http.StatusNotFound, "unknown role")
		list := pra.do("GET", "/v1.0/roleManagement/directory/roleAssignments?$filter=principalId+eq+'"+env.User.ID+"'", nil).expect(t, http.StatusOK, "list")
		if v := list.Body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["id"] != id {
			t.Errorf("assignments of the user = %s", list.Raw)
		}
		pra.do("DELETE", "/v1.0/roleManagement/directory/roleAssignments/"+id, nil).expect(t, http.StatusNoContent, "remove")
		pra.do("GET", "/v1.0/roleManagement/directory/roleAssignments/"+id, nil).expect(t, http.StatusNotFound, "removed")

		audits := auditor.do("GET", "/v1.0/auditLogs/directoryAudits?$filter=category+eq+'RoleManagement'", nil).expect(t, http.StatusOK, "audits")
		if v := audits.Body["value"].([]any); len(v) != 2 {
			t.Errorf("role management records = %s", audits.Raw)
		}
	})
}
