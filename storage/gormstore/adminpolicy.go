package gormstore

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type authorizationPolicyRow struct {
	TenantID                      string    `gorm:"column:tenant_id;primaryKey"`
	AllowedToCreateApps           bool      `gorm:"column:allowed_to_create_apps"`
	AllowedToCreateSecurityGroups bool      `gorm:"column:allowed_to_create_security_groups"`
	AllowedToCreateM365Groups     bool      `gorm:"column:allowed_to_create_m365_groups"`
	AllowedToReadOtherUsers       bool      `gorm:"column:allowed_to_read_other_users"`
	GuestAccess                   string    `gorm:"column:guest_access"`
	AllowInvitesFrom              string    `gorm:"column:allow_invites_from"`
	UpdatedAt                     time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (authorizationPolicyRow) TableName() string { return "authorization_policies" }

type appPermissionGrantRow struct {
	TenantID   string    `gorm:"column:tenant_id;primaryKey"`
	ClientID   string    `gorm:"column:client_id;primaryKey"`
	Permission string    `gorm:"column:permission;primaryKey"`
	GrantedAt  time.Time `gorm:"column:granted_at"`
}

func (appPermissionGrantRow) TableName() string { return "app_permission_grants" }

// GetAuthorizationPolicy returns the stored policy or the default one.
func (s *Store) GetAuthorizationPolicy(ctx context.Context, tenantID string) (*storage.AuthorizationPolicy, error) {
	var row authorizationPolicyRow
	err := mapErr(s.conn(ctx).Where("tenant_id = ?", tenantID).Take(&row).Error)
	if errors.Is(err, storage.ErrNotFound) {
		if _, err := s.GetTenant(ctx, tenantID); err != nil {
			return nil, err
		}
		p := storage.DefaultAuthorizationPolicy(tenantID)
		return &p, nil
	}
	if err != nil {
		return nil, err
	}
	p := storage.AuthorizationPolicy(row)
	p.UpdatedAt = normalize(p.UpdatedAt)
	return &p, nil
}

// SaveAuthorizationPolicy upserts the tenant's policy.
func (s *Store) SaveAuthorizationPolicy(ctx context.Context, p *storage.AuthorizationPolicy) error {
	p.UpdatedAt = orNow(p.UpdatedAt, s.now())
	row := authorizationPolicyRow(*p)
	err := s.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "tenant_id"}}, UpdateAll: true}).Create(&row).Error
	return mapErr(err)
}

// GrantAppPermission records an application permission grant.
func (s *Store) GrantAppPermission(ctx context.Context, g *storage.AppPermissionGrant) error {
	g.GrantedAt = orNow(g.GrantedAt, s.now())
	return mapErr(s.conn(ctx).Create(&appPermissionGrantRow{
		TenantID: g.TenantID, ClientID: g.ClientID, Permission: g.Permission, GrantedAt: g.GrantedAt,
	}).Error)
}

// RevokeAppPermission removes a grant.
func (s *Store) RevokeAppPermission(ctx context.Context, tenantID, clientID, permission string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND client_id = ? AND permission = ?", tenantID, clientID, permission).
		Delete(&appPermissionGrantRow{})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// ListAppPermissions returns the client's granted permissions, sorted.
func (s *Store) ListAppPermissions(ctx context.Context, tenantID, clientID string) ([]string, error) {
	var out []string
	err := s.conn(ctx).Model(&appPermissionGrantRow{}).Where("tenant_id = ? AND client_id = ?", tenantID, clientID).
		Order("permission").Pluck("permission", &out).Error
	return out, mapErr(err)
}
