package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type termsRow struct {
	ID          string    `gorm:"column:id;primaryKey"`
	TenantID    string    `gorm:"column:tenant_id"`
	DisplayName string    `gorm:"column:display_name"`
	Content     string    `gorm:"column:content"`
	Version     int       `gorm:"column:version"`
	CreatedAt   time.Time `gorm:"column:created_at;autoCreateTime:false"`
	ModifiedAt  time.Time `gorm:"column:modified_at"`
}

func (termsRow) TableName() string { return "terms_of_use" }

func (r termsRow) toStorage() storage.TermsOfUse {
	return storage.TermsOfUse{ID: r.ID, TenantID: r.TenantID, DisplayName: r.DisplayName, Content: r.Content,
		Version: r.Version, CreatedAt: normalize(r.CreatedAt), ModifiedAt: normalize(r.ModifiedAt)}
}

type termsAcceptanceRow struct {
	TenantID   string    `gorm:"column:tenant_id;primaryKey"`
	UserID     string    `gorm:"column:user_id;primaryKey"`
	TermsID    string    `gorm:"column:terms_id;primaryKey"`
	Version    int       `gorm:"column:version;primaryKey"`
	AcceptedAt time.Time `gorm:"column:accepted_at"`
}

func (termsAcceptanceRow) TableName() string { return "terms_of_use_acceptances" }

type userRiskRow struct {
	TenantID  string    `gorm:"column:tenant_id;primaryKey"`
	UserID    string    `gorm:"column:user_id;primaryKey"`
	Level     string    `gorm:"column:level"`
	State     string    `gorm:"column:state"`
	Detail    string    `gorm:"column:detail"`
	UpdatedAt time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
	UpdatedBy string    `gorm:"column:updated_by"`
}

func (userRiskRow) TableName() string { return "user_risks" }

func (r userRiskRow) toStorage() storage.UserRisk {
	return storage.UserRisk{TenantID: r.TenantID, UserID: r.UserID, Level: r.Level, State: r.State, Detail: r.Detail,
		UpdatedAt: normalize(r.UpdatedAt), UpdatedBy: r.UpdatedBy}
}

// ListTermsOfUse implements storage.AccessStore.
func (s *Store) ListTermsOfUse(ctx context.Context, tenantID string) ([]storage.TermsOfUse, error) {
	var rows []termsRow
	if err := s.conn(ctx).Where("tenant_id = ?", tenantID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.TermsOfUse, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// GetTermsOfUse implements storage.AccessStore.
func (s *Store) GetTermsOfUse(ctx context.Context, tenantID, id string) (*storage.TermsOfUse, error) {
	var row termsRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	t := row.toStorage()
	return &t, nil
}

// SaveTermsOfUse implements storage.AccessStore.
func (s *Store) SaveTermsOfUse(ctx context.Context, t *storage.TermsOfUse) error {
	now := s.now()
	t.CreatedAt, t.ModifiedAt = orNow(t.CreatedAt, now), orNow(t.ModifiedAt, now)
	row := termsRow{ID: t.ID, TenantID: t.TenantID, DisplayName: t.DisplayName, Content: t.Content, Version: t.Version,
		CreatedAt: t.CreatedAt, ModifiedAt: t.ModifiedAt}
	return s.upsertSameTenant(ctx, &row, row.TableName(), "display_name", "content", "version", "modified_at")
}

// DeleteTermsOfUse implements storage.AccessStore.
func (s *Store) DeleteTermsOfUse(ctx context.Context, tenantID, id string) error {
	return s.deleteOne(ctx, &termsRow{}, tenantID, id)
}

// AcceptTerms implements storage.AccessStore.
func (s *Store) AcceptTerms(ctx context.Context, a storage.TermsAcceptance) error {
	row := termsAcceptanceRow{TenantID: a.TenantID, UserID: a.UserID, TermsID: a.TermsID, Version: a.Version,
		AcceptedAt: orNow(a.AcceptedAt, s.now())}
	return mapErr(s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error)
}

// ListTermsAcceptances implements storage.AccessStore.
func (s *Store) ListTermsAcceptances(ctx context.Context, tenantID, userID string) ([]storage.TermsAcceptance, error) {
	var rows []termsAcceptanceRow
	err := s.conn(ctx).Where("tenant_id = ? AND user_id = ?", tenantID, userID).Order("terms_id, version").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.TermsAcceptance, 0, len(rows))
	for _, r := range rows {
		out = append(out, storage.TermsAcceptance{TenantID: r.TenantID, UserID: r.UserID, TermsID: r.TermsID,
			Version: r.Version, AcceptedAt: normalize(r.AcceptedAt)})
	}
	return out, nil
}

// GetUserRisk implements storage.AccessStore.
func (s *Store) GetUserRisk(ctx context.Context, tenantID, userID string) (*storage.UserRisk, error) {
	var row userRiskRow
	if err := s.conn(ctx).Where("tenant_id = ? AND user_id = ?", tenantID, userID).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	r := row.toStorage()
	return &r, nil
}

// SaveUserRisk implements storage.AccessStore.
func (s *Store) SaveUserRisk(ctx context.Context, r *storage.UserRisk) error {
	r.UpdatedAt = orNow(r.UpdatedAt, s.now())
	row := userRiskRow{TenantID: r.TenantID, UserID: r.UserID, Level: r.Level, State: r.State, Detail: r.Detail,
		UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy}
	return mapErr(s.conn(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "tenant_id"}, {Name: "user_id"}}, UpdateAll: true,
	}).Create(&row).Error)
}

// ListRiskyUsers implements storage.AccessStore: users whose risk is
// anything but none.
func (s *Store) ListRiskyUsers(ctx context.Context, tenantID string) ([]storage.UserRisk, error) {
	var rows []userRiskRow
	err := s.conn(ctx).Where("tenant_id = ? AND level <> ?", tenantID, "none").Order("updated_at DESC, user_id").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.UserRisk, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}
