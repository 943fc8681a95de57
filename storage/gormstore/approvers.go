package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type approvalRow struct {
	ID        string     `gorm:"column:id;primaryKey"`
	TenantID  string     `gorm:"column:tenant_id"`
	UserID    string     `gorm:"column:user_id"`
	Number    int        `gorm:"column:number"`
	AppName   string     `gorm:"column:app_name"`
	IP        string     `gorm:"column:ip"`
	State     string     `gorm:"column:state"`
	CreatedAt time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	ExpiresAt time.Time  `gorm:"column:expires_at"`
	DecidedAt *time.Time `gorm:"column:decided_at"`
}

func (approvalRow) TableName() string { return "approval_requests" }

func (r approvalRow) toStorage() storage.ApprovalRequest {
	return storage.ApprovalRequest{ID: r.ID, TenantID: r.TenantID, UserID: r.UserID, Number: r.Number, AppName: r.AppName,
		IP: r.IP, State: r.State, CreatedAt: normalize(r.CreatedAt), ExpiresAt: normalize(r.ExpiresAt), DecidedAt: normalizePtr(r.DecidedAt)}
}

// SaveApprovalRequest inserts the request or replaces the flow's earlier one.
func (s *Store) SaveApprovalRequest(ctx context.Context, a *storage.ApprovalRequest) error {
	if err := s.userInTenant(ctx, a.TenantID, a.UserID); err != nil {
		return err
	}
	a.CreatedAt = orNow(a.CreatedAt, s.now())
	a.ExpiresAt, a.DecidedAt = normalize(a.ExpiresAt), normalizePtr(a.DecidedAt)
	row := approvalRow{ID: a.ID, TenantID: a.TenantID, UserID: a.UserID, Number: a.Number, AppName: a.AppName, IP: a.IP,
		State: a.State, CreatedAt: a.CreatedAt, ExpiresAt: a.ExpiresAt, DecidedAt: a.DecidedAt}
	return mapErr(s.conn(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"tenant_id", "user_id", "number", "app_name", "ip", "state",
			"created_at", "expires_at", "decided_at"}),
	}).Create(&row).Error)
}

// GetApprovalRequest returns the tenant's request.
func (s *Store) GetApprovalRequest(ctx context.Context, tenantID, id string) (*storage.ApprovalRequest, error) {
	var row approvalRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	a := row.toStorage()
	return &a, nil
}

// ListApprovalRequests returns the user's live requests in the state.
func (s *Store) ListApprovalRequests(ctx context.Context, tenantID, userID, state string, now time.Time) ([]storage.ApprovalRequest, error) {
	var rows []approvalRow
	err := s.conn(ctx).Where("tenant_id = ? AND user_id = ? AND state = ? AND expires_at > ?", tenantID, userID, state, normalize(now)).
		Order("created_at DESC, id").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.ApprovalRequest, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// TransitionApprovalRequest is a conditional UPDATE on the state.
func (s *Store) TransitionApprovalRequest(ctx context.Context, tenantID, userID, id, from, to string, at time.Time) error {
	decided := orNow(at, s.now())
	res := s.conn(ctx).Model(&approvalRow{}).
		Where("tenant_id = ? AND user_id = ? AND id = ? AND state = ?", tenantID, userID, id, from).
		Updates(map[string]any{"state": to, "decided_at": decided})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := s.conn(ctx).Model(&approvalRow{}).Where("tenant_id = ? AND user_id = ? AND id = ?", tenantID, userID, id).Count(&n).Error; err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	return storage.ErrConflict
}

// DeleteExpiredApprovalRequests removes requests that expired before now.
func (s *Store) DeleteExpiredApprovalRequests(ctx context.Context, now time.Time) (int64, error) {
	res := s.conn(ctx).Where("expires_at <= ?", normalize(now)).Delete(&approvalRow{})
	return res.RowsAffected, mapErr(res.Error)
}
