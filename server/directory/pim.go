package directory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// Bounds of a PIM eligibility's maximum activation duration (Entra offers
// half an hour to a day) and of a justification.
const (
	MinActivationDuration = 30 * time.Minute
	MaxActivationDuration = 24 * time.Hour
	maxJustificationChars = 500
)

// NewEligibility is the input of MakeEligible (C-20, C-21).
type NewEligibility struct {
	NewRoleAssignment
	MaxDuration      time.Duration
	ApprovalRequired bool
}

// MakeEligible lets a user, or each member of a role-assignable group,
// activate a role for at most MaxDuration (C-20). It needs Privileged Role
// Administrator.
func (s *Roles) MakeEligible(ctx context.Context, actor Actor, tenantID string, in NewEligibility) (*storage.RoleEligibility, error) {
	if err := require(actor, "manage eligible role assignments", RolePrivilegedRoleAdministrator); err != nil {
		return nil, err
	}
	if in.MaxDuration < MinActivationDuration || in.MaxDuration > MaxActivationDuration {
		return nil, &ValidationError{Problems: []Problem{{Field: "maxDuration",
			Message: fmt.Sprintf("must be between %s and %s", MinActivationDuration, MaxActivationDuration)}}}
	}
	role, err := s.checkRoleTarget(ctx, tenantID, in.NewRoleAssignment)
	if err != nil {
		return nil, err
	}
	e := &storage.RoleEligibility{
		ID: newID(), TenantID: tenantID, RoleDefinitionID: role.ID, PrincipalID: in.PrincipalID,
		PrincipalType: in.PrincipalType, DirectoryScopeID: storage.TenantScope,
		MaxDuration: in.MaxDuration.Truncate(time.Second), ApprovalRequired: in.ApprovalRequired, CreatedAt: s.now(),
	}
	if err := s.Store.CreateRoleEligibility(ctx, e); err != nil {
		return nil, mapConflict(err, "the principal is already eligible for the "+role.DisplayName+" role")
	}
	return e, nil
}

// RemoveEligibility ends an eligibility and any activation made under it.
func (s *Roles) RemoveEligibility(ctx context.Context, actor Actor, tenantID, id string) error {
	if err := require(actor, "manage eligible role assignments", RolePrivilegedRoleAdministrator); err != nil {
		return err
	}
	return mapNotFound(s.Store.DeleteRoleEligibility(ctx, tenantID, id), ErrEligibilityNotFound)
}

// ActivationRequest is a user's request to activate an eligible role.
type ActivationRequest struct {
	EligibilityID string
	Justification string
	Duration      time.Duration
	// MFADone says the current session completed multifactor authentication
	// (its AMR holds "mfa"); activation refuses without it (C-22, C-27).
	MFADone bool
}

// SessionDidMFA reports whether a session's authentication methods (its
// `amr`) include multifactor authentication: the ActivationRequest.MFADone
// input for a browser session.
func SessionDidMFA(amr []string) bool { return slices.Contains(amr, "mfa") }

// RequestActivation starts a PIM activation for the user (C-20, C-22). The
// user must be the eligible principal or a direct member of the eligible
// group, give a justification and a duration up to the eligibility's
// maximum, and have done MFA. Without required approval the role is active
// at once until now+Duration; otherwise it waits for an approver (C-25).
func (s *Roles) RequestActivation(ctx context.Context, tenantID, userID string, in ActivationRequest) (*storage.RoleActivation, error) {
	e, err := s.Store.GetRoleEligibility(ctx, tenantID, in.EligibilityID)
	if err != nil {
		return nil, mapNotFound(err, ErrEligibilityNotFound)
	}
	if err := s.checkEligibleUser(ctx, tenantID, userID, e); err != nil {
		return nil, err
	}
	if err := checkActivation(in, e.MaxDuration); err != nil {
		return nil, err
	}
	now := s.now()
	a := &storage.RoleActivation{
		ID: newID(), TenantID: tenantID, EligibilityID: e.ID, RoleDefinitionID: e.RoleDefinitionID,
		UserID: userID, Justification: strings.TrimSpace(in.Justification),
		Duration: in.Duration.Truncate(time.Second), Status: storage.ActivationPendingApproval, RequestedAt: now,
	}
	if !e.ApprovalRequired {
		start(a, now)
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.refuseOpenActivation(ctx, tenantID, userID, e.ID, now); err != nil {
			return err
		}
		if err := s.Store.CreateRoleActivation(ctx, a); err != nil {
			return err
		}
		role, err := s.FindRole(ctx, tenantID, e.RoleDefinitionID)
		if err != nil {
			return err
		}
		return Record(ctx, s.Store, now, Change{TenantID: tenantID, Category: CategoryRole,
			Activity: "Add member to role requested (PIM activation)", Operation: storage.AuditAssign,
			TargetType: "Role", TargetID: e.RoleDefinitionID, TargetName: role.DisplayName,
			Modified: Diff(nil, map[string]any{"userId": userID, "status": a.Status, "justification": a.Justification,
				"duration": a.Duration.String()})})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// checkEligibleUser refuses a user who is neither the eligible principal nor
// a direct member of the eligible group. Both refusals read the same, so a
// stranger learns nothing about the eligibility.
func (s *Roles) checkEligibleUser(ctx context.Context, tenantID, userID string, e *storage.RoleEligibility) error {
	if e.PrincipalType == storage.PrincipalUser && e.PrincipalID == userID {
		return nil
	}
	if e.PrincipalType == storage.PrincipalGroup {
		links, err := s.Groups.UserGroupLinks(ctx, tenantID, userID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(links, func(l GroupLink) bool { return l.Member && l.GroupID == e.PrincipalID }) {
			return nil
		}
	}
	return ErrEligibilityNotFound
}

// checkActivation reports the problems of an activation request.
func checkActivation(in ActivationRequest, max time.Duration) error {
	if !in.MFADone {
		return ErrMFARequired
	}
	var p problems
	just := strings.TrimSpace(in.Justification)
	if just == "" {
		p.add("justification", "say why you need the role")
	} else if msg := checkText(just, maxJustificationChars); msg != "" {
		p.add("justification", "%s", msg)
	}
	if in.Duration <= 0 || in.Duration > max {
		p.add("duration", "must be more than zero and at most %s", max)
	}
	return p.err()
}

// refuseOpenActivation returns a ConflictError when the user has a pending or
// still-active activation under the eligibility.
func (s *Roles) refuseOpenActivation(ctx context.Context, tenantID, userID, eligibilityID string, now time.Time) error {
	open, err := s.Store.ListRoleActivations(ctx, tenantID, userID, storage.ActivationPendingApproval, storage.ActivationActive)
	if err != nil {
		return err
	}
	for _, a := range open {
		if a.EligibilityID == eligibilityID && ActivationState(a, now) != ActivationExpired {
			return &ConflictError{Message: "this role already has a pending or active activation"}
		}
	}
	return nil
}

// start marks a as active from now for its duration.
func start(a *storage.RoleActivation, now time.Time) {
	end := now.Add(a.Duration)
	a.Status, a.StartAt, a.EndAt = storage.ActivationActive, &now, &end
}

// ActivationExpired is the state ActivationState reports for an Active
// activation whose window has passed; it is never stored.
const ActivationExpired = "Expired"

// ActivationState is the activation's status at the given time: Active turns
// into ActivationExpired once EndAt has passed (automatic expiry, C-22).
func ActivationState(a storage.RoleActivation, at time.Time) string {
	if a.Status == storage.ActivationActive && (a.EndAt == nil || !at.Before(*a.EndAt)) {
		return ActivationExpired
	}
	return a.Status
}

// ApproveActivation lets a Privileged Role Administrator approve a pending
// activation (C-21, C-25); the window starts at approval. Nobody approves
// their own request.
func (s *Roles) ApproveActivation(ctx context.Context, actor Actor, tenantID, id string) (*storage.RoleActivation, error) {
	return s.decide(ctx, actor, tenantID, id, true)
}

// DenyActivation refuses a pending activation (C-25).
func (s *Roles) DenyActivation(ctx context.Context, actor Actor, tenantID, id string) (*storage.RoleActivation, error) {
	return s.decide(ctx, actor, tenantID, id, false)
}

func (s *Roles) decide(ctx context.Context, actor Actor, tenantID, id string, approve bool) (*storage.RoleActivation, error) {
	if err := require(actor, "approve role activations", RolePrivilegedRoleAdministrator); err != nil {
		return nil, err
	}
	a, err := s.Store.GetRoleActivation(ctx, tenantID, id)
	if err != nil {
		return nil, mapNotFound(err, ErrActivationNotFound)
	}
	if a.UserID == actor.UserID && !actor.System {
		return nil, &RoleRequiredError{Action: "approve your own activation request", Roles: []string{"another approver's"}}
	}
	if a.Status != storage.ActivationPendingApproval {
		return nil, &ConflictError{Message: "the request was already decided: " + a.Status}
	}
	now := s.now()
	a.DecidedBy, a.DecidedAt, a.Status = actor.UserID, &now, storage.ActivationDenied
	if approve {
		start(a, now)
	}
	err = s.Store.UpdateRoleActivation(ctx, a, storage.ActivationPendingApproval)
	if errors.Is(err, storage.ErrConflict) {
		return nil, &ConflictError{Message: "another approver decided the request first"}
	}
	return a, err
}

// DeactivateActivation ends an active role early. The user who activated it
// may, and so may a Privileged Role Administrator.
func (s *Roles) DeactivateActivation(ctx context.Context, actor Actor, tenantID, id string) (*storage.RoleActivation, error) {
	a, err := s.Store.GetRoleActivation(ctx, tenantID, id)
	if err != nil {
		return nil, mapNotFound(err, ErrActivationNotFound)
	}
	if a.UserID != actor.UserID {
		if err := require(actor, "deactivate another user's role", RolePrivilegedRoleAdministrator); err != nil {
			return nil, err
		}
	}
	now := s.now()
	if ActivationState(*a, now) != storage.ActivationActive {
		return nil, &ConflictError{Message: "the role is not active"}
	}
	a.Status, a.EndAt = storage.ActivationDeactivated, &now
	err = s.Store.UpdateRoleActivation(ctx, a, storage.ActivationActive)
	if errors.Is(err, storage.ErrConflict) {
		return nil, &ConflictError{Message: "the role is not active"}
	}
	return a, err
}

// ListActivations lists the tenant's activation requests, or one user's.
func (s *Roles) ListActivations(ctx context.Context, tenantID, userID string) ([]storage.RoleActivation, error) {
	return s.Store.ListRoleActivations(ctx, tenantID, userID)
}

// ListEligibilities lists the tenant's eligible role assignments.
func (s *Roles) ListEligibilities(ctx context.Context, tenantID string, f storage.RoleAssignmentFilter) ([]storage.RoleEligibility, error) {
	return s.Store.ListRoleEligibilities(ctx, tenantID, f)
}
