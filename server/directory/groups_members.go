package directory

import (
	"context"
	"errors"

	"github.com/sigil-idp/sigil/storage"
)

// AddGroupMember adds a user or a nested group (member.Type) to an Assigned
// group, enforcing the nesting rules: only security groups nest (B-02,
// B-03), nothing is added by hand to a dynamic group (B-31), no group joins a
// role-assignable group (C-16), and no cycle (B-05). The member must exist
// (B-39). memberOf groups naming the group as a source are re-evaluated.
func (s *Service) AddGroupMember(ctx context.Context, actor Actor, tenantID, groupID string, member storage.GroupMember) error {
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		parent, err := s.GetGroup(ctx, tenantID, groupID)
		if err != nil {
			return err
		}
		if err := s.checkManage(ctx, actor, parent); err != nil {
			return err
		}
		if member, err = s.checkMember(ctx, parent, member); err != nil {
			return err
		}
		err = s.Store.AddGroupMember(ctx, tenantID, parent.ID, member)
		if errors.Is(err, storage.ErrAlreadyExists) {
			return &ConflictError{Message: "already a direct member of the group"}
		}
		if err != nil {
			return err
		}
		return s.record(ctx, linkRecord("Add member to group", storage.AuditAdd, parent, member.Type, member.ID, "members"))
	})
	if err != nil || member.Type != storage.MemberTypeUser {
		return err
	}
	return s.ReevaluateSource(ctx, tenantID, groupID)
}

// checkMember resolves the member (a user by ID or UPN, or a group by ID) and
// applies the nesting rules; it returns the member with its object ID.
func (s *Service) checkMember(ctx context.Context, parent *storage.Group, m storage.GroupMember) (storage.GroupMember, error) {
	switch m.Type {
	case storage.MemberTypeUser:
		u, err := s.GetUser(ctx, parent.TenantID, m.ID)
		if err != nil {
			return m, err
		}
		return storage.GroupMember{ID: u.ID, Type: m.Type}, checkNewMember(parent, nil)
	case storage.MemberTypeGroup:
		child, err := s.GetGroup(ctx, parent.TenantID, m.ID)
		if err != nil {
			return m, err
		}
		if err := checkNewMember(parent, child); err != nil {
			return m, err
		}
		cycle, err := s.Store.GroupContains(ctx, parent.TenantID, child.ID, parent.ID)
		if err != nil {
			return m, err
		}
		if cycle {
			return m, cycleError(parent, child)
		}
		return m, nil
	}
	var p problems
	p.add("memberType", "must be %s or %s", storage.MemberTypeUser, storage.MemberTypeGroup)
	return m, p.err()
}

// RemoveGroupMember removes a direct member of an Assigned group.
func (s *Service) RemoveGroupMember(ctx context.Context, actor Actor, tenantID, groupID string, member storage.GroupMember) error {
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		g, err := s.GetGroup(ctx, tenantID, groupID)
		if err != nil {
			return err
		}
		if err := s.checkManage(ctx, actor, g); err != nil {
			return err
		}
		if g.Dynamic() {
			return checkNewMember(g, nil)
		}
		if member.Type == storage.MemberTypeUser {
			u, err := s.GetUser(ctx, tenantID, member.ID)
			if err != nil {
				return err
			}
			member.ID = u.ID
		}
		if err := s.Store.RemoveGroupMember(ctx, tenantID, g.ID, member); err != nil {
			return mapNotFound(err, ErrNotAMember)
		}
		return s.record(ctx, linkRecord("Remove member from group", storage.AuditDelete, g, member.Type, member.ID, "members"))
	})
	if err != nil || member.Type != storage.MemberTypeUser {
		return err
	}
	return s.ReevaluateSource(ctx, tenantID, groupID)
}

// ErrNotAMember reports removing someone who is not a direct member or owner.
var ErrNotAMember error = notFoundError("not a direct member or owner of the group")

// ListGroupMembers returns a group's direct members, or with transitive set
// every user and group below it through nesting.
func (s *Service) ListGroupMembers(ctx context.Context, tenantID, groupID string, transitive bool) ([]storage.GroupMember, error) {
	g, err := s.GetGroup(ctx, tenantID, groupID)
	if err != nil {
		return nil, err
	}
	if transitive {
		return s.Store.TransitiveMembersOfGroup(ctx, tenantID, g.ID)
	}
	return s.Store.ListGroupMembers(ctx, tenantID, g.ID)
}

// AddGroupOwner makes a user (by ID or UPN) an owner of the group (B-04);
// for a role-assignable group the actor needs Privileged Role Administrator
// or ownership (C-13).
func (s *Service) AddGroupOwner(ctx context.Context, actor Actor, tenantID, groupID, userIDOrUPN string) error {
	return s.changeOwner(ctx, actor, tenantID, groupID, userIDOrUPN, true)
}

// RemoveGroupOwner removes an owner of the group.
func (s *Service) RemoveGroupOwner(ctx context.Context, actor Actor, tenantID, groupID, userIDOrUPN string) error {
	return s.changeOwner(ctx, actor, tenantID, groupID, userIDOrUPN, false)
}

func (s *Service) changeOwner(ctx context.Context, actor Actor, tenantID, groupID, userIDOrUPN string, add bool) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		g, err := s.GetGroup(ctx, tenantID, groupID)
		if err != nil {
			return err
		}
		if err := s.checkManage(ctx, actor, g); err != nil {
			return err
		}
		u, err := s.GetUser(ctx, tenantID, userIDOrUPN)
		if err != nil {
			return err
		}
		if !add {
			if err := s.Store.RemoveGroupOwner(ctx, tenantID, g.ID, u.ID); err != nil {
				return mapNotFound(err, ErrNotAMember)
			}
			return s.record(ctx, linkRecord("Remove owner from group", storage.AuditDelete, g, storage.MemberTypeUser, u.ID, "owners"))
		}
		if err := s.Store.AddGroupOwner(ctx, tenantID, g.ID, u.ID); err != nil {
			return mapConflict(err, "already an owner of the group")
		}
		return s.record(ctx, linkRecord("Add owner to group", storage.AuditAdd, g, storage.MemberTypeUser, u.ID, "owners"))
	})
}

// ListGroupOwners returns the owners' user IDs.
func (s *Service) ListGroupOwners(ctx context.Context, tenantID, groupID string) ([]string, error) {
	g, err := s.GetGroup(ctx, tenantID, groupID)
	if err != nil {
		return nil, err
	}
	return s.Store.ListGroupOwners(ctx, tenantID, g.ID)
}

// CheckCredentialResetOf applies CheckCredentialReset to a user of the
// tenant, reading their role-assignable memberships and ownerships (C-15).
// The MFA and password services call it before resetting anything.
func (s *Service) CheckCredentialResetOf(ctx context.Context, actor Actor, tenantID, userID string) error {
	var target CredentialTarget
	groups, err := s.Store.TransitiveGroupsOfUser(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	for _, m := range groups {
		target.MemberOfRoleAssignableGroup = target.MemberOfRoleAssignableGroup || m.IsAssignableToRole
	}
	owned, err := s.Store.ListOwnedGroupIDs(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	for _, id := range owned {
		g, err := s.Store.GetGroup(ctx, tenantID, id)
		if err != nil {
			return err
		}
		target.OwnerOfRoleAssignableGroup = target.OwnerOfRoleAssignableGroup || g.IsAssignableToRole
	}
	return CheckCredentialReset(actor, target)
}
