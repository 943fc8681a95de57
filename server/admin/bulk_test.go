package admin_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/bulk"
	"github.com/sigil-idp/sigil/server/servertest"
)

// send posts a raw body with its content type.
func (a *api) send(method, path, contentType, body string) (int, http.Header, string) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.env.Server.URL+path, strings.NewReader(body))
	must(a.t, err)
	req.Header.Set("Authorization", "Bearer "+a.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := a.env.Server.Client().Do(req)
	must(a.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(raw)
}

// TestBulkAPI: a CSV upload becomes a job (202 with its Location); the
// worker processes it; progress and per-row results are read back; the
// permission of the operation applies; bad uploads get Graph errors;
// downloads are CSV (K-01..K-03).
func TestBulkAPI(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		admin := appCaller(t, env, "User.ReadWrite.All", "Group.ReadWrite.All")
		member := userCaller(t, env, env.User.UserPrincipalName)
		csv := "userPrincipalName,displayName,password\nkim@" + env.Domain + ",Kim,Tr0ub4dor&3-kim\nlee@nowhere.test,Lee,Tr0ub4dor&3-lee\n"

		if status, _, _ := member.send("POST", "/v1.0/bulk/createUsers", "text/csv", csv); status != http.StatusForbidden {
			t.Errorf("a member uploads users: %d", status)
		}
		if status, _, _ := admin.send("POST", "/v1.0/bulk/createUsers", "application/json", csv); status != http.StatusUnsupportedMediaType {
			t.Errorf("JSON body: %d", status)
		}
		if status, _, _ := admin.send("POST", "/v1.0/bulk/renameUsers", "text/csv", csv); status != http.StatusNotFound {
			t.Errorf("unknown operation: %d", status)
		}
		if status, _, body := admin.send("POST", "/v1.0/bulk/createUsers", "text/csv", "userPrincipalName\nx@y\n"); status != http.StatusBadRequest ||
			!strings.Contains(body, "displayName") {
			t.Errorf("missing columns: %d %s", status, body)
		}
		if status, _, body := admin.send("POST", "/v1.0/bulk/addMembers?groupId=nope", "text/csv", "memberObjectIdOrUpn\nx\n"); status != http.StatusBadRequest ||
			!strings.Contains(body, "groupId") {
			t.Errorf("unknown group: %d %s", status, body)
		}

		status, header, body := admin.send("POST", "/v1.0/bulk/createUsers", "text/csv", csv)
		if status != http.StatusAccepted || header.Get("Location") == "" || !strings.Contains(body, `"status":"queued"`) {
			t.Fatalf("upload: %d %s", status, body)
		}
		worker := &bulk.Service{Store: env.Store, Directory: env.Directory}
		if did, err := worker.Work(context.Background()); !did || err != nil {
			t.Fatalf("worker: %v %v", did, err)
		}
		jobPath := strings.TrimPrefix(header.Get("Location"), env.Server.URL)
		job := admin.do("GET", jobPath, nil).expect(t, http.StatusOK, "job")
		if job.Body["status"] != "completed" || job.Body["succeededRows"] != float64(1) || job.Body["failedRows"] != float64(1) {
			t.Errorf("job = %s", job.Raw)
		}
		member.do("GET", jobPath, nil).expect(t, http.StatusForbidden, "a member reads the job")
		status, header, body = admin.send("GET", jobPath+"/results", "", "")
		if status != http.StatusOK || !strings.HasPrefix(header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(body, "1,success,") || !strings.Contains(body, "2,failure,,") || !strings.Contains(body, "domain") {
			t.Errorf("results: %d %s\n%s", status, header.Get("Content-Type"), body)
		}
		if list := admin.do("GET", "/v1.0/bulk/jobs", nil).expect(t, http.StatusOK, "jobs"); len(list.Body["value"].([]any)) != 1 {
			t.Errorf("jobs = %s", list.Raw)
		}
		status, _, body = admin.send("GET", "/v1.0/bulk/export/users", "", "")
		if status != http.StatusOK || !strings.Contains(body, "kim@"+env.Domain) || bytes.Count([]byte(body), []byte("\n")) != 3 {
			t.Errorf("users export: %d\n%s", status, body)
		}
		admin.do("GET", "/v1.0/bulk/export/groups/nope/members", nil).expect(t, http.StatusNotFound, "members of an unknown group")
	})
}
