package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type oauthRecordRow struct {
	Kind            string    `gorm:"column:kind;primaryKey"`
	Signature       string    `gorm:"column:signature;primaryKey"`
	RequestID       string    `gorm:"column:request_id"`
	TenantID        string    `gorm:"column:tenant_id"`
	ClientID        string    `gorm:"column:client_id"`
	Subject         string    `gorm:"column:subject"`
	SessionID       string    `gorm:"column:session_id"`
	AccessSignature string    `gorm:"column:access_signature"`
	Active          bool      `gorm:"column:active"`
	Data            []byte    `gorm:"column:data"`
	RequestedAt     time.Time `gorm:"column:requested_at"`
	ExpiresAt       time.Time `gorm:"column:expires_at"`
}

func (oauthRecordRow) TableName() string { return "oauth_records" }

func (r oauthRecordRow) toStorage() storage.OAuthRecord {
	return storage.OAuthRecord{
		Kind:            r.Kind,
		Signature:       r.Signature,
		RequestID:       r.RequestID,
		TenantID:        r.TenantID,
		ClientID:        r.ClientID,
		Subject:         r.Subject,
		SessionID:       r.SessionID,
		AccessSignature: r.AccessSignature,
		Active:          r.Active,
		Data:            r.Data,
		RequestedAt:     normalize(r.RequestedAt),
		ExpiresAt:       normalize(r.ExpiresAt),
	}
}

type usedJTIRow struct {
	JTI       string    `gorm:"column:jti;primaryKey"`
	ExpiresAt time.Time `gorm:"column:expires_at"`
}

func (usedJTIRow) TableName() string { return "used_jtis" }

// CreateOAuthRecord inserts r; a taken (Kind, Signature) yields ErrAlreadyExists.
func (s *Store) CreateOAuthRecord(ctx context.Context, r *storage.OAuthRecord) error {
	r.RequestedAt = orNow(r.RequestedAt, s.now())
	r.ExpiresAt = normalize(r.ExpiresAt)
	row := oauthRecordRow{
		Kind:            r.Kind,
		Signature:       r.Signature,
		RequestID:       r.RequestID,
		TenantID:        r.TenantID,
		ClientID:        r.ClientID,
		Subject:         r.Subject,
		SessionID:       r.SessionID,
		AccessSignature: r.AccessSignature,
		Active:          r.Active,
		Data:            r.Data,
		RequestedAt:     r.RequestedAt,
		ExpiresAt:       r.ExpiresAt,
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetOAuthRecord returns the record whether active or not.
func (s *Store) GetOAuthRecord(ctx context.Context, kind, signature string) (*storage.OAuthRecord, error) {
	var row oauthRecordRow
	err := s.conn(ctx).Where("kind = ? AND signature = ?", kind, signature).Take(&row).Error
	if err != nil {
		return nil, mapErr(err)
	}
	r := row.toStorage()
	return &r, nil
}

// DeactivateOAuthRecord flips Active from true to false with one conditional
// UPDATE, so of concurrent callers exactly one sees a row affected. The others
// get ErrConflict; ErrNotFound means there is no such record.
func (s *Store) DeactivateOAuthRecord(ctx context.Context, kind, signature string) error {
	res := s.conn(ctx).Model(&oauthRecordRow{}).
		Where("kind = ? AND signature = ? AND active = ?", kind, signature, true).
		Update("active", false)
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	var count int64
	err := s.conn(ctx).Model(&oauthRecordRow{}).
		Where("kind = ? AND signature = ?", kind, signature).Count(&count).Error
	switch {
	case err != nil:
		return mapErr(err)
	case count == 0:
		return storage.ErrNotFound
	default:
		return storage.ErrConflict
	}
}

// DeleteOAuthRecord removes the record; ErrNotFound when there is none.
func (s *Store) DeleteOAuthRecord(ctx context.Context, kind, signature string) error {
	res := s.conn(ctx).Where("kind = ? AND signature = ?", kind, signature).Delete(&oauthRecordRow{})
	return checkAffected(res.Error, res.RowsAffected)
}

// DeactivateOAuthRecordsByRequest marks every active record of the kind issued
// under the request ID inactive. Finding none is not an error.
func (s *Store) DeactivateOAuthRecordsByRequest(ctx context.Context, kind, requestID string) error {
	return mapErr(s.conn(ctx).Model(&oauthRecordRow{}).
		Where("kind = ? AND request_id = ? AND active = ?", kind, requestID, true).
		Update("active", false).Error)
}

// DeactivateOAuthRecordsBySession marks every active record of the kind bound to
// the browser session inactive. Finding none is not an error; an empty session
// ID matches nothing.
func (s *Store) DeactivateOAuthRecordsBySession(ctx context.Context, kind, sessionID string) error {
	if sessionID == "" {
		return nil
	}
	return mapErr(s.conn(ctx).Model(&oauthRecordRow{}).
		Where("kind = ? AND session_id = ? AND active = ?", kind, sessionID, true).
		Update("active", false).Error)
}

// DeleteExpiredOAuthRecords removes records whose expiry is before the time and
// reports how many went. It also purges jti entries expired by then (not counted).
func (s *Store) DeleteExpiredOAuthRecords(ctx context.Context, before time.Time) (int64, error) {
	before = normalize(before)
	res := s.conn(ctx).Where("expires_at < ?", before).Delete(&oauthRecordRow{})
	if res.Error != nil {
		return 0, mapErr(res.Error)
	}
	if err := s.conn(ctx).Where("expires_at < ?", before).Delete(&usedJTIRow{}).Error; err != nil {
		return res.RowsAffected, mapErr(err)
	}
	return res.RowsAffected, nil
}

// UseJTI records a client-assertion jti until exp in one statement: an insert
// that, on a taken jti, only overwrites an expired entry. No row written means
// a live entry exists: a replay (RFC 7523 section 3, item 7).
func (s *Store) UseJTI(ctx context.Context, jti string, exp time.Time) error {
	row := usedJTIRow{JTI: jti, ExpiresAt: normalize(exp)}
	res := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "jti"}},
		DoUpdates: clause.AssignmentColumns([]string{"expires_at"}),
		Where: clause.Where{Exprs: []clause.Expression{
			clause.Expr{SQL: "used_jtis.expires_at <= ?", Vars: []any{s.now()}},
		}},
	}).Create(&row)
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return storage.ErrAlreadyExists
	}
	return nil
}

// JTIUsed reports whether the jti is recorded and not expired.
func (s *Store) JTIUsed(ctx context.Context, jti string) (bool, error) {
	var count int64
	err := s.conn(ctx).Model(&usedJTIRow{}).
		Where("jti = ? AND expires_at > ?", jti, s.now()).Count(&count).Error
	return count > 0, mapErr(err)
}
