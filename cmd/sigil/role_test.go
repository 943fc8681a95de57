package main

import (
	"slices"
	"strings"
	"testing"
)

func TestRoleCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	tenant := []string{"--tenant", "contoso.example"}
	h.mustRun(append([]string{"user", "create", "--upn", "ann@contoso.example"}, tenant...)...)

	var roles []roleJSON
	h.mustJSON(&roles, append([]string{"role", "list"}, tenant...)...)
	if !slices.ContainsFunc(roles, func(r roleJSON) bool {
		return r.ID == "62e90394-69f5-4237-9190-012177145e10" && r.DisplayName == "Global Administrator" && r.BuiltIn
	}) {
		t.Fatalf("role list lacks Global Administrator: %+v", roles)
	}

	var custom roleJSON
	h.mustJSON(&custom, append([]string{"role", "create", "--name", "Password Resetter",
		"--permission", "microsoft.directory/users/password/update"}, tenant...)...)
	if r := h.run(append([]string{"role", "create", "--name", "Teleporter", "--permission", "microsoft.directory/teleport"}, tenant...)...); r.code != exitError ||
		!strings.Contains(r.stderr, "permissions[0]") {
		t.Errorf("unknown action: exit %d, stderr %q", r.code, r.stderr)
	}

	var assigned roleAssignmentJSON
	h.mustJSON(&assigned, append([]string{"role", "assign", "--role", "User Administrator", "--user", "ann@contoso.example"}, tenant...)...)
	h.mustRun(append([]string{"role", "assign", "--role", "Password Resetter", "--user", "ann@contoso.example"}, tenant...)...)
	if text := h.mustRun(append([]string{"role", "effective", "--user", "ann@contoso.example"}, tenant...)...); !strings.Contains(text, "User Administrator") ||
		!strings.Contains(text, custom.ID) {
		t.Errorf("effective roles: %q", text)
	}
	if r := h.run(append([]string{"role", "assign", "--role", "User Administrator", "--user", "ann@contoso.example", "--group", "g"}, tenant...)...); r.code != exitUsage {
		t.Errorf("--user and --group together: exit %d", r.code)
	}
	if r := h.run(append([]string{"role", "delete", "--role", "Password Resetter"}, tenant...)...); r.code != exitError ||
		!strings.Contains(r.stderr, "still assigned") {
		t.Errorf("deleting an assigned role: exit %d, stderr %q", r.code, r.stderr)
	}

	var eligible eligibilityJSON
	h.mustJSON(&eligible, append([]string{"role", "eligible", "--role", "Global Administrator", "--user", "ann@contoso.example",
		"--max-duration", "2h", "--approval"}, tenant...)...)
	if eligible.MaxDuration != "2h0m0s" || !eligible.ApprovalRequired {
		t.Errorf("eligibility %+v", eligible)
	}
	if r := h.run(append([]string{"role", "approve", "--request", "no-such-request"}, tenant...)...); r.code != exitError ||
		!strings.Contains(r.stderr, "not found") {
		t.Errorf("approving a missing request: exit %d, stderr %q", r.code, r.stderr)
	}
	h.mustRun(append([]string{"role", "remove-eligibility", "--eligibility", eligible.ID}, tenant...)...)
	h.mustRun(append([]string{"role", "unassign", "--assignment", assigned.ID}, tenant...)...)
}

func TestAppRoleCommands(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	tenant := []string{"--tenant", "contoso.example"}
	h.mustRun(append([]string{"user", "create", "--upn", "ann@contoso.example"}, tenant...)...)
	var app appJSON
	h.mustJSON(&app, append([]string{"app", "create", "--name", "Orders", "--redirect-uri", "https://orders.example/cb"}, tenant...)...)
	onApp := append([]string{"--client-id", app.ClientID}, tenant...)

	var role appRoleJSON
	h.mustJSON(&role, append([]string{"approle", "create", "--value", "Orders.Approve", "--name", "Approvers"}, onApp...)...)
	if !role.IsEnabled || !slices.Equal(role.AllowedMemberTypes, []string{"User"}) {
		t.Errorf("created %+v", role)
	}
	if r := h.run(append([]string{"approle", "create", "--value", "Orders.Approve", "--name", "Again"}, onApp...)...); r.code != exitError ||
		!strings.Contains(r.stderr, "already has an app role with this value") {
		t.Errorf("duplicate value: exit %d, stderr %q", r.code, r.stderr)
	}
	var assignment appRoleAssignmentJSON
	h.mustJSON(&assignment, append([]string{"approle", "assign", "--role", role.ID, "--user", "ann@contoso.example"}, onApp...)...)
	h.mustRun(append([]string{"approle", "require-assignment"}, onApp...)...)
	var listed []appRoleAssignmentJSON
	h.mustJSON(&listed, append([]string{"approle", "assignments"}, onApp...)...)
	if len(listed) != 1 || listed[0].ID != assignment.ID {
		t.Errorf("assignments %+v", listed)
	}
	withRole := append([]string{"--role", role.ID}, onApp...)
	if r := h.run(append([]string{"approle", "delete"}, withRole...)...); r.code != exitError ||
		!strings.Contains(r.stderr, "disable the app role before deleting it") {
		t.Errorf("deleting an enabled role: exit %d, stderr %q", r.code, r.stderr)
	}
	h.mustRun(append([]string{"approle", "disable"}, withRole...)...)
	h.mustRun(append([]string{"approle", "delete"}, withRole...)...)
	h.mustJSON(&listed, append([]string{"approle", "assignments"}, onApp...)...)
	if len(listed) != 0 {
		t.Errorf("assignments outlive their role: %+v", listed)
	}
	h.mustRun(append([]string{"approle", "require-assignment", "--off"}, onApp...)...)
}
