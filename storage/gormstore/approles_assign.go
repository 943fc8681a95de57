package gormstore

import (
	"context"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

type appRoleAssignmentRow struct {
	ID            string    `gorm:"column:id;primaryKey"`
	TenantID      string    `gorm:"column:tenant_id"`
	ClientID      string    `gorm:"column:client_id"`
	AppRoleID     string    `gorm:"column:app_role_id"`
	PrincipalID   string    `gorm:"column:principal_id"`
	PrincipalType string    `gorm:"column:principal_type"`
	TeamType      string    `gorm:"column:team_type"`
	CreatedAt     time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (appRoleAssignmentRow) TableName() string { return "app_role_assignments" }

func (r appRoleAssignmentRow) toStorage() storage.AppRoleAssignment {
	return storage.AppRoleAssignment{
		ID: r.ID, TenantID: r.TenantID, ClientID: r.ClientID, AppRoleID: r.AppRoleID,
		PrincipalID: r.PrincipalID, PrincipalType: r.PrincipalType, TeamType: r.TeamType,
		CreatedAt: normalize(r.CreatedAt),
	}
}

// CreateAppRoleAssignment inserts a after checking that the resource
// application is in the tenant.
func (s *Store) CreateAppRoleAssignment(ctx context.Context, a *storage.AppRoleAssignment) error {
	if err := s.applicationInTenant(ctx, a.TenantID, a.ClientID); err != nil {
		return err
	}
	a.CreatedAt = orNow(a.CreatedAt, s.now())
	row := appRoleAssignmentRow{
		ID: a.ID, TenantID: a.TenantID, ClientID: a.ClientID, AppRoleID: a.AppRoleID,
		PrincipalID: a.PrincipalID, PrincipalType: a.PrincipalType, TeamType: a.TeamType,
		CreatedAt: a.CreatedAt,
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetAppRoleAssignment returns one app role assignment of the tenant.
func (s *Store) GetAppRoleAssignment(ctx context.Context, tenantID, id string) (*storage.AppRoleAssignment, error) {
	var row appRoleAssignmentRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	a := row.toStorage()
	return &a, nil
}

// ListAppRoleAssignments returns the matching assignments, oldest first.
func (s *Store) ListAppRoleAssignments(ctx context.Context, tenantID string, f storage.AppRoleAssignmentFilter) ([]storage.AppRoleAssignment, error) {
	q := s.conn(ctx).Where("tenant_id = ?", tenantID)
	if f.ClientID != "" {
		q = q.Where("client_id = ?", f.ClientID)
	}
	if f.AppRoleID != "" {
		q = q.Where("app_role_id = ?", f.AppRoleID)
	}
	if f.PrincipalID != "" {
		q = q.Where("principal_id = ?", f.PrincipalID)
	}
	var rows []appRoleAssignmentRow
	if err := q.Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.AppRoleAssignment, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// DeleteAppRoleAssignment removes one app role assignment.
func (s *Store) DeleteAppRoleAssignment(ctx context.Context, tenantID, id string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Delete(&appRoleAssignmentRow{})
	return checkAffected(res.Error, res.RowsAffected)
}

// appRoleGrantRow is one row of app_role_assignments ⟕ app_roles.
type appRoleGrantRow struct {
	AppRoleID     string  `gorm:"column:app_role_id"`
	PrincipalID   string  `gorm:"column:principal_id"`
	PrincipalType string  `gorm:"column:principal_type"`
	TeamType      string  `gorm:"column:team_type"`
	Value         *string `gorm:"column:value"`
	IsEnabled     *bool   `gorm:"column:is_enabled"`
}

// AppRoleGrants reads the application's assignments to any of the principals
// with their roles, in one indexed query (client_id, principal_id, …).
func (s *Store) AppRoleGrants(ctx context.Context, tenantID, clientID string, principalIDs []string) ([]storage.AppRoleGrant, error) {
	if len(principalIDs) == 0 {
		return nil, nil
	}
	var rows []appRoleGrantRow
	err := s.conn(ctx).Table("app_role_assignments AS ara").
		Select("ara.app_role_id, ara.principal_id, ara.principal_type, ara.team_type, r.value, r.is_enabled").
		Joins("LEFT JOIN app_roles AS r ON r.id = ara.app_role_id AND r.client_id = ara.client_id").
		Where("ara.tenant_id = ? AND ara.client_id = ? AND ara.principal_id IN ?", tenantID, clientID, principalIDs).
		Order("ara.created_at, ara.id").
		Scan(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.AppRoleGrant, 0, len(rows))
	for _, r := range rows {
		g := storage.AppRoleGrant{
			AppRoleID: r.AppRoleID, PrincipalID: r.PrincipalID, PrincipalType: r.PrincipalType,
			TeamType: r.TeamType, Enabled: r.AppRoleID == storage.DefaultAccessAppRoleID,
		}
		if r.Value != nil {
			g.Value = *r.Value
		}
		if r.IsEnabled != nil {
			g.Enabled = *r.IsEnabled
		}
		out = append(out, g)
	}
	return out, nil
}
