package gormstore

import (
	"context"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

type flowRow struct {
	ID            string     `gorm:"column:id;primaryKey"`
	TenantID      string     `gorm:"column:tenant_id"`
	ClientID      string     `gorm:"column:client_id"`
	AuthorizeForm string     `gorm:"column:authorize_form"`
	Step          string     `gorm:"column:step"`
	StepNonce     string     `gorm:"column:step_nonce"`
	Prompt        string     `gorm:"column:prompt"`
	MaxAge        int        `gorm:"column:max_age"`
	LoginHint     string     `gorm:"column:login_hint"`
	UserID        string     `gorm:"column:user_id"`
	SessionID     string     `gorm:"column:session_id"`
	AuthTime      *time.Time `gorm:"column:auth_time"`
	AMR           stringList `gorm:"column:amr"`
	ACR           string     `gorm:"column:acr"`
	GrantedScopes stringList `gorm:"column:granted_scopes"`
	Failures      int        `gorm:"column:failures"`
	Facts         string     `gorm:"column:facts"`
	CreatedAt     time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt     time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
	ExpiresAt     time.Time  `gorm:"column:expires_at"`
}

func (flowRow) TableName() string { return "flows" }

func flowRowFrom(f *storage.Flow) flowRow {
	return flowRow{
		ID:            f.ID,
		TenantID:      f.TenantID,
		ClientID:      f.ClientID,
		AuthorizeForm: f.AuthorizeForm,
		Step:          f.Step,
		StepNonce:     f.StepNonce,
		Prompt:        f.Prompt,
		MaxAge:        f.MaxAge,
		LoginHint:     f.LoginHint,
		UserID:        f.UserID,
		SessionID:     f.SessionID,
		AuthTime:      f.AuthTime,
		AMR:           f.AMR,
		ACR:           f.ACR,
		GrantedScopes: f.GrantedScopes,
		Failures:      f.Failures,
		Facts:         f.Facts,
		CreatedAt:     f.CreatedAt,
		UpdatedAt:     f.UpdatedAt,
		ExpiresAt:     f.ExpiresAt,
	}
}

func (r flowRow) toStorage() storage.Flow {
	return storage.Flow{
		ID:            r.ID,
		TenantID:      r.TenantID,
		ClientID:      r.ClientID,
		AuthorizeForm: r.AuthorizeForm,
		Step:          r.Step,
		StepNonce:     r.StepNonce,
		Prompt:        r.Prompt,
		MaxAge:        r.MaxAge,
		LoginHint:     r.LoginHint,
		UserID:        r.UserID,
		SessionID:     r.SessionID,
		AuthTime:      normalizePtr(r.AuthTime),
		AMR:           r.AMR,
		ACR:           r.ACR,
		GrantedScopes: r.GrantedScopes,
		Failures:      r.Failures,
		Facts:         r.Facts,
		CreatedAt:     normalize(r.CreatedAt),
		UpdatedAt:     normalize(r.UpdatedAt),
		ExpiresAt:     normalize(r.ExpiresAt),
	}
}

// CreateFlow inserts f, stamping CreatedAt and UpdatedAt when they are zero.
func (s *Store) CreateFlow(ctx context.Context, f *storage.Flow) error {
	now := s.now()
	f.CreatedAt = orNow(f.CreatedAt, now)
	f.UpdatedAt = orNow(f.UpdatedAt, now)
	f.ExpiresAt = normalize(f.ExpiresAt)
	f.AuthTime = normalizePtr(f.AuthTime)
	row := flowRowFrom(f)
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetFlow returns the flow with the ID.
func (s *Store) GetFlow(ctx context.Context, id string) (*storage.Flow, error) {
	var row flowRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	f := row.toStorage()
	return &f, nil
}

// UpdateFlow writes every mutable field of f only if the stored UpdatedAt equals
// prevUpdatedAt, in one conditional UPDATE. The new UpdatedAt is f.UpdatedAt
// when it is later than prevUpdatedAt, otherwise the store's clock (at least one
// microsecond after prevUpdatedAt); it is written back into f. A lost race yields
// ErrConflict, a missing flow ErrNotFound.
func (s *Store) UpdateFlow(ctx context.Context, f *storage.Flow, prevUpdatedAt time.Time) error {
	prev := normalize(prevUpdatedAt)
	next := nextVersion(normalize(f.UpdatedAt), prev, s.now())
	res := s.conn(ctx).Model(&flowRow{}).Where("id = ? AND updated_at = ?", f.ID, prev).
		Updates(map[string]any{
			"authorize_form": f.AuthorizeForm,
			"step":           f.Step,
			"step_nonce":     f.StepNonce,
			"prompt":         f.Prompt,
			"max_age":        f.MaxAge,
			"login_hint":     f.LoginHint,
			"user_id":        f.UserID,
			"session_id":     f.SessionID,
			"auth_time":      normalizePtr(f.AuthTime),
			"amr":            stringList(f.AMR),
			"acr":            f.ACR,
			"granted_scopes": stringList(f.GrantedScopes),
			"failures":       f.Failures,
			"facts":          f.Facts,
			"updated_at":     next,
			"expires_at":     normalize(f.ExpiresAt),
		})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		if _, err := s.GetFlow(ctx, f.ID); err != nil {
			return err
		}
		return storage.ErrConflict
	}
	f.UpdatedAt = next
	f.AuthTime = normalizePtr(f.AuthTime)
	f.ExpiresAt = normalize(f.ExpiresAt)
	return nil
}

// nextVersion picks the UpdatedAt written by UpdateFlow: strictly after prev.
func nextVersion(requested, prev, now time.Time) time.Time {
	if requested.After(prev) {
		return requested
	}
	if now.After(prev) {
		return now
	}
	return prev.Add(time.Microsecond)
}

// DeleteFlow removes the flow; ErrNotFound when there is none.
func (s *Store) DeleteFlow(ctx context.Context, id string) error {
	res := s.conn(ctx).Where("id = ?", id).Delete(&flowRow{})
	return checkAffected(res.Error, res.RowsAffected)
}

// DeleteExpiredFlows removes flows whose expiry is before the time.
func (s *Store) DeleteExpiredFlows(ctx context.Context, before time.Time) (int64, error) {
	res := s.conn(ctx).Where("expires_at < ?", normalize(before)).Delete(&flowRow{})
	return res.RowsAffected, mapErr(res.Error)
}
