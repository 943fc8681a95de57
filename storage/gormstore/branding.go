package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type brandingRow struct {
	TenantID  string    `gorm:"column:tenant_id;primaryKey"`
	Stage     string    `gorm:"column:stage;primaryKey"`
	Locale    string    `gorm:"column:locale;primaryKey"`
	Elements  string    `gorm:"column:elements"`
	Theme     string    `gorm:"column:theme"`
	PreviewID string    `gorm:"column:preview_id"`
	UpdatedAt time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (brandingRow) TableName() string { return "brandings" }

type brandingAssetRow struct {
	TenantID    string    `gorm:"column:tenant_id;primaryKey"`
	Name        string    `gorm:"column:name;primaryKey"`
	ContentType string    `gorm:"column:content_type"`
	Content     []byte    `gorm:"column:content"`
	CreatedAt   time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (brandingAssetRow) TableName() string { return "branding_assets" }

// ListBrandings returns the stage's localizations, the default first.
func (s *Store) ListBrandings(ctx context.Context, tenantID, stage string) ([]storage.Branding, error) {
	var rows []brandingRow
	err := s.conn(ctx).Where("tenant_id = ? AND stage = ?", tenantID, stage).Order("locale").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.Branding, len(rows))
	for i, r := range rows {
		out[i] = storage.Branding{
			TenantID: r.TenantID, Stage: r.Stage, Locale: r.Locale, Elements: []byte(r.Elements),
			Theme: r.Theme, PreviewID: r.PreviewID, UpdatedAt: normalize(r.UpdatedAt),
		}
	}
	return out, nil
}

// ReplaceBrandings deletes the stage's rows and inserts rows in one
// transaction. A tenant that does not exist is ErrNotFound.
func (s *Store) ReplaceBrandings(ctx context.Context, tenantID, stage string, rows []storage.Branding) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.GetTenant(ctx, tenantID); err != nil {
			return err
		}
		db := s.conn(ctx)
		if err := db.Where("tenant_id = ? AND stage = ?", tenantID, stage).Delete(&brandingRow{}).Error; err != nil {
			return mapErr(err)
		}
		now := s.now()
		for i := range rows {
			rows[i].TenantID, rows[i].Stage, rows[i].UpdatedAt = tenantID, stage, now
			r := rows[i]
			row := brandingRow{
				TenantID: tenantID, Stage: stage, Locale: r.Locale, Elements: string(r.Elements),
				Theme: r.Theme, PreviewID: r.PreviewID, UpdatedAt: now,
			}
			if err := db.Create(&row).Error; err != nil {
				return mapErr(err)
			}
		}
		return nil
	})
}

// PutBrandingAsset inserts a unless an asset of that name exists.
func (s *Store) PutBrandingAsset(ctx context.Context, a *storage.BrandingAsset) error {
	a.CreatedAt = orNow(a.CreatedAt, s.now())
	row := brandingAssetRow{TenantID: a.TenantID, Name: a.Name, ContentType: a.ContentType, Content: a.Content, CreatedAt: a.CreatedAt}
	if row.Content == nil {
		row.Content = []byte{}
	}
	return mapErr(s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error)
}

// GetBrandingAsset returns one asset of the tenant.
func (s *Store) GetBrandingAsset(ctx context.Context, tenantID, name string) (*storage.BrandingAsset, error) {
	var row brandingAssetRow
	if err := s.conn(ctx).Where("tenant_id = ? AND name = ?", tenantID, name).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	return &storage.BrandingAsset{
		TenantID: row.TenantID, Name: row.Name, ContentType: row.ContentType,
		Content: row.Content, CreatedAt: normalize(row.CreatedAt),
	}, nil
}

// DeleteBrandingAssetsExcept removes the tenant's assets not named in keep.
func (s *Store) DeleteBrandingAssetsExcept(ctx context.Context, tenantID string, keep []string) error {
	q := s.conn(ctx).Where("tenant_id = ?", tenantID)
	if len(keep) > 0 {
		q = q.Where("name NOT IN ?", keep)
	}
	return mapErr(q.Delete(&brandingAssetRow{}).Error)
}
