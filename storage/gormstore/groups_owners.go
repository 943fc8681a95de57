package gormstore

import (
	"context"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// AddGroupOwner makes a user of the tenant an owner of the group.
func (s *Store) AddGroupOwner(ctx context.Context, tenantID, groupID, userID string) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.requireInTenant(ctx, "directory_groups", tenantID, groupID); err != nil {
			return err
		}
		if err := s.requireInTenant(ctx, "users", tenantID, userID); err != nil {
			return err
		}
		row := groupOwnerRow{TenantID: tenantID, GroupID: groupID, UserID: userID, CreatedAt: s.now()}
		return mapErr(s.conn(ctx).Create(&row).Error)
	})
}

// RemoveGroupOwner removes an owner of the group.
func (s *Store) RemoveGroupOwner(ctx context.Context, tenantID, groupID, userID string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND group_id = ? AND user_id = ?", tenantID, groupID, userID).
		Delete(&groupOwnerRow{})
	return checkAffected(res.Error, res.RowsAffected)
}

// ListGroupOwners returns the owners' user IDs.
func (s *Store) ListGroupOwners(ctx context.Context, tenantID, groupID string) ([]string, error) {
	var ids []string
	err := s.conn(ctx).Model(&groupOwnerRow{}).Where("tenant_id = ? AND group_id = ?", tenantID, groupID).
		Order("user_id").Pluck("user_id", &ids).Error
	return ids, mapErr(err)
}

// ListOwnedGroupIDs returns the groups the user owns.
func (s *Store) ListOwnedGroupIDs(ctx context.Context, tenantID, userID string) ([]string, error) {
	var ids []string
	err := s.conn(ctx).Model(&groupOwnerRow{}).Where("tenant_id = ? AND user_id = ?", tenantID, userID).
		Order("group_id").Pluck("group_id", &ids).Error
	return ids, mapErr(err)
}

type extensionPropertyRow struct {
	TenantID  string    `gorm:"column:tenant_id;primaryKey"`
	Name      string    `gorm:"column:name;primaryKey"`
	AppID     string    `gorm:"column:app_id"`
	DataType  string    `gorm:"column:data_type"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (extensionPropertyRow) TableName() string { return "extension_properties" }

// CreateExtensionProperty registers a directory extension attribute.
func (s *Store) CreateExtensionProperty(ctx context.Context, p *storage.ExtensionProperty) error {
	p.CreatedAt = orNow(p.CreatedAt, s.now())
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.requireInTenant(ctx, "applications", p.TenantID, p.AppID); err != nil {
			return err
		}
		row := extensionPropertyRow{TenantID: p.TenantID, Name: p.Name, AppID: p.AppID, DataType: p.DataType,
			CreatedAt: p.CreatedAt}
		return mapErr(s.conn(ctx).Create(&row).Error)
	})
}

// ListExtensionProperties returns the tenant's directory extension definitions by name.
func (s *Store) ListExtensionProperties(ctx context.Context, tenantID string) ([]storage.ExtensionProperty, error) {
	var rows []extensionPropertyRow
	if err := s.conn(ctx).Where("tenant_id = ?", tenantID).Order("name").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.ExtensionProperty, 0, len(rows))
	for _, r := range rows {
		out = append(out, storage.ExtensionProperty{Name: r.Name, TenantID: r.TenantID, AppID: r.AppID,
			DataType: r.DataType, CreatedAt: normalize(r.CreatedAt)})
	}
	return out, nil
}

// DeleteExtensionProperty removes a definition; users' stored values stay
// until their next update, which drops unregistered names.
func (s *Store) DeleteExtensionProperty(ctx context.Context, tenantID, name string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND name = ?", tenantID, name).Delete(&extensionPropertyRow{})
	return checkAffected(res.Error, res.RowsAffected)
}
