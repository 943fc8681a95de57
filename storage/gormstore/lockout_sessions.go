package gormstore

import (
	"context"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// RevokeOtherSessions revokes the user's other browser sessions and
// deactivates their tokens not bound to keepSessionID.
func (s *Store) RevokeOtherSessions(ctx context.Context, tenantID, userID, keepSessionID string, at time.Time) (int64, error) {
	at = orNow(at, s.now())
	var revoked int64
	err := s.InTx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Model(&browserSessionRow{}).
			Where("tenant_id = ? AND user_id = ? AND id <> ? AND revoked_at IS NULL", tenantID, userID, keepSessionID).
			Update("revoked_at", at)
		if res.Error != nil {
			return mapErr(res.Error)
		}
		revoked = res.RowsAffected
		return mapErr(s.conn(ctx).Model(&oauthRecordRow{}).
			Where("tenant_id = ? AND subject = ? AND kind IN ? AND active = ? AND session_id <> ?",
				tenantID, userID, []string{storage.KindRefreshToken, storage.KindAccessToken}, true, keepSessionID).
			Update("active", false).Error)
	})
	return revoked, err
}

// RevokeTenantSessions implements storage.SessionRevoker.
func (s *Store) RevokeTenantSessions(ctx context.Context, tenantID string, at time.Time) (int64, error) {
	at = orNow(at, s.now())
	var revoked int64
	err := s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Model(&browserSessionRow{}).
			Where("tenant_id = ? AND revoked_at IS NULL", tenantID).
			Update("revoked_at", at).Error; err != nil {
			return mapErr(err)
		}
		users := s.conn(ctx).Model(&userRow{}).Select("id").Where("tenant_id = ?", tenantID)
		res := s.conn(ctx).Model(&oauthRecordRow{}).
			Where("tenant_id = ? AND kind = ? AND active = ? AND subject IN (?)", tenantID, storage.KindRefreshToken, true, users).
			Update("active", false)
		if res.Error != nil {
			return mapErr(res.Error)
		}
		revoked = res.RowsAffected
		return mapErr(s.conn(ctx).Model(&oauthRecordRow{}).
			Where("tenant_id = ? AND kind = ? AND active = ? AND subject IN (?)", tenantID, storage.KindAccessToken, true, users).
			Update("active", false).Error)
	})
	return revoked, err
}
