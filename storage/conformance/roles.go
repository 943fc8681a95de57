package conformance

import (
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("roles", testRoles) }

func testRoles(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates a custom role and reads it back (C-06)", roleDefinitionRoundTrip},
		{"refuses a second custom role with the same name in any case", roleDefinitionDuplicateName},
		{"hides a custom role from another tenant (A-02)", roleDefinitionTenantIsolation},
		{"updates and deletes a custom role", roleDefinitionUpdateDelete},
		{"refuses the same role twice for a principal at a scope", roleAssignmentDuplicate},
		{"filters role assignments by role and by principal", roleAssignmentFilter},
		{"sums direct, group and active PIM roles into effective roles (C-03, C-17)", roleEffective},
		{"counts a PIM activation only inside its window (C-22)", roleEffectiveWindow},
		{"drops a group-eligible activation once the user leaves the group (C-17, C-20)", roleEffectiveGroupActivation},
		{"lets one of two concurrent approvers decide an activation (C-25)", roleActivationRace},
		{"removes activations with their eligibility", roleEligibilityCascade},
	})
}

const (
	globalAdminID = "62e90394-69f5-4237-9190-012177145e10"
	userAdminID   = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	groupsAdminID = "fdd7a751-b60b-444a-984c-02652fe8fa1c"
)

func newRoleDefinition(tenantID, name string) *storage.RoleDefinition {
	return &storage.RoleDefinition{
		ID: newID(), TenantID: tenantID, DisplayName: name, Description: "Resets passwords",
		Permissions: []string{"microsoft.directory/users/password/update", "microsoft.directory/users/basic/update"},
		CreatedAt:   time.Now().In(farOffZone),
	}
}

func newRoleAssignment(tenantID, roleID, principalID, principalType string) *storage.RoleAssignment {
	return &storage.RoleAssignment{
		ID: newID(), TenantID: tenantID, RoleDefinitionID: roleID, PrincipalID: principalID,
		PrincipalType: principalType, DirectoryScopeID: storage.TenantScope,
	}
}

func roleDefinitionRoundTrip(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	in := newRoleDefinition(tenant.ID, "Password Resetter")
	mustNil(t, s.CreateRoleDefinition(ctx, in), "CreateRoleDefinition")
	got, err := s.GetRoleDefinition(ctx, tenant.ID, in.ID)
	mustNil(t, err, "GetRoleDefinition")
	if got.DisplayName != in.DisplayName || got.Description != in.Description {
		t.Errorf("got %+v, want %+v", got, in)
	}
	sameStrings(t, got.Permissions, in.Permissions, "Permissions")
	sameTime(t, got.CreatedAt, in.CreatedAt, "CreatedAt")
	list, err := s.ListRoleDefinitions(ctx, tenant.ID)
	mustNil(t, err, "ListRoleDefinitions")
	if len(list) != 1 || list[0].ID != in.ID {
		t.Errorf("list = %+v", list)
	}
}

func roleDefinitionDuplicateName(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	mustNil(t, s.CreateRoleDefinition(ctx, newRoleDefinition(tenant.ID, "Password Resetter")), "first")
	err := s.CreateRoleDefinition(ctx, newRoleDefinition(tenant.ID, "PASSWORD resetter"))
	mustIs(t, err, storage.ErrAlreadyExists, "same name, other case")
	other := seedTenant(t, s, "fabrikam")
	mustNil(t, s.CreateRoleDefinition(ctx, newRoleDefinition(other.ID, "Password Resetter")), "other tenant")
}

func roleDefinitionTenantIsolation(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	other := seedTenant(t, s, "fabrikam")
	in := newRoleDefinition(tenant.ID, "Password Resetter")
	mustNil(t, s.CreateRoleDefinition(ctx, in), "CreateRoleDefinition")
	_, err := s.GetRoleDefinition(ctx, other.ID, in.ID)
	mustIs(t, err, storage.ErrNotFound, "get from another tenant")
	mustIs(t, s.DeleteRoleDefinition(ctx, other.ID, in.ID), storage.ErrNotFound, "delete from another tenant")
	list, err := s.ListRoleDefinitions(ctx, other.ID)
	mustNil(t, err, "ListRoleDefinitions")
	if len(list) != 0 {
		t.Errorf("other tenant lists %+v", list)
	}
}

func roleDefinitionUpdateDelete(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	in := newRoleDefinition(tenant.ID, "Password Resetter")
	mustNil(t, s.CreateRoleDefinition(ctx, in), "CreateRoleDefinition")
	in.DisplayName, in.Permissions = "Reader", []string{"microsoft.directory/users/standard/read"}
	mustNil(t, s.UpdateRoleDefinition(ctx, in), "UpdateRoleDefinition")
	got, err := s.GetRoleDefinition(ctx, tenant.ID, in.ID)
	mustNil(t, err, "GetRoleDefinition")
	if got.DisplayName != "Reader" {
		t.Errorf("name = %q", got.DisplayName)
	}
	sameStrings(t, got.Permissions, in.Permissions, "Permissions")
	mustNil(t, s.DeleteRoleDefinition(ctx, tenant.ID, in.ID), "DeleteRoleDefinition")
	_, err = s.GetRoleDefinition(ctx, tenant.ID, in.ID)
	mustIs(t, err, storage.ErrNotFound, "after delete")
	in.ID = newID()
	mustIs(t, s.UpdateRoleDefinition(ctx, in), storage.ErrNotFound, "update missing")
}

func roleAssignmentDuplicate(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	mustNil(t, s.CreateRoleAssignment(ctx, newRoleAssignment(tenant.ID, userAdminID, user.ID, storage.PrincipalUser)), "first")
	err := s.CreateRoleAssignment(ctx, newRoleAssignment(tenant.ID, userAdminID, user.ID, storage.PrincipalUser))
	mustIs(t, err, storage.ErrAlreadyExists, "second")
}

func roleAssignmentFilter(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	bob := seedUser(t, s, tenant.ID, "bob@contoso.example")
	a1 := newRoleAssignment(tenant.ID, userAdminID, ann.ID, storage.PrincipalUser)
	a2 := newRoleAssignment(tenant.ID, globalAdminID, ann.ID, storage.PrincipalUser)
	a3 := newRoleAssignment(tenant.ID, userAdminID, bob.ID, storage.PrincipalUser)
	a2.CreatedAt = time.Now().Add(time.Second)
	a3.CreatedAt = time.Now().Add(2 * time.Second)
	for _, a := range []*storage.RoleAssignment{a1, a2, a3} {
		mustNil(t, s.CreateRoleAssignment(ctx, a), "CreateRoleAssignment")
	}
	byRole, err := s.ListRoleAssignments(ctx, tenant.ID, storage.RoleAssignmentFilter{RoleDefinitionID: userAdminID})
	mustNil(t, err, "by role")
	sameStrings(t, assignmentIDs(byRole), []string{a1.ID, a3.ID}, "by role")
	byPrincipal, err := s.ListRoleAssignments(ctx, tenant.ID, storage.RoleAssignmentFilter{PrincipalID: ann.ID})
	mustNil(t, err, "by principal")
	sameStrings(t, assignmentIDs(byPrincipal), []string{a1.ID, a2.ID}, "by principal")
	mustNil(t, s.DeleteRoleAssignment(ctx, tenant.ID, a1.ID), "DeleteRoleAssignment")
	_, err = s.GetRoleAssignment(ctx, tenant.ID, a1.ID)
	mustIs(t, err, storage.ErrNotFound, "after delete")
}

func assignmentIDs(list []storage.RoleAssignment) []string {
	out := make([]string, 0, len(list))
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

// seedActivation makes the user eligible for roleID and stores an activation
// in the given status and window.
func seedActivation(t *testing.T, s storage.Storage, tenantID, userID, roleID, status string, start, end time.Time) *storage.RoleActivation {
	t.Helper()
	ctx := ctxFor(t)
	e := &storage.RoleEligibility{
		ID: newID(), TenantID: tenantID, RoleDefinitionID: roleID, PrincipalID: userID,
		PrincipalType: storage.PrincipalUser, DirectoryScopeID: storage.TenantScope,
		MaxDuration: 8 * time.Hour, ApprovalRequired: true,
	}
	mustNil(t, s.CreateRoleEligibility(ctx, e), "CreateRoleEligibility")
	a := &storage.RoleActivation{
		ID: newID(), TenantID: tenantID, EligibilityID: e.ID, RoleDefinitionID: roleID, UserID: userID,
		Justification: "incident 42", Duration: end.Sub(start), Status: status, RequestedAt: start,
		StartAt: &start, EndAt: &end,
	}
	mustNil(t, s.CreateRoleActivation(ctx, a), "CreateRoleActivation")
	return a
}

func roleEffective(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	groupID, otherGroupID := newID(), newID()
	now := time.Now().UTC()
	mustNil(t, s.CreateRoleAssignment(ctx, newRoleAssignment(tenant.ID, userAdminID, ann.ID, storage.PrincipalUser)), "direct")
	mustNil(t, s.CreateRoleAssignment(ctx, newRoleAssignment(tenant.ID, groupsAdminID, groupID, storage.PrincipalGroup)), "group")
	mustNil(t, s.CreateRoleAssignment(ctx, newRoleAssignment(tenant.ID, "ffffffff-0000-0000-0000-000000000001", otherGroupID, storage.PrincipalGroup)), "other group")
	mustNil(t, s.CreateRoleAssignment(ctx, newRoleAssignment(tenant.ID, userAdminID, groupID, storage.PrincipalGroup)), "group, same role")
	seedActivation(t, s, tenant.ID, ann.ID, globalAdminID, storage.ActivationActive, now.Add(-time.Minute), now.Add(time.Hour))
	got, err := s.EffectiveRoleDefinitionIDs(ctx, tenant.ID, ann.ID, []string{groupID}, now)
	mustNil(t, err, "EffectiveRoleDefinitionIDs")
	sameStrings(t, got, []string{globalAdminID, groupsAdminID, userAdminID}, "effective roles")
	other := seedTenant(t, s, "fabrikam")
	got, err = s.EffectiveRoleDefinitionIDs(ctx, other.ID, ann.ID, []string{groupID}, now)
	mustNil(t, err, "other tenant")
	sameStrings(t, got, nil, "effective roles in another tenant")
}

func roleEffectiveWindow(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	start := time.Date(2031, 1, 2, 9, 0, 0, 0, time.UTC)
	end := start.Add(2 * time.Hour)
	seedActivation(t, s, tenant.ID, ann.ID, globalAdminID, storage.ActivationActive, start, end)
	seedActivation(t, s, tenant.ID, ann.ID, userAdminID, storage.ActivationPendingApproval, start, end)
	for _, tc := range []struct {
		at   time.Time
		want []string
	}{
		{start.Add(-time.Second), nil},
		{start, []string{globalAdminID}},
		{end.Add(-time.Microsecond), []string{globalAdminID}},
		{end, nil},
	} {
		got, err := s.EffectiveRoleDefinitionIDs(ctx, tenant.ID, ann.ID, nil, tc.at)
		mustNil(t, err, "EffectiveRoleDefinitionIDs")
		sameStrings(t, got, tc.want, "at "+tc.at.Format(time.RFC3339Nano))
	}
}

func roleActivationRace(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	now := time.Now().UTC()
	a := seedActivation(t, s, tenant.ID, ann.ID, globalAdminID, storage.ActivationPendingApproval, now, now.Add(time.Hour))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, status := range []string{storage.ActivationActive, storage.ActivationDenied} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			decided := *a
			decided.Status, decided.DecidedBy, decided.DecidedAt = status, newID(), &now
			errs[i] = s.UpdateRoleActivation(ctx, &decided, storage.ActivationPendingApproval)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("errors = %v; want exactly one success", errs)
	}
	for _, err := range errs {
		if err != nil {
			mustIs(t, err, storage.ErrConflict, "loser")
		}
	}
	missing := *a
	missing.ID = newID()
	mustIs(t, s.UpdateRoleActivation(ctx, &missing, storage.ActivationPendingApproval), storage.ErrNotFound, "missing")
}

func roleEligibilityCascade(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	now := time.Now().UTC()
	a := seedActivation(t, s, tenant.ID, ann.ID, globalAdminID, storage.ActivationActive, now, now.Add(time.Hour))
	e, err := s.GetRoleEligibility(ctx, tenant.ID, a.EligibilityID)
	mustNil(t, err, "GetRoleEligibility")
	if e.MaxDuration != 8*time.Hour || !e.ApprovalRequired || e.PrincipalID != ann.ID {
		t.Errorf("eligibility = %+v", e)
	}
	list, err := s.ListRoleActivations(ctx, tenant.ID, ann.ID, storage.ActivationActive)
	mustNil(t, err, "ListRoleActivations")
	if len(list) != 1 || list[0].Duration != time.Hour || list[0].Justification != "incident 42" {
		t.Errorf("activations = %+v", list)
	}
	mustNil(t, s.DeleteRoleEligibility(ctx, tenant.ID, e.ID), "DeleteRoleEligibility")
	_, err = s.GetRoleActivation(ctx, tenant.ID, a.ID)
	mustIs(t, err, storage.ErrNotFound, "activation after its eligibility is gone")
}

func roleEffectiveGroupActivation(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	groupID := newID()
	now := time.Now().UTC()
	e := &storage.RoleEligibility{
		ID: newID(), TenantID: tenant.ID, RoleDefinitionID: userAdminID, PrincipalID: groupID,
		PrincipalType: storage.PrincipalGroup, DirectoryScopeID: storage.TenantScope, MaxDuration: time.Hour,
	}
	mustNil(t, s.CreateRoleEligibility(ctx, e), "CreateRoleEligibility")
	start, end := now.Add(-time.Minute), now.Add(time.Hour)
	mustNil(t, s.CreateRoleActivation(ctx, &storage.RoleActivation{
		ID: newID(), TenantID: tenant.ID, EligibilityID: e.ID, RoleDefinitionID: userAdminID, UserID: ann.ID,
		Justification: "on call", Duration: time.Hour, Status: storage.ActivationActive, StartAt: &start, EndAt: &end,
	}), "CreateRoleActivation")
	got, err := s.EffectiveRoleDefinitionIDs(ctx, tenant.ID, ann.ID, []string{groupID}, now)
	mustNil(t, err, "as a member")
	sameStrings(t, got, []string{userAdminID}, "roles as a member")
	got, err = s.EffectiveRoleDefinitionIDs(ctx, tenant.ID, ann.ID, nil, now)
	mustNil(t, err, "after leaving")
	sameStrings(t, got, nil, "roles after leaving the group")
}
