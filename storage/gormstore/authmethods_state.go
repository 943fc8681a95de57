package gormstore

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type recoveryCodeRow struct {
	ID        string     `gorm:"column:id;primaryKey"`
	TenantID  string     `gorm:"column:tenant_id"`
	UserID    string     `gorm:"column:user_id"`
	Digest    []byte     `gorm:"column:digest"`
	CreatedAt time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UsedAt    *time.Time `gorm:"column:used_at"`
}

func (recoveryCodeRow) TableName() string { return "recovery_codes" }

type mfaStateRow struct {
	TenantID             string     `gorm:"column:tenant_id;primaryKey"`
	UserID               string     `gorm:"column:user_id;primaryKey"`
	RegistrationRequired bool       `gorm:"column:registration_required"`
	Failures             int        `gorm:"column:failures"`
	LastFailureAt        *time.Time `gorm:"column:last_failure_at"`
}

func (mfaStateRow) TableName() string { return "mfa_states" }

// ReplaceRecoveryCodes swaps the user's recovery codes for a new set in one
// transaction, so the old set stops working the moment the new one exists.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, tenantID, userID string, digests [][]byte, at time.Time) error {
	at = orNow(at, s.now())
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.userInTenant(ctx, tenantID, userID); err != nil {
			return err
		}
		if err := s.conn(ctx).Where("tenant_id = ? AND user_id = ?", tenantID, userID).
			Delete(&recoveryCodeRow{}).Error; err != nil {
			return mapErr(err)
		}
		if len(digests) == 0 {
			return nil
		}
		rows := make([]recoveryCodeRow, 0, len(digests))
		for _, d := range digests {
			rows = append(rows, recoveryCodeRow{ID: uuid.NewString(), TenantID: tenantID, UserID: userID, Digest: d, CreatedAt: at})
		}
		return mapErr(s.conn(ctx).Create(&rows).Error)
	})
}

// ListRecoveryCodes returns the user's recovery codes, used or not.
func (s *Store) ListRecoveryCodes(ctx context.Context, tenantID, userID string) ([]storage.RecoveryCode, error) {
	var rows []recoveryCodeRow
	if err := s.conn(ctx).Where("tenant_id = ? AND user_id = ?", tenantID, userID).
		Order("id").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.RecoveryCode, 0, len(rows))
	for _, r := range rows {
		out = append(out, storage.RecoveryCode{
			ID: r.ID, TenantID: r.TenantID, UserID: r.UserID, Digest: r.Digest,
			CreatedAt: normalize(r.CreatedAt), UsedAt: normalizePtr(r.UsedAt),
		})
	}
	return out, nil
}

// UseRecoveryCode marks an unused code used in one conditional UPDATE.
func (s *Store) UseRecoveryCode(ctx context.Context, tenantID, userID, id string, at time.Time) error {
	res := s.conn(ctx).Model(&recoveryCodeRow{}).
		Where("tenant_id = ? AND user_id = ? AND id = ? AND used_at IS NULL", tenantID, userID, id).
		Update("used_at", orNow(at, s.now()))
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := s.conn(ctx).Model(&recoveryCodeRow{}).
		Where("tenant_id = ? AND user_id = ? AND id = ?", tenantID, userID, id).Count(&n).Error; err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	return storage.ErrConflict
}

// GetMFAState returns the user's state, or the zero state when none is stored.
func (s *Store) GetMFAState(ctx context.Context, tenantID, userID string) (*storage.MFAState, error) {
	var row mfaStateRow
	err := s.conn(ctx).Where("tenant_id = ? AND user_id = ?", tenantID, userID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return &storage.MFAState{TenantID: tenantID, UserID: userID}, nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	return &storage.MFAState{
		TenantID: row.TenantID, UserID: row.UserID, RegistrationRequired: row.RegistrationRequired,
		Failures: row.Failures, LastFailureAt: normalizePtr(row.LastFailureAt),
	}, nil
}

// SetMFARegistrationRequired upserts the flag; ErrNotFound for a user who is
// not in the tenant.
func (s *Store) SetMFARegistrationRequired(ctx context.Context, tenantID, userID string, required bool) error {
	return s.upsertMFAState(ctx, tenantID, userID,
		mfaStateRow{TenantID: tenantID, UserID: userID, RegistrationRequired: required},
		clause.Assignments(map[string]any{"registration_required": required}))
}

// RecordMFAFailure increments the failure count in one upsert and returns the
// new state.
func (s *Store) RecordMFAFailure(ctx context.Context, tenantID, userID string, at time.Time) (*storage.MFAState, error) {
	at = orNow(at, s.now())
	var st *storage.MFAState
	err := s.InTx(ctx, func(ctx context.Context) error {
		err := s.upsertMFAState(ctx, tenantID, userID,
			mfaStateRow{TenantID: tenantID, UserID: userID, Failures: 1, LastFailureAt: &at},
			clause.Assignments(map[string]any{"failures": gorm.Expr("mfa_states.failures + 1"), "last_failure_at": at}))
		if err != nil {
			return err
		}
		st, err = s.GetMFAState(ctx, tenantID, userID)
		return err
	})
	return st, err
}

// ResetMFAFailures clears the failure count; a user without state is left alone.
func (s *Store) ResetMFAFailures(ctx context.Context, tenantID, userID string) error {
	return mapErr(s.conn(ctx).Model(&mfaStateRow{}).
		Where("tenant_id = ? AND user_id = ? AND failures <> 0", tenantID, userID).
		Updates(map[string]any{"failures": 0, "last_failure_at": nil}).Error)
}

func (s *Store) upsertMFAState(ctx context.Context, tenantID, userID string, insert mfaStateRow, update []clause.Assignment) error {
	if err := s.userInTenant(ctx, tenantID, userID); err != nil {
		return err
	}
	return mapErr(s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tenant_id"}, {Name: "user_id"}},
		DoUpdates: update,
	}).Create(&insert).Error)
}
