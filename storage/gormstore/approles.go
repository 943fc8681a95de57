package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type appRoleRow struct {
	ID                 string     `gorm:"column:id;primaryKey"`
	TenantID           string     `gorm:"column:tenant_id"`
	ClientID           string     `gorm:"column:client_id"`
	Value              string     `gorm:"column:value"`
	DisplayName        string     `gorm:"column:display_name"`
	Description        string     `gorm:"column:description"`
	AllowedMemberTypes stringList `gorm:"column:allowed_member_types"`
	IsEnabled          bool       `gorm:"column:is_enabled"`
	CreatedAt          time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt          time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (appRoleRow) TableName() string { return "app_roles" }

func (r appRoleRow) toStorage() storage.AppRole {
	return storage.AppRole{
		ID: r.ID, TenantID: r.TenantID, ClientID: r.ClientID, Value: r.Value,
		DisplayName: r.DisplayName, Description: r.Description,
		AllowedMemberTypes: r.AllowedMemberTypes, IsEnabled: r.IsEnabled,
		CreatedAt: normalize(r.CreatedAt), UpdatedAt: normalize(r.UpdatedAt),
	}
}

type appRoleSettingsRow struct {
	ClientID           string `gorm:"column:client_id;primaryKey"`
	TenantID           string `gorm:"column:tenant_id"`
	AssignmentRequired bool   `gorm:"column:assignment_required"`
}

func (appRoleSettingsRow) TableName() string { return "app_role_settings" }

// applicationInTenant returns ErrNotFound unless the client is registered in
// the tenant, so nothing is attached to another tenant's application.
func (s *Store) applicationInTenant(ctx context.Context, tenantID, clientID string) error {
	var n int64
	err := s.conn(ctx).Model(&applicationRow{}).Where("tenant_id = ? AND id = ?", tenantID, clientID).Count(&n).Error
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// CreateAppRole inserts r after checking that its application is in the tenant.
func (s *Store) CreateAppRole(ctx context.Context, r *storage.AppRole) error {
	if err := s.applicationInTenant(ctx, r.TenantID, r.ClientID); err != nil {
		return err
	}
	now := s.now()
	r.CreatedAt = orNow(r.CreatedAt, now)
	r.UpdatedAt = orNow(r.UpdatedAt, now)
	row := appRoleRow{
		ID: r.ID, TenantID: r.TenantID, ClientID: r.ClientID, Value: r.Value,
		DisplayName: r.DisplayName, Description: r.Description,
		AllowedMemberTypes: r.AllowedMemberTypes, IsEnabled: r.IsEnabled,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetAppRole returns one role of the application.
func (s *Store) GetAppRole(ctx context.Context, tenantID, clientID, id string) (*storage.AppRole, error) {
	var row appRoleRow
	err := s.conn(ctx).Where("tenant_id = ? AND client_id = ? AND id = ?", tenantID, clientID, id).Take(&row).Error
	if err != nil {
		return nil, mapErr(err)
	}
	r := row.toStorage()
	return &r, nil
}

// ListAppRoles returns the application's roles by value.
func (s *Store) ListAppRoles(ctx context.Context, tenantID, clientID string) ([]storage.AppRole, error) {
	var rows []appRoleRow
	err := s.conn(ctx).Where("tenant_id = ? AND client_id = ?", tenantID, clientID).Order("value, id").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.AppRole, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// UpdateAppRole writes the role's editable fields.
func (s *Store) UpdateAppRole(ctx context.Context, r *storage.AppRole) error {
	now := s.now()
	res := s.conn(ctx).Model(&appRoleRow{}).
		Where("tenant_id = ? AND client_id = ? AND id = ?", r.TenantID, r.ClientID, r.ID).
		Updates(map[string]any{
			"value":                r.Value,
			"display_name":         r.DisplayName,
			"description":          r.Description,
			"allowed_member_types": stringList(r.AllowedMemberTypes),
			"is_enabled":           r.IsEnabled,
			"updated_at":           now,
		})
	if err := checkAffected(res.Error, res.RowsAffected); err != nil {
		return err
	}
	r.UpdatedAt = now
	return nil
}

// DeleteAppRole removes one role of the application.
func (s *Store) DeleteAppRole(ctx context.Context, tenantID, clientID, id string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND client_id = ? AND id = ?", tenantID, clientID, id).
		Delete(&appRoleRow{})
	return checkAffected(res.Error, res.RowsAffected)
}

// SetAppRoleAssignmentRequired upserts the application's settings row.
func (s *Store) SetAppRoleAssignmentRequired(ctx context.Context, tenantID, clientID string, required bool) error {
	if err := s.applicationInTenant(ctx, tenantID, clientID); err != nil {
		return err
	}
	row := appRoleSettingsRow{ClientID: clientID, TenantID: tenantID, AssignmentRequired: required}
	err := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "client_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"assignment_required"}),
	}).Create(&row).Error
	return mapErr(err)
}

// AppRoleAssignmentRequired reads the flag in one query: the application
// left-joined with its settings row.
func (s *Store) AppRoleAssignmentRequired(ctx context.Context, tenantID, clientID string) (bool, error) {
	var rows []struct {
		Required *bool `gorm:"column:assignment_required"`
	}
	err := s.conn(ctx).Table("applications AS a").
		Select("st.assignment_required").
		Joins("LEFT JOIN app_role_settings AS st ON st.client_id = a.id").
		Where("a.tenant_id = ? AND a.id = ?", tenantID, clientID).
		Scan(&rows).Error
	if err != nil {
		return false, mapErr(err)
	}
	if len(rows) == 0 {
		return false, storage.ErrNotFound
	}
	return rows[0].Required != nil && *rows[0].Required, nil
}
