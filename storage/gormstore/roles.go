package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sigil-idp/sigil/storage"
)

type roleDefinitionRow struct {
	ID          string     `gorm:"column:id;primaryKey"`
	TenantID    string     `gorm:"column:tenant_id"`
	DisplayName string     `gorm:"column:display_name"`
	Description string     `gorm:"column:description"`
	Permissions stringList `gorm:"column:permissions"`
	CreatedAt   time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt   time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (roleDefinitionRow) TableName() string { return "role_definitions" }

func (r roleDefinitionRow) toStorage() storage.RoleDefinition {
	return storage.RoleDefinition{
		ID: r.ID, TenantID: r.TenantID, DisplayName: r.DisplayName, Description: r.Description,
		Permissions: r.Permissions, CreatedAt: normalize(r.CreatedAt), UpdatedAt: normalize(r.UpdatedAt),
	}
}

type roleAssignmentRow struct {
	ID               string    `gorm:"column:id;primaryKey"`
	TenantID         string    `gorm:"column:tenant_id"`
	RoleDefinitionID string    `gorm:"column:role_definition_id"`
	PrincipalID      string    `gorm:"column:principal_id"`
	PrincipalType    string    `gorm:"column:principal_type"`
	DirectoryScopeID string    `gorm:"column:directory_scope_id"`
	CreatedAt        time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (roleAssignmentRow) TableName() string { return "role_assignments" }

func (r roleAssignmentRow) toStorage() storage.RoleAssignment {
	return storage.RoleAssignment{
		ID: r.ID, TenantID: r.TenantID, RoleDefinitionID: r.RoleDefinitionID,
		PrincipalID: r.PrincipalID, PrincipalType: r.PrincipalType,
		DirectoryScopeID: r.DirectoryScopeID, CreatedAt: normalize(r.CreatedAt),
	}
}

// CreateRoleDefinition inserts a custom role; the unique index on the
// lower-cased display name turns a duplicate name into ErrAlreadyExists.
func (s *Store) CreateRoleDefinition(ctx context.Context, d *storage.RoleDefinition) error {
	now := s.now()
	d.CreatedAt = orNow(d.CreatedAt, now)
	d.UpdatedAt = orNow(d.UpdatedAt, now)
	row := roleDefinitionRow{
		ID: d.ID, TenantID: d.TenantID, DisplayName: d.DisplayName, Description: d.Description,
		Permissions: d.Permissions, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetRoleDefinition returns one custom role of the tenant.
func (s *Store) GetRoleDefinition(ctx context.Context, tenantID, id string) (*storage.RoleDefinition, error) {
	var row roleDefinitionRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	d := row.toStorage()
	return &d, nil
}

// ListRoleDefinitions returns the tenant's custom roles by display name.
func (s *Store) ListRoleDefinitions(ctx context.Context, tenantID string) ([]storage.RoleDefinition, error) {
	var rows []roleDefinitionRow
	if err := s.conn(ctx).Where("tenant_id = ?", tenantID).Order("display_name, id").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.RoleDefinition, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// UpdateRoleDefinition writes the role's name, description and permissions.
func (s *Store) UpdateRoleDefinition(ctx context.Context, d *storage.RoleDefinition) error {
	now := s.now()
	res := s.conn(ctx).Model(&roleDefinitionRow{}).Where("tenant_id = ? AND id = ?", d.TenantID, d.ID).
		Updates(map[string]any{
			"display_name": d.DisplayName,
			"description":  d.Description,
			"permissions":  stringList(d.Permissions),
			"updated_at":   now,
		})
	if err := checkAffected(res.Error, res.RowsAffected); err != nil {
		return err
	}
	d.UpdatedAt = now
	return nil
}

// DeleteRoleDefinition removes a custom role.
func (s *Store) DeleteRoleDefinition(ctx context.Context, tenantID, id string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Delete(&roleDefinitionRow{})
	return checkAffected(res.Error, res.RowsAffected)
}

// CreateRoleAssignment inserts a; a principal holding the role at the scope
// already yields ErrAlreadyExists.
func (s *Store) CreateRoleAssignment(ctx context.Context, a *storage.RoleAssignment) error {
	a.CreatedAt = orNow(a.CreatedAt, s.now())
	row := roleAssignmentRow{
		ID: a.ID, TenantID: a.TenantID, RoleDefinitionID: a.RoleDefinitionID,
		PrincipalID: a.PrincipalID, PrincipalType: a.PrincipalType,
		DirectoryScopeID: a.DirectoryScopeID, CreatedAt: a.CreatedAt,
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetRoleAssignment returns one role assignment of the tenant.
func (s *Store) GetRoleAssignment(ctx context.Context, tenantID, id string) (*storage.RoleAssignment, error) {
	var row roleAssignmentRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	a := row.toStorage()
	return &a, nil
}

// roleFilter applies a RoleAssignmentFilter to a query on a table with
// role_definition_id and principal_id columns.
func roleFilter(q *gorm.DB, tenantID string, f storage.RoleAssignmentFilter) *gorm.DB {
	q = q.Where("tenant_id = ?", tenantID)
	if f.RoleDefinitionID != "" {
		q = q.Where("role_definition_id = ?", f.RoleDefinitionID)
	}
	if f.PrincipalID != "" {
		q = q.Where("principal_id = ?", f.PrincipalID)
	}
	return q.Order("created_at, id")
}

// ListRoleAssignments returns the matching assignments, oldest first.
func (s *Store) ListRoleAssignments(ctx context.Context, tenantID string, f storage.RoleAssignmentFilter) ([]storage.RoleAssignment, error) {
	var rows []roleAssignmentRow
	if err := roleFilter(s.conn(ctx), tenantID, f).Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.RoleAssignment, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// DeleteRoleAssignment removes one role assignment.
func (s *Store) DeleteRoleAssignment(ctx context.Context, tenantID, id string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Delete(&roleAssignmentRow{})
	return checkAffected(res.Error, res.RowsAffected)
}

// EffectiveRoleDefinitionIDs unions, in one statement, the role assignments of
// the user and of the given groups with the user's activations that are active
// at the given time and whose eligibility still names the user or one of the
// groups (a member who leaves the group loses the activated role at once).
// The halves are served by the indexes on (tenant_id, principal_id, ...) and
// (tenant_id, user_id, status, end_at).
func (s *Store) EffectiveRoleDefinitionIDs(ctx context.Context, tenantID, userID string, groupIDs []string, at time.Time) ([]string, error) {
	principals := append([]string{userID}, groupIDs...)
	at = normalize(at)
	var ids []string
	err := s.conn(ctx).Raw(`
SELECT role_definition_id FROM role_assignments
 WHERE tenant_id = ? AND principal_id IN ?
UNION
SELECT act.role_definition_id FROM role_activations act
  JOIN role_eligibilities e ON e.id = act.eligibility_id
 WHERE act.tenant_id = ? AND act.user_id = ? AND act.status = ? AND act.start_at <= ? AND act.end_at > ?
   AND e.principal_id IN ?
ORDER BY 1`,
		tenantID, principals, tenantID, userID, storage.ActivationActive, at, at, principals).
		Scan(&ids).Error
	if err != nil {
		return nil, mapErr(err)
	}
	return ids, nil
}
