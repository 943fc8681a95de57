package directory

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// pimFixture has a user ann eligible for Global Administrator (without
// approval unless asked) and an approver holding Privileged Role
// Administrator.
type pimFixture struct {
	*roleFixture
	ann, approver string
	eligibility   *storage.RoleEligibility
}

func newPIMFixture(t *testing.T, approval bool) *pimFixture {
	t.Helper()
	f := &pimFixture{roleFixture: newRoleFixture(t)}
	f.ann, f.approver = f.user(t, "ann", ""), f.user(t, "pra", "")
	e, err := f.roles.MakeEligible(context.Background(), system, f.tenant, NewEligibility{
		NewRoleAssignment: NewRoleAssignment{RoleID: RoleGlobalAdministrator, PrincipalID: f.ann, PrincipalType: storage.PrincipalUser},
		MaxDuration:       4 * time.Hour, ApprovalRequired: approval,
	})
	mustOK(t, err, "MakeEligible")
	f.eligibility = e
	return f
}

func (f *pimFixture) request(d time.Duration) ActivationRequest {
	return ActivationRequest{EligibilityID: f.eligibility.ID, Justification: "incident 42", Duration: d, MFADone: true}
}

func (f *pimFixture) approverActor() Actor {
	return Actor{UserID: f.approver, RoleTemplateIDs: []string{RolePrivilegedRoleAdministrator}}
}

// assertRoles checks the user's effective roles now.
func (f *pimFixture) assertRoles(t *testing.T, userID string, want ...string) {
	t.Helper()
	got, err := f.roles.EffectiveRoleIDs(context.Background(), f.tenant, userID)
	mustOK(t, err, "EffectiveRoleIDs")
	if !slices.Equal(got, want) {
		t.Errorf("at %s roles = %v, want %v", f.clock.Now().Format(time.TimeOnly), got, want)
	}
}

func TestPIMActivationIsActiveUntilItExpires(t *testing.T) {
	t.Parallel()
	f := newPIMFixture(t, false)
	ctx := context.Background()
	f.assertRoles(t, f.ann) // eligible is not active (C-20)
	a, err := f.roles.RequestActivation(ctx, f.tenant, f.ann, f.request(2*time.Hour))
	mustOK(t, err, "RequestActivation")
	if a.Status != storage.ActivationActive || !a.StartAt.Equal(testNow) || !a.EndAt.Equal(testNow.Add(2*time.Hour)) {
		t.Fatalf("activation = %+v", a)
	}
	f.assertRoles(t, f.ann, RoleGlobalAdministrator)
	f.clock.Advance(2*time.Hour - time.Second)
	f.assertRoles(t, f.ann, RoleGlobalAdministrator)
	f.clock.Advance(time.Second) // expiry needs no job: the window has closed (C-22)
	f.assertRoles(t, f.ann)
	if got := ActivationState(*a, f.clock.Now()); got != ActivationExpired {
		t.Errorf("state = %s, want Expired", got)
	}
	_, err = f.roles.RequestActivation(ctx, f.tenant, f.ann, f.request(time.Hour))
	mustOK(t, err, "activating again after expiry")
	f.assertRoles(t, f.ann, RoleGlobalAdministrator)
}

func TestPIMActivationRequestChecks(t *testing.T) {
	t.Parallel()
	f := newPIMFixture(t, false)
	ctx := context.Background()
	stranger := f.user(t, "eve", "")
	tests := []struct {
		name   string
		userID string
		in     ActivationRequest
		check  func(t *testing.T, err error)
	}{
		{"refuses a session without MFA (C-22, C-27)", f.ann,
			ActivationRequest{EligibilityID: f.eligibility.ID, Justification: "x", Duration: time.Hour},
			func(t *testing.T, err error) { isErr(t, err, ErrMFARequired) }},
		{"refuses a duration over the maximum", f.ann, f.request(4*time.Hour + time.Second),
			func(t *testing.T, err error) { assertProblem(t, err, "duration", "at most 4h0m0s") }},
		{"refuses a zero duration", f.ann, f.request(0),
			func(t *testing.T, err error) { assertProblem(t, err, "duration", "more than zero") }},
		{"refuses a missing justification (C-22)", f.ann,
			ActivationRequest{EligibilityID: f.eligibility.ID, Justification: "  ", Duration: time.Hour, MFADone: true},
			func(t *testing.T, err error) { assertProblem(t, err, "justification", "say why") }},
		{"answers not found to a user who is not eligible", stranger, f.request(time.Hour),
			func(t *testing.T, err error) { isErr(t, err, ErrEligibilityNotFound) }},
		{"answers not found to an unknown eligibility", f.ann,
			ActivationRequest{EligibilityID: "nope", Justification: "x", Duration: time.Hour, MFADone: true},
			func(t *testing.T, err error) { isErr(t, err, ErrEligibilityNotFound) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.roles.RequestActivation(ctx, f.tenant, tc.userID, tc.in)
			tc.check(t, err)
		})
	}
	f.assertRoles(t, f.ann)
}

func TestPIMApproval(t *testing.T) {
	t.Parallel()
	f := newPIMFixture(t, true)
	ctx := context.Background()
	a, err := f.roles.RequestActivation(ctx, f.tenant, f.ann, f.request(time.Hour))
	mustOK(t, err, "RequestActivation")
	if a.Status != storage.ActivationPendingApproval || a.StartAt != nil {
		t.Fatalf("activation = %+v", a)
	}
	f.assertRoles(t, f.ann) // pending is not active (C-21)
	_, err = f.roles.RequestActivation(ctx, f.tenant, f.ann, f.request(time.Hour))
	assertConflict(t, err, "this role already has a pending or active activation")

	_, err = f.roles.ApproveActivation(ctx, Actor{UserID: f.ann, RoleTemplateIDs: []string{RoleHelpdeskAdministrator}}, f.tenant, a.ID)
	assertRoleRequired(t, err)
	_, err = f.roles.ApproveActivation(ctx, Actor{UserID: f.ann, RoleTemplateIDs: []string{RolePrivilegedRoleAdministrator}}, f.tenant, a.ID)
	assertRoleRequired(t, err) // nobody approves their own request

	f.clock.Advance(10 * time.Minute)
	approved, err := f.roles.ApproveActivation(ctx, f.approverActor(), f.tenant, a.ID)
	mustOK(t, err, "ApproveActivation (C-25)")
	if approved.DecidedBy != f.approver || !approved.StartAt.Equal(testNow.Add(10*time.Minute)) ||
		!approved.EndAt.Equal(testNow.Add(70*time.Minute)) {
		t.Errorf("approved = %+v", approved)
	}
	f.assertRoles(t, f.ann, RoleGlobalAdministrator)
	_, err = f.roles.DenyActivation(ctx, f.approverActor(), f.tenant, a.ID)
	assertConflict(t, err, "the request was already decided: Active")
	f.clock.Advance(time.Hour)
	f.assertRoles(t, f.ann)
}

func TestPIMDenial(t *testing.T) {
	t.Parallel()
	f := newPIMFixture(t, true)
	ctx := context.Background()
	a, err := f.roles.RequestActivation(ctx, f.tenant, f.ann, f.request(time.Hour))
	mustOK(t, err, "RequestActivation")
	denied, err := f.roles.DenyActivation(ctx, f.approverActor(), f.tenant, a.ID)
	mustOK(t, err, "DenyActivation")
	if denied.Status != storage.ActivationDenied || denied.StartAt != nil {
		t.Errorf("denied = %+v", denied)
	}
	f.assertRoles(t, f.ann)
	_, err = f.roles.RequestActivation(ctx, f.tenant, f.ann, f.request(time.Hour))
	mustOK(t, err, "a new request after a denial")
}

func TestPIMDeactivateEarly(t *testing.T) {
	t.Parallel()
	f := newPIMFixture(t, false)
	ctx := context.Background()
	a, err := f.roles.RequestActivation(ctx, f.tenant, f.ann, f.request(3*time.Hour))
	mustOK(t, err, "RequestActivation")
	other := f.user(t, "eve", "")
	_, err = f.roles.DeactivateActivation(ctx, Actor{UserID: other}, f.tenant, a.ID)
	assertRoleRequired(t, err)
	f.clock.Advance(30 * time.Minute)
	done, err := f.roles.DeactivateActivation(ctx, Actor{UserID: f.ann}, f.tenant, a.ID)
	mustOK(t, err, "DeactivateActivation")
	if done.Status != storage.ActivationDeactivated || !done.EndAt.Equal(f.clock.Now()) {
		t.Errorf("deactivated = %+v", done)
	}
	f.assertRoles(t, f.ann)
	_, err = f.roles.DeactivateActivation(ctx, Actor{UserID: f.ann}, f.tenant, a.ID)
	assertConflict(t, err, "the role is not active")
}

func TestPIMGroupEligibility(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	ctx := context.Background()
	ann, bob := f.user(t, "ann", ""), f.user(t, "bob", "")
	f.addGroup(t, GroupInfo{ID: "g-tier0", DisplayName: "Tier 0", AssignableToRole: true})
	f.addGroup(t, GroupInfo{ID: "g-sales", DisplayName: "Sales"})
	f.link(t, ann, "g-tier0", true, false)
	_, err := f.roles.MakeEligible(ctx, system, f.tenant, NewEligibility{
		NewRoleAssignment: NewRoleAssignment{RoleID: RoleUserAdministrator, PrincipalID: "g-sales", PrincipalType: storage.PrincipalGroup},
		MaxDuration:       time.Hour,
	})
	assertProblem(t, err, "principalId", "not role-assignable")
	_, err = f.roles.MakeEligible(ctx, system, f.tenant, NewEligibility{
		NewRoleAssignment: NewRoleAssignment{RoleID: RoleUserAdministrator, PrincipalID: "g-tier0", PrincipalType: storage.PrincipalGroup},
		MaxDuration:       25 * time.Hour,
	})
	assertProblem(t, err, "maxDuration", "between 30m0s and 24h0m0s")
	e, err := f.roles.MakeEligible(ctx, system, f.tenant, NewEligibility{
		NewRoleAssignment: NewRoleAssignment{RoleID: RoleUserAdministrator, PrincipalID: "g-tier0", PrincipalType: storage.PrincipalGroup},
		MaxDuration:       time.Hour,
	})
	mustOK(t, err, "MakeEligible (C-20)")
	req := ActivationRequest{EligibilityID: e.ID, Justification: "rotation", Duration: time.Hour, MFADone: true}
	_, err = f.roles.RequestActivation(ctx, f.tenant, bob, req)
	if !errors.Is(err, ErrEligibilityNotFound) {
		t.Fatalf("a non-member activates: %v", err)
	}
	_, err = f.roles.RequestActivation(ctx, f.tenant, ann, req)
	mustOK(t, err, "member activates")
	got, err := f.roles.EffectiveRoleIDs(ctx, f.tenant, ann)
	mustOK(t, err, "EffectiveRoleIDs")
	if !slices.Equal(got, []string{RoleUserAdministrator}) {
		t.Errorf("roles = %v", got)
	}
	member := storage.GroupMember{ID: ann, Type: storage.MemberTypeUser}
	mustOK(t, f.dir.Store.RemoveGroupMember(ctx, f.tenant, "g-tier0", member), "ann leaves the group")
	if got, _ = f.roles.EffectiveRoleIDs(ctx, f.tenant, ann); len(got) != 0 {
		t.Errorf("roles after leaving the group = %v", got)
	}
	mustOK(t, f.dir.Store.AddGroupMember(ctx, f.tenant, "g-tier0", member), "ann rejoins")
	mustOK(t, f.roles.RemoveEligibility(ctx, system, f.tenant, e.ID), "RemoveEligibility")
	got, _ = f.roles.EffectiveRoleIDs(ctx, f.tenant, ann)
	if len(got) != 0 {
		t.Errorf("roles after the eligibility is removed = %v", got)
	}
}

func TestSessionDidMFA(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		amr  []string
		want bool
	}{
		{nil, false},
		{[]string{"pwd"}, false},
		{[]string{"pwd", "otp", "mfa"}, true},
	} {
		if got := SessionDidMFA(tc.amr); got != tc.want {
			t.Errorf("SessionDidMFA(%v) = %v, want %v", tc.amr, got, tc.want)
		}
	}
}
