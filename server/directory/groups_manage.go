package directory

import (
	"context"
	"strings"

	"github.com/sigil-idp/sigil/storage"
)

// GetGroup returns a group of the tenant by object ID.
func (s *Service) GetGroup(ctx context.Context, tenantID, id string) (*storage.Group, error) {
	g, err := s.Store.GetGroup(ctx, tenantID, strings.TrimSpace(id))
	if err != nil {
		return nil, mapNotFound(err, ErrGroupNotFound)
	}
	return g, nil
}

// ListGroups returns the tenant's groups by display name.
func (s *Service) ListGroups(ctx context.Context, tenantID string) ([]storage.Group, error) {
	if _, err := s.requireTenant(ctx, tenantID); err != nil {
		return nil, err
	}
	return s.Store.ListGroups(ctx, tenantID)
}

// GroupChange holds the group properties to change; nil fields stay.
// IsAssignableToRole is deliberately absent: it is fixed at creation (C-08).
type GroupChange struct {
	DisplayName  *string
	Description  *string
	MailNickname *string
}

// UpdateGroup changes a group's basic properties (B-33 groups/basic/update).
func (s *Service) UpdateGroup(ctx context.Context, actor Actor, tenantID, id string, ch GroupChange) (*storage.Group, error) {
	var g *storage.Group
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if g, err = s.GetGroup(ctx, tenantID, id); err != nil {
			return err
		}
		if err := s.checkManage(ctx, actor, g); err != nil {
			return err
		}
		before := *g
		applyGroupChange(g, ch)
		var p problems
		checkGroupText(g, &p)
		if err := p.err(); err != nil {
			return err
		}
		if err := s.Store.UpdateGroup(ctx, g); err != nil {
			return mapNotFound(err, ErrGroupNotFound)
		}
		return s.record(ctx, groupChangeRecord("Update group", storage.AuditUpdate, &before, g))
	})
	return g, err
}

func applyGroupChange(g *storage.Group, ch GroupChange) {
	if ch.DisplayName != nil {
		g.DisplayName = strings.TrimSpace(*ch.DisplayName)
	}
	if ch.Description != nil {
		g.Description = strings.TrimSpace(*ch.Description)
	}
	if ch.MailNickname != nil {
		g.MailNickname = strings.TrimSpace(*ch.MailNickname)
	}
}

// DeleteGroup removes a group and its memberships, not its members (B-38),
// then re-evaluates memberOf groups that named it as a source (B-25).
func (s *Service) DeleteGroup(ctx context.Context, actor Actor, tenantID, id string) error {
	g, err := s.GetGroup(ctx, tenantID, id)
	if err != nil {
		return err
	}
	if err := s.checkManage(ctx, actor, g); err != nil {
		return err
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.DeleteGroup(ctx, tenantID, g.ID); err != nil {
			return mapNotFound(err, ErrGroupNotFound)
		}
		return s.record(ctx, groupChangeRecord("Delete group", storage.AuditDelete, g, nil))
	})
	if err != nil {
		return err
	}
	return s.ReevaluateSource(ctx, tenantID, g.ID)
}

// checkManage applies CheckManageGroup, reading whether the actor owns g.
func (s *Service) checkManage(ctx context.Context, actor Actor, g *storage.Group) error {
	owns := false
	if actor.UserID != "" && !actor.System {
		owners, err := s.Store.ListGroupOwners(ctx, g.TenantID, g.ID)
		if err != nil {
			return err
		}
		for _, o := range owners {
			owns = owns || o == actor.UserID
		}
	}
	return CheckManageGroup(actor, g, owns)
}
