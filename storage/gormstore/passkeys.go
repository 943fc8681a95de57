package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type webAuthnSessionRow struct {
	ID        string    `gorm:"column:id;primaryKey"`
	TenantID  string    `gorm:"column:tenant_id"`
	UserID    string    `gorm:"column:user_id"`
	Data      []byte    `gorm:"column:data"`
	ExpiresAt time.Time `gorm:"column:expires_at"`
}

func (webAuthnSessionRow) TableName() string { return "webauthn_sessions" }

// SaveWebAuthnSession inserts the ceremony or replaces one of the same ID.
func (s *Store) SaveWebAuthnSession(ctx context.Context, ws *storage.WebAuthnSession) error {
	row := webAuthnSessionRow{ID: ws.ID, TenantID: ws.TenantID, UserID: ws.UserID, Data: ws.Data, ExpiresAt: normalize(ws.ExpiresAt)}
	if row.Data == nil {
		row.Data = []byte{}
	}
	return mapErr(s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns([]string{"tenant_id", "user_id", "data", "expires_at"}),
	}).Create(&row).Error)
}

// TakeWebAuthnSession reads and deletes the ceremony in one transaction; of
// two concurrent takes only the one whose DELETE removed the row succeeds. An
// expired ceremony is deleted and reported as not found.
func (s *Store) TakeWebAuthnSession(ctx context.Context, tenantID, id string, now time.Time) (*storage.WebAuthnSession, error) {
	var out *storage.WebAuthnSession
	err := s.InTx(ctx, func(ctx context.Context) error {
		var row webAuthnSessionRow
		if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
			return mapErr(err)
		}
		res := s.conn(ctx).Where("id = ?", id).Delete(&webAuthnSessionRow{})
		if err := affectedOne(res.Error, res.RowsAffected); err != nil {
			return err
		}
		out = &storage.WebAuthnSession{ID: row.ID, TenantID: row.TenantID, UserID: row.UserID, Data: row.Data, ExpiresAt: normalize(row.ExpiresAt)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !out.ExpiresAt.After(normalize(now)) {
		return nil, storage.ErrNotFound // deleted all the same: it can never be used
	}
	return out, nil
}

// SwapAuthMethodSecret is a compare-and-swap of the method's secret.
func (s *Store) SwapAuthMethodSecret(ctx context.Context, tenantID, userID, id string, prev, next []byte, at time.Time) error {
	res := s.conn(ctx).Model(&authMethodRow{}).
		Where("tenant_id = ? AND user_id = ? AND id = ? AND secret = ?", tenantID, userID, id, prev).
		Updates(map[string]any{"secret": next, "last_used_at": orNow(at, s.now())})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	if _, err := s.GetAuthMethod(ctx, tenantID, userID, id); err != nil {
		return err
	}
	return storage.ErrConflict
}

// DeleteExpiredWebAuthnSessions removes ceremonies that expired before now.
func (s *Store) DeleteExpiredWebAuthnSessions(ctx context.Context, now time.Time) (int64, error) {
	res := s.conn(ctx).Where("expires_at <= ?", normalize(now)).Delete(&webAuthnSessionRow{})
	return res.RowsAffected, mapErr(res.Error)
}

// RenameAuthMethod updates only the method's name.
func (s *Store) RenameAuthMethod(ctx context.Context, tenantID, userID, id, name string) error {
	res := s.conn(ctx).Model(&authMethodRow{}).Where("tenant_id = ? AND user_id = ? AND id = ?", tenantID, userID, id).
		Update("name", name)
	return affectedOne(res.Error, res.RowsAffected)
}
