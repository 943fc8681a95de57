package gormstore

import (
	"context"
	"iter"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

// batchSize bounds the rows of one bulk statement (and the bound parameters
// of one IN list), below SQLite's and Postgres's parameter limits.
const batchSize = 500

// insertBatchRows is how many membership rows one INSERT writes (four
// parameters each, well under both dialects' limits).
const insertBatchRows = 1000

// chunks yields consecutive slices of at most n elements of s.
func chunks[T any](s []T, n int) iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		for start := 0; start < len(s); start += n {
			if !yield(s[start:min(start+n, len(s))]) {
				return
			}
		}
	}
}

type groupUserMemberRow struct {
	TenantID  string    `gorm:"column:tenant_id"`
	GroupID   string    `gorm:"column:group_id;primaryKey"`
	UserID    string    `gorm:"column:user_id;primaryKey"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (groupUserMemberRow) TableName() string { return "group_user_members" }

type groupGroupMemberRow struct {
	TenantID     string    `gorm:"column:tenant_id"`
	GroupID      string    `gorm:"column:group_id;primaryKey"`
	ChildGroupID string    `gorm:"column:child_group_id;primaryKey"`
	CreatedAt    time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (groupGroupMemberRow) TableName() string { return "group_group_members" }

type groupOwnerRow struct {
	TenantID  string    `gorm:"column:tenant_id"`
	GroupID   string    `gorm:"column:group_id;primaryKey"`
	UserID    string    `gorm:"column:user_id;primaryKey"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (groupOwnerRow) TableName() string { return "group_owners" }

// requireInTenant returns ErrNotFound unless the table has the row id in the tenant.
func (s *Store) requireInTenant(ctx context.Context, table, tenantID, id string) error {
	var n int64
	err := s.conn(ctx).Table(table).Where("tenant_id = ? AND id = ?", tenantID, id).Count(&n).Error
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// AddGroupMember adds a user or a nested group as a direct member.
func (s *Store) AddGroupMember(ctx context.Context, tenantID, groupID string, m storage.GroupMember) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.requireInTenant(ctx, "directory_groups", tenantID, groupID); err != nil {
			return err
		}
		now := s.now()
		if m.Type == storage.MemberTypeGroup {
			if err := s.requireInTenant(ctx, "directory_groups", tenantID, m.ID); err != nil {
				return err
			}
			row := groupGroupMemberRow{TenantID: tenantID, GroupID: groupID, ChildGroupID: m.ID, CreatedAt: now}
			return mapErr(s.conn(ctx).Create(&row).Error)
		}
		if err := s.requireInTenant(ctx, "users", tenantID, m.ID); err != nil {
			return err
		}
		row := groupUserMemberRow{TenantID: tenantID, GroupID: groupID, UserID: m.ID, CreatedAt: now}
		return mapErr(s.conn(ctx).Create(&row).Error)
	})
}

// RemoveGroupMember removes a direct member.
func (s *Store) RemoveGroupMember(ctx context.Context, tenantID, groupID string, m storage.GroupMember) error {
	q := s.conn(ctx).Where("tenant_id = ? AND group_id = ?", tenantID, groupID)
	if m.Type == storage.MemberTypeGroup {
		res := q.Where("child_group_id = ?", m.ID).Delete(&groupGroupMemberRow{})
		return checkAffected(res.Error, res.RowsAffected)
	}
	res := q.Where("user_id = ?", m.ID).Delete(&groupUserMemberRow{})
	return checkAffected(res.Error, res.RowsAffected)
}

// ListGroupMembers returns the direct members, users first, then groups.
func (s *Store) ListGroupMembers(ctx context.Context, tenantID, groupID string) ([]storage.GroupMember, error) {
	var users, groups []string
	err := s.conn(ctx).Model(&groupUserMemberRow{}).Where("tenant_id = ? AND group_id = ?", tenantID, groupID).
		Order("user_id").Pluck("user_id", &users).Error
	if err != nil {
		return nil, mapErr(err)
	}
	err = s.conn(ctx).Model(&groupGroupMemberRow{}).Where("tenant_id = ? AND group_id = ?", tenantID, groupID).
		Order("child_group_id").Pluck("child_group_id", &groups).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.GroupMember, 0, len(users)+len(groups))
	for _, id := range users {
		out = append(out, storage.GroupMember{ID: id, Type: storage.MemberTypeUser})
	}
	for _, id := range groups {
		out = append(out, storage.GroupMember{ID: id, Type: storage.MemberTypeGroup})
	}
	return out, nil
}

// ListDirectUserMembers returns the direct user members of each group.
func (s *Store) ListDirectUserMembers(ctx context.Context, tenantID string, groupIDs []string) (map[string][]string, error) {
	out := make(map[string][]string, len(groupIDs))
	for chunk := range chunks(groupIDs, batchSize) {
		if err := s.scanUserMembers(ctx, tenantID, chunk, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scanUserMembers reads (group, user) pairs with plain row scans: a full
// re-evaluation reads hundreds of thousands of them.
func (s *Store) scanUserMembers(ctx context.Context, tenantID string, groupIDs []string, out map[string][]string) error {
	rows, err := s.conn(ctx).Model(&groupUserMemberRow{}).Select("group_id, user_id").
		Where("tenant_id = ? AND group_id IN ?", tenantID, groupIDs).Order("group_id, user_id").Rows()
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var groupID, userID string
		if err := rows.Scan(&groupID, &userID); err != nil {
			return mapErr(err)
		}
		out[groupID] = append(out[groupID], userID)
	}
	return mapErr(rows.Err())
}

// ApplyMembershipChanges inserts and deletes user memberships in batches, in
// one transaction. Existing additions and missing removals are ignored.
func (s *Store) ApplyMembershipChanges(ctx context.Context, tenantID string, changes []storage.MembershipChange) error {
	now := s.now()
	var adds []groupUserMemberRow
	removes := map[string][]string{} // group → users
	for _, c := range changes {
		if c.Add {
			adds = append(adds, groupUserMemberRow{TenantID: tenantID, GroupID: c.GroupID, UserID: c.UserID, CreatedAt: now})
		} else {
			removes[c.GroupID] = append(removes[c.GroupID], c.UserID)
		}
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		for chunk := range chunks(adds, insertBatchRows) {
			if err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&chunk).Error; err != nil {
				return mapErr(err)
			}
		}
		for groupID, users := range removes {
			for chunk := range chunks(users, batchSize) {
				err := s.conn(ctx).Where("tenant_id = ? AND group_id = ? AND user_id IN ?", tenantID, groupID, chunk).
					Delete(&groupUserMemberRow{}).Error
				if err != nil {
					return mapErr(err)
				}
			}
		}
		return nil
	})
}

// ListUserGroupIDs returns the groups the user is a direct member of.
func (s *Store) ListUserGroupIDs(ctx context.Context, tenantID, userID string) ([]string, error) {
	var ids []string
	err := s.conn(ctx).Model(&groupUserMemberRow{}).Where("tenant_id = ? AND user_id = ?", tenantID, userID).
		Order("group_id").Pluck("group_id", &ids).Error
	return ids, mapErr(err)
}
