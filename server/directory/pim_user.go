package directory

import (
	"context"
	"slices"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// EligibleRole is one role a user may activate, as the user sees it: the
// eligibility, the role and the user's latest request under it.
type EligibleRole struct {
	Eligibility storage.RoleEligibility
	Role        Role
	// Latest is the user's most recent activation request under the
	// eligibility (nil when none); State is its state now.
	Latest *storage.RoleActivation
	State  string
}

// EligibleRolesOf lists the roles the user may activate (C-20): eligibilities
// of the user and of the role-assignable groups the user is a direct member
// of, each with the user's latest request.
func (s *Roles) EligibleRolesOf(ctx context.Context, tenantID, userID string) ([]EligibleRole, error) {
	links, err := s.Groups.UserGroupLinks(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.ListRoleEligibilities(ctx, tenantID, storage.RoleAssignmentFilter{})
	if err != nil {
		return nil, err
	}
	activations, err := s.Store.ListRoleActivations(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []EligibleRole
	for _, e := range all {
		mine := e.PrincipalType == storage.PrincipalUser && e.PrincipalID == userID ||
			e.PrincipalType == storage.PrincipalGroup && slices.ContainsFunc(links, func(l GroupLink) bool { return l.Member && l.GroupID == e.PrincipalID })
		if !mine {
			continue
		}
		role, err := s.FindRole(ctx, tenantID, e.RoleDefinitionID)
		if err != nil {
			return nil, err
		}
		er := EligibleRole{Eligibility: e, Role: role}
		er.Latest, er.State = latestActivation(activations, e.ID, now)
		out = append(out, er)
	}
	return out, nil
}

// latestActivation is the most recent request under the eligibility and its
// state now.
func latestActivation(all []storage.RoleActivation, eligibilityID string, now time.Time) (*storage.RoleActivation, string) {
	var latest *storage.RoleActivation
	for i := range all {
		a := &all[i]
		if a.EligibilityID == eligibilityID && (latest == nil || a.RequestedAt.After(latest.RequestedAt)) {
			latest = a
		}
	}
	if latest == nil {
		return nil, ""
	}
	return latest, ActivationState(*latest, now)
}
