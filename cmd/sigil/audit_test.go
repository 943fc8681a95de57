package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAuditExportWritesOneJSONLinePerCLIChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	h.mustRun("user", "create", "--tenant", "contoso.example", "--upn", "alice@contoso.example")
	h.mustRun("user", "delete", "--tenant", "contoso.example", "--user", "alice@contoso.example")
	out := h.mustRun("audit", "export", "--tenant", "contoso.example")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var activities []string
	for _, line := range lines {
		var rec struct {
			Activity    string `json:"activityDisplayName"`
			Correlation string `json:"correlationId"`
			InitiatedBy struct {
				User struct {
					UPN string `json:"userPrincipalName"`
				} `json:"user"`
			} `json:"initiatedBy"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		if rec.Correlation == "" || rec.InitiatedBy.User.UPN != "sigil" {
			t.Errorf("record %s lacks a correlation ID or the operator as actor", line)
		}
		activities = append(activities, rec.Activity)
	}
	if strings.Join(activities, ",") != "Delete user,Add user,Add tenant" {
		t.Errorf("activities newest first = %v", activities)
	}
	if r := h.run("audit", "purge", "--older-than", "1h"); r.code != exitUsage {
		t.Errorf("a retention under a day: exit %d", r.code)
	}
	if text := h.mustRun("audit", "purge", "--older-than", "2160h"); !strings.Contains(text, "Deleted 0") {
		t.Errorf("purge of fresh records: %q", text)
	}
}

func TestAPIPermissionGrantListRevoke(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var app struct {
		ClientID string `json:"clientId"`
	}
	h.mustJSON(&app, "app", "create", "--tenant", "contoso.example", "--name", "Automation", "--redirect-uri", "https://automation.example/cb")
	if app.ClientID == "" {
		t.Fatal("no client ID in app create output")
	}
	args := []string{"--tenant", "contoso.example", "--app", app.ClientID}
	h.mustRun(append([]string{"api-permission", "grant", "--permission", "User.Read.All"}, args...)...)
	if r := h.run(append([]string{"api-permission", "grant", "--permission", "User.Read.All"}, args...)...); r.code != exitError {
		t.Errorf("granting twice: exit %d", r.code)
	}
	if r := h.run(append([]string{"api-permission", "grant", "--permission", "Everything.All"}, args...)...); r.code != exitError ||
		!strings.Contains(r.stderr, "not a permission") {
		t.Errorf("unknown permission: exit %d, %q", r.code, r.stderr)
	}
	var perms []string
	h.mustJSON(&perms, append([]string{"api-permission", "list"}, args...)...)
	if len(perms) != 1 || perms[0] != "User.Read.All" {
		t.Errorf("permissions = %v", perms)
	}
	h.mustRun(append([]string{"api-permission", "revoke", "--permission", "User.Read.All"}, args...)...)
	h.mustJSON(&perms, append([]string{"api-permission", "list"}, args...)...)
	if len(perms) != 0 {
		t.Errorf("after revoke: %v", perms)
	}
}
