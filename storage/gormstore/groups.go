package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sigil-idp/sigil/storage"
)

type groupRow struct {
	ID                  string     `gorm:"column:id;primaryKey"`
	TenantID            string     `gorm:"column:tenant_id"`
	DisplayName         string     `gorm:"column:display_name"`
	Description         string     `gorm:"column:description"`
	MailNickname        string     `gorm:"column:mail_nickname"`
	Mail                string     `gorm:"column:mail"`
	GroupType           string     `gorm:"column:group_type"`
	SecurityEnabled     bool       `gorm:"column:security_enabled"`
	MailEnabled         bool       `gorm:"column:mail_enabled"`
	MembershipType      string     `gorm:"column:membership_type"`
	MembershipRule      string     `gorm:"column:membership_rule"`
	RuleProcessingState string     `gorm:"column:rule_processing_state"`
	RuleProcessedAt     *time.Time `gorm:"column:rule_processed_at"`
	IsAssignableToRole  bool       `gorm:"column:is_assignable_to_role"`
	CreatedAt           time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt           time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (groupRow) TableName() string { return "directory_groups" }

type groupRuleSourceRow struct {
	TenantID      string `gorm:"column:tenant_id"`
	GroupID       string `gorm:"column:group_id;primaryKey"`
	SourceGroupID string `gorm:"column:source_group_id;primaryKey"`
}

func (groupRuleSourceRow) TableName() string { return "group_rule_sources" }

func groupRowFrom(g *storage.Group) groupRow {
	return groupRow{
		ID: g.ID, TenantID: g.TenantID, DisplayName: g.DisplayName, Description: g.Description,
		MailNickname: g.MailNickname, Mail: g.Mail, GroupType: g.Type,
		SecurityEnabled: g.SecurityEnabled, MailEnabled: g.MailEnabled,
		MembershipType: g.MembershipType, MembershipRule: g.MembershipRule,
		RuleProcessingState: g.RuleProcessingState, RuleProcessedAt: normalizePtr(g.RuleProcessedAt),
		IsAssignableToRole: g.IsAssignableToRole, CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt,
	}
}

func (r groupRow) toStorage(sources []string) storage.Group {
	return storage.Group{
		ID: r.ID, TenantID: r.TenantID, DisplayName: r.DisplayName, Description: r.Description,
		MailNickname: r.MailNickname, Mail: r.Mail, Type: r.GroupType,
		SecurityEnabled: r.SecurityEnabled, MailEnabled: r.MailEnabled,
		MembershipType: r.MembershipType, MembershipRule: r.MembershipRule,
		RuleProcessingState: r.RuleProcessingState, RuleSourceGroupIDs: sources,
		RuleProcessedAt: normalizePtr(r.RuleProcessedAt), IsAssignableToRole: r.IsAssignableToRole,
		CreatedAt: normalize(r.CreatedAt), UpdatedAt: normalize(r.UpdatedAt),
	}
}

// CreateGroup inserts g and its memberOf rule sources in one transaction.
func (s *Store) CreateGroup(ctx context.Context, g *storage.Group) error {
	now := s.now()
	g.CreatedAt = orNow(g.CreatedAt, now)
	g.UpdatedAt = orNow(g.UpdatedAt, now)
	row := groupRowFrom(g)
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(&row).Error; err != nil {
			return mapErr(err)
		}
		return s.writeRuleSources(ctx, g.TenantID, g.ID, g.RuleSourceGroupIDs)
	})
}

// writeRuleSources replaces the memberOf sources of a group.
func (s *Store) writeRuleSources(ctx context.Context, tenantID, groupID string, sources []string) error {
	if err := s.conn(ctx).Where("group_id = ?", groupID).Delete(&groupRuleSourceRow{}).Error; err != nil {
		return mapErr(err)
	}
	if len(sources) == 0 {
		return nil
	}
	rows := make([]groupRuleSourceRow, 0, len(sources))
	for _, src := range sources {
		rows = append(rows, groupRuleSourceRow{TenantID: tenantID, GroupID: groupID, SourceGroupID: src})
	}
	return mapErr(s.conn(ctx).Create(&rows).Error)
}

// GetGroup returns the group with the ID in the tenant.
func (s *Store) GetGroup(ctx context.Context, tenantID, id string) (*storage.Group, error) {
	groups, err := s.findGroups(ctx, s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id))
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, storage.ErrNotFound
	}
	return &groups[0], nil
}

// ListGroups returns the tenant's groups ordered by display name.
func (s *Store) ListGroups(ctx context.Context, tenantID string) ([]storage.Group, error) {
	return s.findGroups(ctx, s.conn(ctx).Where("tenant_id = ?", tenantID))
}

// ListDynamicGroups returns the tenant's dynamic groups whose rule processing is On.
func (s *Store) ListDynamicGroups(ctx context.Context, tenantID string) ([]storage.Group, error) {
	return s.findGroups(ctx, s.conn(ctx).Where("tenant_id = ? AND membership_type = ? AND rule_processing_state = ?",
		tenantID, storage.MembershipDynamic, storage.RuleProcessingOn))
}

// ListGroupsByRuleSource returns the dynamic groups whose memberOf rule names the source.
func (s *Store) ListGroupsByRuleSource(ctx context.Context, tenantID, sourceGroupID string) ([]storage.Group, error) {
	sub := s.conn(ctx).Model(&groupRuleSourceRow{}).Select("group_id").
		Where("tenant_id = ? AND source_group_id = ?", tenantID, sourceGroupID)
	return s.findGroups(ctx, s.conn(ctx).Where("tenant_id = ? AND id IN (?)", tenantID, sub))
}

// findGroups runs the query on directory_groups and attaches rule sources.
func (s *Store) findGroups(ctx context.Context, q *gorm.DB) ([]storage.Group, error) {
	var rows []groupRow
	if err := q.Order("display_name, id").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	sources := map[string][]string{}
	for chunk := range chunks(ids, batchSize) {
		var srcRows []groupRuleSourceRow
		err := s.conn(ctx).Where("group_id IN ?", chunk).Order("group_id, source_group_id").Find(&srcRows).Error
		if err != nil {
			return nil, mapErr(err)
		}
		for _, r := range srcRows {
			sources[r.GroupID] = append(sources[r.GroupID], r.SourceGroupID)
		}
	}
	out := make([]storage.Group, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage(sources[r.ID]))
	}
	return out, nil
}

// CountGroups counts the tenant's groups matching every set field of f.
func (s *Store) CountGroups(ctx context.Context, tenantID string, f storage.GroupCountFilter) (int, error) {
	q := s.conn(ctx).Model(&groupRow{}).Where("tenant_id = ?", tenantID)
	if f.AssignableToRole {
		q = q.Where("is_assignable_to_role = ?", true)
	}
	if f.Dynamic {
		q = q.Where("membership_type = ?", storage.MembershipDynamic)
	}
	if f.UsesMemberOf {
		q = q.Where("id IN (?)", s.conn(ctx).Model(&groupRuleSourceRow{}).Select("group_id").Where("tenant_id = ?", tenantID))
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return 0, mapErr(err)
	}
	return int(n), nil
}

// UpdateGroup writes the mutable fields of g and replaces its rule sources.
// IsAssignableToRole is never written (C-08).
func (s *Store) UpdateGroup(ctx context.Context, g *storage.Group) error {
	now := s.now()
	return s.InTx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Model(&groupRow{}).Where("tenant_id = ? AND id = ?", g.TenantID, g.ID).
			Updates(map[string]any{
				"display_name": g.DisplayName, "description": g.Description,
				"mail_nickname": g.MailNickname, "mail": g.Mail, "group_type": g.Type,
				"security_enabled": g.SecurityEnabled, "mail_enabled": g.MailEnabled,
				"membership_type": g.MembershipType, "membership_rule": g.MembershipRule,
				"rule_processing_state": g.RuleProcessingState,
				"rule_processed_at":     normalizePtr(g.RuleProcessedAt), "updated_at": now,
			})
		if err := checkAffected(res.Error, res.RowsAffected); err != nil {
			return err
		}
		g.UpdatedAt = now
		return s.writeRuleSources(ctx, g.TenantID, g.ID, g.RuleSourceGroupIDs)
	})
}

// DeleteGroup removes the group; memberships, ownerships and rule sources cascade.
func (s *Store) DeleteGroup(ctx context.Context, tenantID, id string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Delete(&groupRow{})
	return checkAffected(res.Error, res.RowsAffected)
}
