package gormstore

import (
	"context"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

type roleEligibilityRow struct {
	ID                 string    `gorm:"column:id;primaryKey"`
	TenantID           string    `gorm:"column:tenant_id"`
	RoleDefinitionID   string    `gorm:"column:role_definition_id"`
	PrincipalID        string    `gorm:"column:principal_id"`
	PrincipalType      string    `gorm:"column:principal_type"`
	DirectoryScopeID   string    `gorm:"column:directory_scope_id"`
	MaxDurationSeconds int64     `gorm:"column:max_duration_seconds"`
	ApprovalRequired   bool      `gorm:"column:approval_required"`
	CreatedAt          time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (roleEligibilityRow) TableName() string { return "role_eligibilities" }

func (r roleEligibilityRow) toStorage() storage.RoleEligibility {
	return storage.RoleEligibility{
		ID: r.ID, TenantID: r.TenantID, RoleDefinitionID: r.RoleDefinitionID,
		PrincipalID: r.PrincipalID, PrincipalType: r.PrincipalType, DirectoryScopeID: r.DirectoryScopeID,
		MaxDuration:      time.Duration(r.MaxDurationSeconds) * time.Second,
		ApprovalRequired: r.ApprovalRequired, CreatedAt: normalize(r.CreatedAt),
	}
}

type roleActivationRow struct {
	ID               string     `gorm:"column:id;primaryKey"`
	TenantID         string     `gorm:"column:tenant_id"`
	EligibilityID    string     `gorm:"column:eligibility_id"`
	RoleDefinitionID string     `gorm:"column:role_definition_id"`
	UserID           string     `gorm:"column:user_id"`
	Justification    string     `gorm:"column:justification"`
	DurationSeconds  int64      `gorm:"column:duration_seconds"`
	Status           string     `gorm:"column:status"`
	RequestedAt      time.Time  `gorm:"column:requested_at"`
	DecidedBy        string     `gorm:"column:decided_by"`
	DecidedAt        *time.Time `gorm:"column:decided_at"`
	StartAt          *time.Time `gorm:"column:start_at"`
	EndAt            *time.Time `gorm:"column:end_at"`
}

func (roleActivationRow) TableName() string { return "role_activations" }

func (r roleActivationRow) toStorage() storage.RoleActivation {
	return storage.RoleActivation{
		ID: r.ID, TenantID: r.TenantID, EligibilityID: r.EligibilityID,
		RoleDefinitionID: r.RoleDefinitionID, UserID: r.UserID, Justification: r.Justification,
		Duration: time.Duration(r.DurationSeconds) * time.Second, Status: r.Status,
		RequestedAt: normalize(r.RequestedAt), DecidedBy: r.DecidedBy,
		DecidedAt: normalizePtr(r.DecidedAt), StartAt: normalizePtr(r.StartAt), EndAt: normalizePtr(r.EndAt),
	}
}

// CreateRoleEligibility inserts e; durations are kept in whole seconds.
func (s *Store) CreateRoleEligibility(ctx context.Context, e *storage.RoleEligibility) error {
	e.CreatedAt = orNow(e.CreatedAt, s.now())
	e.MaxDuration = e.MaxDuration.Truncate(time.Second)
	row := roleEligibilityRow{
		ID: e.ID, TenantID: e.TenantID, RoleDefinitionID: e.RoleDefinitionID,
		PrincipalID: e.PrincipalID, PrincipalType: e.PrincipalType, DirectoryScopeID: e.DirectoryScopeID,
		MaxDurationSeconds: int64(e.MaxDuration / time.Second), ApprovalRequired: e.ApprovalRequired,
		CreatedAt: e.CreatedAt,
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetRoleEligibility returns one eligibility of the tenant.
func (s *Store) GetRoleEligibility(ctx context.Context, tenantID, id string) (*storage.RoleEligibility, error) {
	var row roleEligibilityRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	e := row.toStorage()
	return &e, nil
}

// ListRoleEligibilities returns the matching eligibilities, oldest first.
func (s *Store) ListRoleEligibilities(ctx context.Context, tenantID string, f storage.RoleAssignmentFilter) ([]storage.RoleEligibility, error) {
	var rows []roleEligibilityRow
	if err := roleFilter(s.conn(ctx), tenantID, f).Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.RoleEligibility, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// DeleteRoleEligibility removes the eligibility; its activations go with it
// (ON DELETE CASCADE), so an active role ends at once.
func (s *Store) DeleteRoleEligibility(ctx context.Context, tenantID, id string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Delete(&roleEligibilityRow{})
	return checkAffected(res.Error, res.RowsAffected)
}

// CreateRoleActivation inserts a; a missing eligibility or user is ErrNotFound.
func (s *Store) CreateRoleActivation(ctx context.Context, a *storage.RoleActivation) error {
	a.RequestedAt = orNow(a.RequestedAt, s.now())
	a.Duration = a.Duration.Truncate(time.Second)
	a.DecidedAt, a.StartAt, a.EndAt = normalizePtr(a.DecidedAt), normalizePtr(a.StartAt), normalizePtr(a.EndAt)
	row := roleActivationRow{
		ID: a.ID, TenantID: a.TenantID, EligibilityID: a.EligibilityID,
		RoleDefinitionID: a.RoleDefinitionID, UserID: a.UserID, Justification: a.Justification,
		DurationSeconds: int64(a.Duration / time.Second), Status: a.Status, RequestedAt: a.RequestedAt,
		DecidedBy: a.DecidedBy, DecidedAt: a.DecidedAt, StartAt: a.StartAt, EndAt: a.EndAt,
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetRoleActivation returns one activation of the tenant.
func (s *Store) GetRoleActivation(ctx context.Context, tenantID, id string) (*storage.RoleActivation, error) {
	var row roleActivationRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	a := row.toStorage()
	return &a, nil
}

// ListRoleActivations returns activations newest first, optionally of one
// user and in the given statuses.
func (s *Store) ListRoleActivations(ctx context.Context, tenantID, userID string, statuses ...string) ([]storage.RoleActivation, error) {
	q := s.conn(ctx).Where("tenant_id = ?", tenantID)
	if userID != "" {
		q = q.Where("user_id = ?", userID)
	}
	if len(statuses) > 0 {
		q = q.Where("status IN ?", statuses)
	}
	var rows []roleActivationRow
	if err := q.Order("requested_at DESC, id").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.RoleActivation, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// UpdateRoleActivation is a compare-and-set on the status: the row changes
// only while it still has prevStatus.
func (s *Store) UpdateRoleActivation(ctx context.Context, a *storage.RoleActivation, prevStatus string) error {
	a.DecidedAt, a.StartAt, a.EndAt = normalizePtr(a.DecidedAt), normalizePtr(a.StartAt), normalizePtr(a.EndAt)
	res := s.conn(ctx).Model(&roleActivationRow{}).
		Where("tenant_id = ? AND id = ? AND status = ?", a.TenantID, a.ID, prevStatus).
		Updates(map[string]any{
			"status":     a.Status,
			"decided_by": a.DecidedBy,
			"decided_at": a.DecidedAt,
			"start_at":   a.StartAt,
			"end_at":     a.EndAt,
		})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	if _, err := s.GetRoleActivation(ctx, a.TenantID, a.ID); err != nil {
		return err
	}
	return storage.ErrConflict
}
