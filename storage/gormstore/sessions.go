package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type browserSessionRow struct {
	ID        string     `gorm:"column:id;primaryKey"`
	TenantID  string     `gorm:"column:tenant_id"`
	UserID    string     `gorm:"column:user_id"`
	AuthTime  time.Time  `gorm:"column:auth_time"`
	AMR       stringList `gorm:"column:amr"`
	ACR       string     `gorm:"column:acr"`
	CreatedAt time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	ExpiresAt time.Time  `gorm:"column:expires_at"`
	RevokedAt *time.Time `gorm:"column:revoked_at"`
}

func (browserSessionRow) TableName() string { return "browser_sessions" }

type consentRow struct {
	TenantID  string     `gorm:"column:tenant_id;primaryKey"`
	UserID    string     `gorm:"column:user_id;primaryKey"`
	ClientID  string     `gorm:"column:client_id;primaryKey"`
	Scopes    stringList `gorm:"column:scopes"`
	GrantedAt time.Time  `gorm:"column:granted_at"`
}

func (consentRow) TableName() string { return "consents" }

// CreateBrowserSession inserts the session. Its user must exist in the tenant's
// directory (ErrNotFound otherwise); deleting the user removes the session.
func (s *Store) CreateBrowserSession(ctx context.Context, bs *storage.BrowserSession) error {
	bs.CreatedAt = orNow(bs.CreatedAt, s.now())
	bs.AuthTime = normalize(bs.AuthTime)
	bs.ExpiresAt = normalize(bs.ExpiresAt)
	bs.RevokedAt = normalizePtr(bs.RevokedAt)
	row := browserSessionRow{
		ID:        bs.ID,
		TenantID:  bs.TenantID,
		UserID:    bs.UserID,
		AuthTime:  bs.AuthTime,
		AMR:       bs.AMR,
		ACR:       bs.ACR,
		CreatedAt: bs.CreatedAt,
		ExpiresAt: bs.ExpiresAt,
		RevokedAt: bs.RevokedAt,
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetBrowserSession returns the session, revoked or not.
func (s *Store) GetBrowserSession(ctx context.Context, id string) (*storage.BrowserSession, error) {
	var row browserSessionRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	return &storage.BrowserSession{
		ID:        row.ID,
		TenantID:  row.TenantID,
		UserID:    row.UserID,
		AuthTime:  normalize(row.AuthTime),
		AMR:       row.AMR,
		ACR:       row.ACR,
		CreatedAt: normalize(row.CreatedAt),
		ExpiresAt: normalize(row.ExpiresAt),
		RevokedAt: normalizePtr(row.RevokedAt),
	}, nil
}

// RevokeBrowserSession sets RevokedAt once; revoking again keeps the first time
// and is not an error. ErrNotFound when there is no such session.
func (s *Store) RevokeBrowserSession(ctx context.Context, id string, at time.Time) error {
	res := s.conn(ctx).Model(&browserSessionRow{}).
		Where("id = ? AND revoked_at IS NULL", id).
		Update("revoked_at", orNow(at, s.now()))
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	_, err := s.GetBrowserSession(ctx, id)
	return err
}

// GetConsent returns the consent the user granted the application.
func (s *Store) GetConsent(ctx context.Context, tenantID, userID, clientID string) (*storage.Consent, error) {
	var row consentRow
	err := s.conn(ctx).Where("tenant_id = ? AND user_id = ? AND client_id = ?", tenantID, userID, clientID).
		Take(&row).Error
	if err != nil {
		return nil, mapErr(err)
	}
	return &storage.Consent{
		TenantID:  row.TenantID,
		UserID:    row.UserID,
		ClientID:  row.ClientID,
		Scopes:    row.Scopes,
		GrantedAt: normalize(row.GrantedAt),
	}, nil
}

// SaveConsent inserts or replaces the consent for (tenant, user, client) in one
// statement. The user and application must exist (ErrNotFound otherwise).
func (s *Store) SaveConsent(ctx context.Context, c *storage.Consent) error {
	c.GrantedAt = orNow(c.GrantedAt, s.now())
	row := consentRow{
		TenantID:  c.TenantID,
		UserID:    c.UserID,
		ClientID:  c.ClientID,
		Scopes:    c.Scopes,
		GrantedAt: c.GrantedAt,
	}
	return mapErr(s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tenant_id"}, {Name: "user_id"}, {Name: "client_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"scopes", "granted_at"}),
	}).Create(&row).Error)
}

// UpdateBrowserSessionAuth writes the session's AuthTime, AMR and ACR after a
// step-up authentication.
func (s *Store) UpdateBrowserSessionAuth(ctx context.Context, id string, authTime time.Time, amr []string, acr string) error {
	res := s.conn(ctx).Model(&browserSessionRow{}).Where("id = ?", id).
		Updates(map[string]any{"auth_time": orNow(authTime, s.now()), "amr": stringList(amr), "acr": acr})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return storage.ErrNotFound
	}
	return nil
}
