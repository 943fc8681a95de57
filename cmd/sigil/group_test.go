package main

import (
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
