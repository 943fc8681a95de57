package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGroupCommandsManageNestingAndMemberOfRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	tenant := []string{"--tenant", "contoso.example"}
	var alice userJSON
	h.mustJSON(&alice, append([]string{"user", "create", "--upn", "alice@contoso.example"}, tenant...)...)
	var sales, admins, union groupJSON
	h.mustJSON(&sales, append([]string{"group", "create", "--name", "Sales"}, tenant...)...)
	h.mustJSON(&admins, append([]string{"group", "create", "--name", "Admins", "--role-assignable"}, tenant...)...)
	if !admins.IsAssignableToRole || admins.MembershipType != "Assigned" || sales.GroupType != "Security" {
		t.Fatalf("created %+v and %+v", sales, admins)
	}
	h.mustRun(append([]string{"group", "add-member", "--group", sales.ID, "--user", "alice@contoso.example"}, tenant...)...)
	r := h.run(append([]string{"group", "add-member", "--group", admins.ID, "--member-group", sales.ID}, tenant...)...)
	if r.code != exitError || !strings.Contains(r.stderr, "C-16") {
		t.Errorf("nesting into a role-assignable group: exit %d, stderr %q", r.code, r.stderr)
	}

	rule := `user.memberOf -any (group.objectId -in ["` + sales.ID + `"])`
	var preview struct {
		Add     []string `json:"add"`
		Members int      `json:"members"`
	}
	h.mustJSON(&preview, append([]string{"group", "preview-rule", "--rule", rule}, tenant...)...)
	if len(preview.Add) != 1 || preview.Add[0] != alice.ID || preview.Members != 1 {
		t.Errorf("preview = %+v; want alice added", preview)
	}
	h.mustJSON(&union, append([]string{"group", "create", "--name", "Union", "--rule", rule}, tenant...)...)
	var members []struct{ ID, Type string }
	h.mustJSON(&members, append([]string{"group", "members", "--group", union.ID}, tenant...)...)
	if len(members) != 1 || members[0].ID != alice.ID {
		t.Errorf("memberOf group members = %+v; want alice", members)
	}
	var stats struct{ Groups, Users, Added, Removed int }
	h.mustJSON(&stats, append([]string{"group", "reevaluate"}, tenant...)...)
	if stats.Groups != 1 || stats.Added+stats.Removed != 0 {
		t.Errorf("reevaluate = %+v; want one group and nothing to change", stats)
	}
	r = h.run(append([]string{"group", "set-rule", "--group", admins.ID, "--rule", `user.city -eq "Oslo"`}, tenant...)...)
	if r.code != exitError || !strings.Contains(r.stderr, "C-12") {
		t.Errorf("dynamic rule on a role-assignable group: exit %d, stderr %q", r.code, r.stderr)
	}
	r = h.run(append([]string{"group", "create", "--name", "Bad", "--rule", `user.city -eqq "Oslo"`}, tenant...)...)
	if r.code != exitError || !strings.Contains(r.stderr, "column 11") {
		t.Errorf("bad rule: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := h.run(append([]string{"group", "add-member", "--group", sales.ID}, tenant...)...); r.code != exitUsage {
		t.Errorf("add-member without a member: exit %d", r.code)
	}
}

// TestBulkImportAndExport: `sigil bulk import` runs an upload through the
// bulk service and prints each row's result; `sigil bulk export` prints CSV.
func TestBulkImportAndExport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	file := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(file, []byte("userPrincipalName,displayName,password\nkim@contoso.example,Kim,Tr0ub4dor&3-kim\nlee@elsewhere.example,Lee,Tr0ub4dor&3-lee\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := h.mustRun("bulk", "import", "--tenant", "contoso.example", "--operation", "createUsers", "--file", file)
	if !strings.Contains(out, "1,success,") || !strings.Contains(out, "2,failure,") {
		t.Errorf("import results:\n%s", out)
	}
	if out := h.mustRun("bulk", "export", "--tenant", "contoso.example", "--what", "users"); !strings.Contains(out, "kim@contoso.example") {
		t.Errorf("export:\n%s", out)
	}
	if r := h.run("bulk", "import", "--tenant", "contoso.example", "--operation", "renameUsers", "--file", file); r.code == 0 ||
		!strings.Contains(r.stderr, "not a bulk operation") {
		t.Errorf("unknown operation: exit %d, %q", r.code, r.stderr)
	}
}
