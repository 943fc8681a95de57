package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
)

var system = directory.Actor{System: true}

const caPath = "/v1.0/identity/conditionalAccess/"

func mfaPolicyBody(name, state string) map[string]any {
	return map[string]any{"displayName": name, "state": state,
		"conditions": map[string]any{"users": map[string]any{"includeUsers": []string{"All"}},
			"applications": map[string]any{"includeApplications": []string{"All"}}},
		"grantControls": map[string]any{"operator": "OR", "builtInControls": []string{"mfa"}}}
}

func errorMessage(r response) string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

func assignGlobalAdmin(t *testing.T, env *servertest.Env, userID string) {
	t.Helper()
	roles := &directory.Roles{Store: env.Store, Groups: directory.StoreGroups{Store: env.Store}}
	_, err := roles.AssignRole(context.Background(), system, env.Tenant.ID, directory.NewRoleAssignment{
		RoleID: directory.RoleGlobalAdministrator, PrincipalID: userID, PrincipalType: storage.PrincipalUser})
	must(t, err)
}

// TestConditionalAccessPolicyAPI: policies in Graph's shape with field-level
// validation, the lockout guardrail and its override, mutual exclusion with
// security defaults (F-17), named locations that policies reference,
// templates in report-only state (G-19), permissions and audit (G-05).
func TestConditionalAccessPolicyAPI(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		ca := appCaller(t, env, "Policy.ReadWrite.ConditionalAccess", "AuditLog.Read.All")
		member := userCaller(t, env, env.User.UserPrincipalName)
		member.do("GET", caPath+"policies", nil).expect(t, http.StatusForbidden, "members do not read policies")

		bad := mfaPolicyBody("Bad", "enabled")
		bad["conditions"].(map[string]any)["clientAppTypes"] = []string{"fax"}
		r := ca.do("POST", caPath+"policies", bad).expect(t, http.StatusBadRequest, "unknown client app type")
		if !strings.Contains(errorMessage(r), `conditions.clientAppTypes[0]: "fax"`) {
			t.Errorf("message %q does not name the field", errorMessage(r))
		}
		device := mfaPolicyBody("Device", "enabled")
		device["grantControls"] = map[string]any{"operator": "OR", "builtInControls": []string{"compliantDevice"}}
		if r := ca.do("POST", caPath+"policies", device).expect(t, http.StatusBadRequest, "compliant device"); !strings.Contains(errorMessage(r), "no device management") {
			t.Errorf("compliant device: %q", errorMessage(r))
		}
		ca.do("POST", caPath+"policies", `{"displayName":`).expect(t, http.StatusBadRequest, "broken JSON")

		created := ca.do("POST", caPath+"policies", mfaPolicyBody("MFA for everyone", "enabled")).expect(t, http.StatusCreated, "create")
		id, _ := created.Body["id"].(string)
		if id == "" || created.Body["createdDateTime"] == nil {
			t.Fatalf("created = %s", created.Raw)
		}
		ca.do("PATCH", caPath+"policies/"+id, map[string]any{"state": "enabledForReportingButNotEnforced"}).expect(t, http.StatusNoContent, "patch state")
		got := ca.do("GET", caPath+"policies/"+id, nil).expect(t, http.StatusOK, "get")
		if got.Body["state"] != "enabledForReportingButNotEnforced" || got.Body["grantControls"] == nil {
			t.Errorf("after patch: %s", got.Raw)
		}
		ca.do("GET", caPath+"policies/00000000-0000-0000-0000-00000000dead", nil).expect(t, http.StatusNotFound, "unknown policy")

		// Guardrail: blocking every Global Administrator needs an exclusion or force.
		assignGlobalAdmin(t, env, env.User.ID)
		block := mfaPolicyBody("Block everyone", "enabled")
		block["grantControls"] = map[string]any{"operator": "OR", "builtInControls": []string{"block"}}
		if r := ca.do("POST", caPath+"policies", block).expect(t, http.StatusBadRequest, "lockout"); !strings.Contains(errorMessage(r), "emergency-access") {
			t.Errorf("lockout message: %q", errorMessage(r))
		}
		forced := ca.do("POST", caPath+"policies?force=true", block).expect(t, http.StatusCreated, "forced")
		ca.do("DELETE", caPath+"policies/"+forced.Body["id"].(string), nil).expect(t, http.StatusNoContent, "delete")

		// Security defaults and enabled policies exclude each other.
		ca.do("PATCH", caPath+"policies/"+id, map[string]any{"state": "enabled"}).expect(t, http.StatusNoContent, "enable")
		sd := "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy"
		if r := ca.do("PATCH", sd, map[string]any{"isEnabled": true}).expect(t, http.StatusBadRequest, "defaults next to a policy"); !strings.Contains(errorMessage(r), "MFA for everyone") {
			t.Errorf("coexistence message: %q", errorMessage(r))
		}
		ca.do("PATCH", caPath+"policies/"+id, map[string]any{"state": "disabled"}).expect(t, http.StatusNoContent, "disable")
		on := ca.do("PATCH", sd, map[string]any{"isEnabled": true, "revokeSessions": true}).expect(t, http.StatusOK, "enable defaults")
		if on.Body["isEnabled"] != true {
			t.Errorf("security defaults = %s", on.Raw)
		}
		if r := ca.do("POST", caPath+"policies", mfaPolicyBody("Too early", "enabled")).expect(t, http.StatusBadRequest, "policy next to defaults"); !strings.Contains(errorMessage(r), "security defaults") {
			t.Errorf("message: %q", errorMessage(r))
		}
		ca.do("POST", caPath+"policies", mfaPolicyBody("Prepared", "enabledForReportingButNotEnforced")).expect(t, http.StatusCreated, "report-only next to defaults")

		// Named locations.
		ca.do("POST", caPath+"namedLocations", map[string]any{"@odata.type": "#microsoft.graph.ipNamedLocation", "displayName": "HQ",
			"ipRanges": []map[string]any{{"cidrAddress": "10.0.0.0/33"}}}).expect(t, http.StatusBadRequest, "bad CIDR")
		loc := ca.do("POST", caPath+"namedLocations", map[string]any{"@odata.type": "#microsoft.graph.ipNamedLocation", "displayName": "HQ",
			"isTrusted": true, "ipRanges": []map[string]any{{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "192.0.2.0/24"}}}).
			expect(t, http.StatusCreated, "create location")
		locID := loc.Body["id"].(string)
		unknown := mfaPolicyBody("Unknown location", "disabled")
		unknown["conditions"].(map[string]any)["locations"] = map[string]any{"includeLocations": []string{"nope"}}
		ca.do("POST", caPath+"policies", unknown).expect(t, http.StatusBadRequest, "unknown location")
		uses := mfaPolicyBody("Outside HQ", "disabled")
		uses["conditions"].(map[string]any)["locations"] = map[string]any{"includeLocations": []string{"All"}, "excludeLocations": []string{locID}}
		ca.do("POST", caPath+"policies", uses).expect(t, http.StatusCreated, "policy using the location")
		if r := ca.do("DELETE", caPath+"namedLocations/"+locID, nil).expect(t, http.StatusBadRequest, "location in use"); !strings.Contains(errorMessage(r), "Outside HQ") {
			t.Errorf("in-use message: %q", errorMessage(r))
		}

		// Templates, report-only.
		tmpl := ca.do("GET", caPath+"templates", nil).expect(t, http.StatusOK, "templates")
		if n := len(tmpl.Body["value"].([]any)); n != 5 {
			t.Errorf("%d templates", n)
		}
		inst := ca.do("POST", caPath+"templates/block-legacy-authentication/instantiate", nil).expect(t, http.StatusCreated, "instantiate")
		if inst.Body["state"] != "enabledForReportingButNotEnforced" {
			t.Errorf("template policy state %v", inst.Body["state"])
		}
		ca.do("POST", caPath+"templates/nope/instantiate", nil).expect(t, http.StatusNotFound, "unknown template")

		audits := ca.do("GET", "/v1.0/auditLogs/directoryAudits?$filter="+url.QueryEscape("category eq 'Policy'"), nil).expect(t, http.StatusOK, "audit")
		activities := map[string]bool{}
		for _, a := range audits.Body["value"].([]any) {
			activities[a.(map[string]any)["activityDisplayName"].(string)] = true
		}
		for _, want := range []string{"Add conditional access policy", "Update conditional access policy", "Delete conditional access policy",
			"Add conditional access policy (lockout guardrail overridden)", "Update security defaults", "Add named location"} {
			if !activities[want] {
				t.Errorf("no audit record %q in %v", want, activities)
			}
		}
	})
}

// TestWhatIfAndSignInLogAPI: What-If answers with the sign-in's own code
// (G-22): every policy with its result and reasons, and the controls; the
// sign-in log lists real sign-ins with their policy results, filtered and
// keyset-paged (G-29); risky users can be confirmed and dismissed (G-12).
func TestWhatIfAndSignInLogAPI(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		ca := appCaller(t, env, "Policy.ReadWrite.ConditionalAccess", "AuditLog.Read.All", "IdentityRiskyUser.ReadWrite.All")
		loc := ca.do("POST", caPath+"namedLocations", map[string]any{"@odata.type": "#microsoft.graph.ipNamedLocation", "displayName": "Embargoed range",
			"ipRanges": []map[string]any{{"cidrAddress": "203.0.113.0/24"}}}).expect(t, http.StatusCreated, "location")
		block := mfaPolicyBody("Block the embargoed range", "enabled")
		block["conditions"].(map[string]any)["locations"] = map[string]any{"includeLocations": []string{loc.Body["id"].(string)}}
		block["grantControls"] = map[string]any{"operator": "OR", "builtInControls": []string{"block"}}
		policyID := ca.do("POST", caPath+"policies", block).expect(t, http.StatusCreated, "policy").Body["id"].(string)
		ca.do("POST", caPath+"policies", mfaPolicyBody("MFA (report-only)", "enabledForReportingButNotEnforced")).expect(t, http.StatusCreated, "report-only")

		whatIf := func(ip string) response {
			return ca.do("POST", caPath+"evaluate", map[string]any{"userId": env.User.UserPrincipalName, "appId": env.Web.ID, "ipAddress": ip}).
				expect(t, http.StatusOK, "what-if from "+ip)
		}
		blocked := whatIf("203.0.113.9")
		controls := blocked.Body["controls"].(map[string]any)
		first := blocked.Body["value"].([]any)[0].(map[string]any)
		if controls["block"] != true || controls["blockedBy"] != policyID || first["result"] != "failure" ||
			!strings.Contains(strings.Join(toStrings(first["analysisReasons"]), "\n"), "203.0.113.9 is in included location") {
			t.Errorf("what-if from the embargoed range: %s", blocked.Raw)
		}
		free := whatIf("198.51.100.1")
		reasons := strings.Join(toStrings(free.Body["value"].([]any)[0].(map[string]any)["analysisReasons"]), "\n")
		second := free.Body["value"].([]any)[1].(map[string]any)
		if free.Body["controls"].(map[string]any)["block"] != false || !strings.Contains(reasons, "in no included location") ||
			second["result"] != "reportOnlyInterrupted" {
			t.Errorf("what-if from elsewhere: %s", free.Raw)
		}
		ca.do("POST", caPath+"evaluate", map[string]any{"userId": "nobody@nowhere.test"}).expect(t, http.StatusNotFound, "unknown user")
		ca.do("POST", caPath+"evaluate", map[string]any{"userId": env.User.ID, "servicePrincipalId": env.Web.ID}).expect(t, http.StatusBadRequest, "both")
		ca.do("POST", caPath+"evaluate", map[string]any{"userId": env.User.ID, "ipAddress": "not-an-ip"}).expect(t, http.StatusBadRequest, "bad IP")

		for range 2 {
			userCaller(t, env, env.User.UserPrincipalName)
		}
		filter := "/v1.0/auditLogs/signIns?$top=1&$filter=" + url.QueryEscape("userId eq '"+env.User.ID+"'")
		page := ca.do("GET", filter, nil).expect(t, http.StatusOK, "sign-ins")
		rows := page.Body["value"].([]any)
		next, _ := page.Body["@odata.nextLink"].(string)
		if len(rows) != 1 || next == "" {
			t.Fatalf("first page: %s", page.Raw)
		}
		row := rows[0].(map[string]any)
		applied := row["appliedConditionalAccessPolicies"].([]any)
		if row["status"].(map[string]any)["errorCode"] != float64(0) || row["isInteractive"] != true || len(applied) != 2 ||
			applied[0].(map[string]any)["result"] != "notApplied" || row["ipAddress"] != "127.0.0.1" {
			t.Errorf("sign-in row: %s", page.Raw)
		}
		u, err := url.Parse(next)
		must(t, err)
		second2 := ca.do("GET", u.RequestURI(), nil).expect(t, http.StatusOK, "next page")
		if r2 := second2.Body["value"].([]any); len(r2) != 1 || r2[0].(map[string]any)["id"] == row["id"] {
			t.Errorf("second page: %s", second2.Raw)
		}
		ca.do("GET", "/v1.0/auditLogs/signIns?$skiptoken=forged.token", nil).expect(t, http.StatusBadRequest, "forged skip token")
		ca.do("GET", "/v1.0/auditLogs/signIns?status=sometimes", nil).expect(t, http.StatusBadRequest, "bad status")

		ca.do("POST", "/v1.0/identityProtection/riskyUsers/confirmCompromised", map[string]any{"userIds": []string{env.User.ID}}).
			expect(t, http.StatusNoContent, "confirm compromised")
		risky := ca.do("GET", "/v1.0/identityProtection/riskyUsers", nil).expect(t, http.StatusOK, "risky users")
		if v := risky.Body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["riskLevel"] != "high" {
			t.Errorf("risky users: %s", risky.Raw)
		}
		ca.do("POST", "/v1.0/identityProtection/riskyUsers/dismiss", map[string]any{"userIds": []string{"nobody"}}).expect(t, http.StatusNotFound, "unknown user")
		ca.do("POST", "/v1.0/identityProtection/riskyUsers/dismiss", map[string]any{"userIds": []string{env.User.ID}}).expect(t, http.StatusNoContent, "dismiss")
		if v := ca.do("GET", "/v1.0/identityProtection/riskyUsers", nil).Body["value"].([]any); len(v) != 0 {
			t.Errorf("risky after dismissal: %v", v)
		}
	})
}

func toStrings(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}
