package admin_test

import (
	"net/http"
	"testing"

	"github.com/sigil-idp/sigil/server/servertest"
)

func TestAuthorizationPolicyAPI(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		policyAdmin := appCaller(t, env, "Policy.ReadWrite.Authorization", "AuditLog.Read.All")
		member := userCaller(t, env, env.User.UserPrincipalName)
		got := member.do("GET", "/v1.0/policies/authorizationPolicy", nil).expect(t, http.StatusOK, "members read the policy")
		perms := got.Body["defaultUserRolePermissions"].(map[string]any)
		if perms["allowedToReadOtherUsers"] != true || got.Body["guestUserRoleId"] != "10dae51f-b6af-4016-8d66-8c2a99b929b3" {
			t.Errorf("default policy = %s", got.Raw)
		}
		tag := got.Header.Get("ETag")
		member.do("PATCH", "/v1.0/policies/authorizationPolicy", map[string]any{"allowInvitesFrom": "none"}).
			expect(t, http.StatusForbidden, "members do not change it")
		policyAdmin.do("PATCH", "/v1.0/policies/authorizationPolicy", map[string]any{"guestUserRoleId": "nope"}).
			expect(t, http.StatusBadRequest, "unknown guest role")
		policyAdmin.do("PATCH", "/v1.0/policies/authorizationPolicy", map[string]any{"allowInvitesFrom": "sometimes"}).
			expect(t, http.StatusBadRequest, "unknown invite setting")
		member.do("GET", "/v1.0/users", nil).expect(t, http.StatusOK, "before: members read users (I-03)")
		policyAdmin.do("PATCH", "/v1.0/policies/authorizationPolicy",
			map[string]any{"defaultUserRolePermissions": map[string]any{"allowedToReadOtherUsers": false}}, "If-Match", tag).
			expect(t, http.StatusNoContent, "turn off reading other users")
		policyAdmin.do("PATCH", "/v1.0/policies/authorizationPolicy", map[string]any{"allowInvitesFrom": "none"}, "If-Match", tag).
			expect(t, http.StatusPreconditionFailed, "stale ETag")
		member.do("GET", "/v1.0/users", nil).expect(t, http.StatusForbidden, "after: the API honours the setting")
		a := policyAdmin.do("GET", "/v1.0/auditLogs/directoryAudits?$filter=category+eq+'Policy'", nil).expect(t, http.StatusOK, "audit")
		if v := a.Body["value"].([]any); len(v) != 1 {
			t.Errorf("policy audit records = %s", a.Raw)
		}
	})
}
