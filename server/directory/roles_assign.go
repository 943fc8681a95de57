package directory

import (
	"context"
	"errors"

	"github.com/sigil-idp/sigil/storage"
)

// NewRoleAssignment is the input of AssignRole and, with PIM settings, of
// MakeEligible.
type NewRoleAssignment struct {
	RoleID        string // a built-in template ID or a custom role ID
	PrincipalID   string
	PrincipalType string // storage.PrincipalUser or storage.PrincipalGroup
}

// AssignRole gives a user or a role-assignable group a directory role at the
// tenant scope (C-04, C-09, C-17). It needs Privileged Role Administrator
// (C-01). A group without isAssignableToRole is refused (C-09); holding the
// role already is a ConflictError.
func (s *Roles) AssignRole(ctx context.Context, actor Actor, tenantID string, in NewRoleAssignment) (*storage.RoleAssignment, error) {
	if err := require(actor, "assign directory roles", RolePrivilegedRoleAdministrator); err != nil {
		return nil, err
	}
	role, err := s.checkRoleTarget(ctx, tenantID, in)
	if err != nil {
		return nil, err
	}
	a := &storage.RoleAssignment{
		ID: newID(), TenantID: tenantID, RoleDefinitionID: role.ID, PrincipalID: in.PrincipalID,
		PrincipalType: in.PrincipalType, DirectoryScopeID: storage.TenantScope, CreatedAt: s.now(),
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateRoleAssignment(ctx, a); err != nil {
			return mapConflict(err, "the principal already holds the "+role.DisplayName+" role")
		}
		return Record(ctx, s.Store, s.now(), roleAssignmentRecord("Add member to role", storage.AuditAssign, role.DisplayName, a))
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// checkRoleTarget resolves the role and checks the principal: a user of the
// tenant, or a role-assignable group of the tenant.
func (s *Roles) checkRoleTarget(ctx context.Context, tenantID string, in NewRoleAssignment) (Role, error) {
	role, err := s.FindRole(ctx, tenantID, in.RoleID)
	if err != nil {
		return Role{}, err
	}
	switch in.PrincipalType {
	case storage.PrincipalUser:
		_, err = s.Store.GetUser(ctx, tenantID, in.PrincipalID)
		return role, mapNotFound(err, ErrUserNotFound)
	case storage.PrincipalGroup:
		g, err := s.Groups.GroupInfo(ctx, tenantID, in.PrincipalID)
		if err != nil {
			return role, mapNotFound(err, ErrGroupNotFound)
		}
		if !g.AssignableToRole {
			return role, &ValidationError{Problems: []Problem{{Field: "principalId", Message: "the group " + g.DisplayName +
				" is not role-assignable; only groups created with isAssignableToRole can hold directory roles"}}}
		}
		return role, nil
	}
	return role, &ValidationError{Problems: []Problem{{Field: "principalType", Message: "must be User or Group"}}}
}

// RemoveRoleAssignment takes a directory role away (C-01).
func (s *Roles) RemoveRoleAssignment(ctx context.Context, actor Actor, tenantID, assignmentID string) error {
	if err := require(actor, "remove directory role assignments", RolePrivilegedRoleAdministrator); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		a, err := s.Store.GetRoleAssignment(ctx, tenantID, assignmentID)
		if err != nil {
			return mapNotFound(err, ErrRoleAssignmentNotFound)
		}
		if err := s.Store.DeleteRoleAssignment(ctx, tenantID, assignmentID); err != nil {
			return mapNotFound(err, ErrRoleAssignmentNotFound)
		}
		name := a.RoleDefinitionID
		if role, err := s.FindRole(ctx, tenantID, a.RoleDefinitionID); err == nil {
			name = role.DisplayName
		}
		return Record(ctx, s.Store, s.now(), roleAssignmentRecord("Remove member from role", storage.AuditDelete, name, a))
	})
}

// ListRoleAssignments lists the tenant's role assignments, optionally of one
// role or one principal.
func (s *Roles) ListRoleAssignments(ctx context.Context, tenantID string, f storage.RoleAssignmentFilter) ([]storage.RoleAssignment, error) {
	return s.Store.ListRoleAssignments(ctx, tenantID, f)
}

// EffectiveRoleIDs returns the directory role IDs the user holds now:
// assigned directly, through a role-assignable group the user is a member of
// (C-17), or activated through PIM, not yet expired (C-22) and still backed
// by the eligibility (a member who leaves the eligible group loses the role).
// It costs two indexed queries.
func (s *Roles) EffectiveRoleIDs(ctx context.Context, tenantID, userID string) ([]string, error) {
	links, err := s.Groups.UserGroupLinks(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	return s.effectiveRoleIDs(ctx, tenantID, userID, links)
}

func (s *Roles) effectiveRoleIDs(ctx context.Context, tenantID, userID string, links []GroupLink) ([]string, error) {
	return s.Store.EffectiveRoleDefinitionIDs(ctx, tenantID, userID, roleGroupIDs(links), s.now())
}

// roleGroupIDs picks the role-assignable groups the user is a member of:
// only they can hold directory roles, and they cannot be nested (C-16), so
// direct membership is the whole story.
func roleGroupIDs(links []GroupLink) []string {
	var ids []string
	for _, l := range links {
		if l.Member && l.AssignableToRole {
			ids = append(ids, l.GroupID)
		}
	}
	return ids
}

// ActorFor builds the Actor of a signed-in user from their effective roles.
func (s *Roles) ActorFor(ctx context.Context, tenantID, userID string) (Actor, error) {
	ids, err := s.EffectiveRoleIDs(ctx, tenantID, userID)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return Actor{}, err
	}
	return Actor{UserID: userID, RoleTemplateIDs: ids}, nil
}
