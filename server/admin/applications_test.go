package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/servertest"
)

func TestApplicationsAPI(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		apps := appCaller(t, env, "Application.ReadWrite.All", "AuditLog.Read.All")
		reader := appCaller(t, env, "User.Read.All")
		body := map[string]any{"displayName": "Payroll", "web": map[string]any{"redirectUris": []string{"https://payroll.example/cb"}}}
		reader.do("POST", "/v1.0/applications", body).expect(t, http.StatusForbidden, "User.Read.All registers no apps")
		created := apps.do("POST", "/v1.0/applications", body).expect(t, http.StatusCreated, "create")
		appID := created.Body["appId"].(string)
		creds := created.Body["passwordCredentials"].([]any)
		if len(creds) != 1 || len(creds[0].(map[string]any)["secretText"].(string)) < 32 {
			t.Fatalf("the first secret is not returned once: %s", created.Raw)
		}
		got := apps.do("GET", "/v1.0/applications/"+appID, nil).expect(t, http.StatusOK, "get")
		if strings.Contains(string(got.Raw), "secretText") {
			t.Error("a read returns the secret")
		}
		apps.do("POST", "/v1.0/applications", map[string]any{"displayName": "Bad", "web": map[string]any{"redirectUris": []string{"http://evil.example/cb"}}}).
			expect(t, http.StatusBadRequest, "plain http redirect URI")
		apps.do("POST", "/v1.0/applications", map[string]any{"displayName": "Both", "web": map[string]any{}, "spa": map[string]any{}}).
			expect(t, http.StatusBadRequest, "web and spa")
		apps.do("GET", "/v1.0/applications/00000000-0000-0000-0000-0000000000bb", nil).expect(t, http.StatusNotFound, "unknown app")
		added := apps.do("POST", "/v1.0/applications/"+appID+"/addPassword", nil).expect(t, http.StatusOK, "addPassword")
		if len(added.Body["secretText"].(string)) < 32 {
			t.Errorf("addPassword = %s", added.Raw)
		}
		list := apps.do("GET", "/v1.0/applications?$filter=displayName+eq+'payroll'&$select=appId,displayName", nil).expect(t, http.StatusOK, "list")
		if v := list.Body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["appId"] != appID {
			t.Errorf("list = %s", list.Raw)
		}
		apps.do("DELETE", "/v1.0/applications/"+appID, nil).expect(t, http.StatusNoContent, "delete")
		apps.do("DELETE", "/v1.0/applications/"+appID, nil).expect(t, http.StatusNotFound, "delete twice")
		a := apps.do("GET", "/v1.0/auditLogs/directoryAudits?$filter=category+eq+'ApplicationManagement'&$top=50", nil).expect(t, http.StatusOK, "audit")
		var seen []string
		for _, v := range a.Body["value"].([]any) {
			rec := v.(map[string]any)
			if rec["targetResources"].([]any)[0].(map[string]any)["id"] == appID {
				seen = append(seen, rec["activityDisplayName"].(string))
			}
		}
		if len(seen) != 3 || strings.Contains(string(a.Raw), added.Body["secretText"].(string)) {
			t.Errorf("audit of the app = %v (and never a secret)", seen)
		}
	})
}
