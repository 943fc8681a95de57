package gormstore

import (
	"context"

	"github.com/sigil-idp/sigil/storage"
)

// groupsOfUserSQL walks up from the user's direct groups through nested
// groups. UNION (not UNION ALL) drops rows already produced, so the walk
// ends even if the data held a cycle. Both SQLite and Postgres run it.
const groupsOfUserSQL = `
WITH RECURSIVE up(group_id) AS (
    SELECT group_id FROM group_user_members WHERE tenant_id = ? AND user_id = ?
    UNION
    SELECT gg.group_id FROM group_group_members gg JOIN up ON gg.child_group_id = up.group_id
)
SELECT g.id, g.display_name, g.group_type, g.security_enabled, g.is_assignable_to_role,
       g.membership_type,
       EXISTS (SELECT 1 FROM group_user_members d WHERE d.group_id = g.id AND d.user_id = ?) AS direct
FROM directory_groups g JOIN up ON g.id = up.group_id
WHERE g.tenant_id = ?
ORDER BY g.id`

// membersOfGroupSQL walks down from the group through nested groups and
// returns each user and each nested group once.
const membersOfGroupSQL = `
WITH RECURSIVE down(group_id) AS (
    SELECT id FROM directory_groups WHERE tenant_id = ? AND id = ?
    UNION
    SELECT gg.child_group_id FROM group_group_members gg JOIN down ON gg.group_id = down.group_id
)
SELECT DISTINCT m.user_id AS id, 'User' AS type FROM group_user_members m
    WHERE m.group_id IN (SELECT group_id FROM down)
UNION
SELECT group_id AS id, 'Group' AS type FROM down WHERE group_id <> ?
ORDER BY type DESC, id`

// groupContainsSQL reports whether the descendant is reachable downwards.
const groupContainsSQL = `
WITH RECURSIVE down(group_id) AS (
    SELECT id FROM directory_groups WHERE tenant_id = ? AND id = ?
    UNION
    SELECT gg.child_group_id FROM group_group_members gg JOIN down ON gg.group_id = down.group_id
)
SELECT COUNT(*) FROM down WHERE group_id = ?`

type membershipRow struct {
	ID                 string `gorm:"column:id"`
	DisplayName        string `gorm:"column:display_name"`
	GroupType          string `gorm:"column:group_type"`
	SecurityEnabled    bool   `gorm:"column:security_enabled"`
	IsAssignableToRole bool   `gorm:"column:is_assignable_to_role"`
	MembershipType     string `gorm:"column:membership_type"`
	Direct             bool   `gorm:"column:direct"`
}

// TransitiveGroupsOfUser returns every group the user belongs to, in one query.
func (s *Store) TransitiveGroupsOfUser(ctx context.Context, tenantID, userID string) ([]storage.GroupMembership, error) {
	var rows []membershipRow
	if err := s.conn(ctx).Raw(groupsOfUserSQL, tenantID, userID, userID, tenantID).Scan(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.GroupMembership, 0, len(rows))
	for _, r := range rows {
		out = append(out, storage.GroupMembership{
			GroupID: r.ID, DisplayName: r.DisplayName, Type: r.GroupType,
			SecurityEnabled: r.SecurityEnabled, IsAssignableToRole: r.IsAssignableToRole,
			MembershipType: r.MembershipType, Direct: r.Direct,
		})
	}
	return out, nil
}

// TransitiveMembersOfGroup returns every user and nested group below the group.
func (s *Store) TransitiveMembersOfGroup(ctx context.Context, tenantID, groupID string) ([]storage.GroupMember, error) {
	var rows []struct {
		ID   string `gorm:"column:id"`
		Type string `gorm:"column:type"`
	}
	if err := s.conn(ctx).Raw(membersOfGroupSQL, tenantID, groupID, groupID).Scan(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.GroupMember, 0, len(rows))
	for _, r := range rows {
		out = append(out, storage.GroupMember{ID: r.ID, Type: r.Type})
	}
	return out, nil
}

// GroupContains reports whether descendantID is groupID or nested inside it.
func (s *Store) GroupContains(ctx context.Context, tenantID, groupID, descendantID string) (bool, error) {
	var n int64
	if err := s.conn(ctx).Raw(groupContainsSQL, tenantID, groupID, descendantID).Scan(&n).Error; err != nil {
		return false, mapErr(err)
	}
	return n > 0, nil
}
