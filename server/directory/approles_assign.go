package directory

import (
	"context"
	"slices"

	"github.com/sigil-idp/sigil/storage"
)

// NewAppRoleAssignment is the input of AssignAppRole. AppRoleID may be
// storage.DefaultAccessAppRoleID: access without a role.
type NewAppRoleAssignment struct {
	ClientID      string // the resource application
	AppRoleID     string
	PrincipalID   string
	PrincipalType string // storage.PrincipalUser, PrincipalGroup or PrincipalServicePrincipal
	// TeamType makes a group assignment a Dataverse-style group team (one of
	// the storage.GroupTeam* constants, D-14); empty for a plain assignment.
	TeamType string
}

var teamTypes = []string{storage.GroupTeamMembersAndGuests, storage.GroupTeamMembers, storage.GroupTeamOwners, storage.GroupTeamGuests}

// AssignAppRole grants a user, a group (its direct members, or a group team's
// members of one type) or a client application an app role (D-29, D-14).
// The role must be enabled and allow the principal's kind; a group team needs
// an assigned (not dynamic) group (D-13) and exists once per group, team type
// and application (D-15).
func (s *Roles) AssignAppRole(ctx context.Context, actor Actor, tenantID string, in NewAppRoleAssignment) (*storage.AppRoleAssignment, error) {
	if err := require(actor, "assign app roles", appAdminRoles...); err != nil {
		return nil, err
	}
	if err := s.checkAppRoleTarget(ctx, tenantID, in); err != nil {
		return nil, err
	}
	a := &storage.AppRoleAssignment{
		ID: newID(), TenantID: tenantID, ClientID: in.ClientID, AppRoleID: in.AppRoleID,
		PrincipalID: in.PrincipalID, PrincipalType: in.PrincipalType, TeamType: in.TeamType, CreatedAt: s.now(),
	}
	if err := s.Store.CreateAppRoleAssignment(ctx, a); err != nil {
		return nil, mapConflict(mapNotFound(err, ErrApplicationNotFound), "the principal already holds this app role")
	}
	return a, nil
}

// checkAppRoleTarget checks the role and the principal of an assignment.
func (s *Roles) checkAppRoleTarget(ctx context.Context, tenantID string, in NewAppRoleAssignment) error {
	memberType := storage.AppRoleMemberUser
	if in.PrincipalType == storage.PrincipalServicePrincipal {
		memberType = storage.AppRoleMemberApplication
	}
	if in.AppRoleID != storage.DefaultAccessAppRoleID {
		r, err := s.Store.GetAppRole(ctx, tenantID, in.ClientID, in.AppRoleID)
		if err != nil {
			return mapNotFound(err, ErrAppRoleNotFound)
		}
		var p problems
		if !r.IsEnabled {
			p.add("appRoleId", "the app role %s is disabled", r.Value)
		}
		if !slices.Contains(r.AllowedMemberTypes, memberType) {
			p.add("principalType", "the app role %s cannot be assigned to a %s", r.Value, in.PrincipalType)
		}
		if err := p.err(); err != nil {
			return err
		}
	}
	if in.TeamType != "" && (in.PrincipalType != storage.PrincipalGroup || !slices.Contains(teamTypes, in.TeamType)) {
		return &ValidationError{Problems: []Problem{{Field: "teamType",
			Message: "a group team needs a group and one of MembersAndGuests, Members, Owners, Guests"}}}
	}
	return s.checkAppRolePrincipal(ctx, tenantID, in)
}

// checkAppRolePrincipal checks that the principal exists in the tenant.
func (s *Roles) checkAppRolePrincipal(ctx context.Context, tenantID string, in NewAppRoleAssignment) error {
	switch in.PrincipalType {
	case storage.PrincipalUser:
		_, err := s.Store.GetUser(ctx, tenantID, in.PrincipalID)
		return mapNotFound(err, ErrUserNotFound)
	case storage.PrincipalGroup:
		g, err := s.Groups.GroupInfo(ctx, tenantID, in.PrincipalID)
		if err != nil {
			return mapNotFound(err, ErrGroupNotFound)
		}
		if in.TeamType != "" && g.Dynamic {
			return &ValidationError{Problems: []Problem{{Field: "principalId",
				Message: "a group team needs a group with assigned membership; " + g.DisplayName + " is dynamic"}}}
		}
		return nil
	case storage.PrincipalServicePrincipal:
		app, err := s.Store.GetApplication(ctx, in.PrincipalID)
		if err != nil || app.TenantID != tenantID {
			return ErrApplicationNotFound
		}
		return nil
	}
	return &ValidationError{Problems: []Problem{{Field: "principalType", Message: "must be User, Group or ServicePrincipal"}}}
}

// RemoveAppRoleAssignment revokes an app role assignment.
func (s *Roles) RemoveAppRoleAssignment(ctx context.Context, actor Actor, tenantID, id string) error {
	if err := require(actor, "remove app role assignments", appAdminRoles...); err != nil {
		return err
	}
	return mapNotFound(s.Store.DeleteAppRoleAssignment(ctx, tenantID, id), ErrAppRoleAssignNotFound)
}

// ListAppRoleAssignments lists the tenant's app role assignments, narrowed
// by the filter.
func (s *Roles) ListAppRoleAssignments(ctx context.Context, tenantID string, f storage.AppRoleAssignmentFilter) ([]storage.AppRoleAssignment, error) {
	return s.Store.ListAppRoleAssignments(ctx, tenantID, f)
}
