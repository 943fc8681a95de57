package gormstore

import (
	"context"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

type tenantRow struct {
	ID          string         `gorm:"column:id;primaryKey"`
	DisplayName string         `gorm:"column:display_name"`
	Settings    tenantSettings `gorm:"column:settings"`
	CreatedAt   time.Time      `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt   time.Time      `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (tenantRow) TableName() string { return "tenants" }

func (r tenantRow) toStorage() storage.Tenant {
	return storage.Tenant{
		ID:          r.ID,
		DisplayName: r.DisplayName,
		Settings:    storage.TenantSettings(r.Settings),
		CreatedAt:   normalize(r.CreatedAt),
		UpdatedAt:   normalize(r.UpdatedAt),
	}
}

type domainRow struct {
	Name      string    `gorm:"column:name;primaryKey"`
	TenantID  string    `gorm:"column:tenant_id"`
	Verified  bool      `gorm:"column:verified"`
	Initial   bool      `gorm:"column:initial"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (domainRow) TableName() string { return "domains" }

func (r domainRow) toStorage() storage.Domain {
	return storage.Domain{
		Name:      r.Name,
		TenantID:  r.TenantID,
		Verified:  r.Verified,
		Initial:   r.Initial,
		CreatedAt: normalize(r.CreatedAt),
	}
}

// CreateTenant inserts the tenant and its domains in one transaction. Domain
// names are stored lower-case and bound to t.ID whatever their TenantID says.
func (s *Store) CreateTenant(ctx context.Context, t *storage.Tenant, domains []storage.Domain) error {
	now := s.now()
	t.CreatedAt = orNow(t.CreatedAt, now)
	t.UpdatedAt = orNow(t.UpdatedAt, now)
	row := tenantRow{
		ID:          t.ID,
		DisplayName: t.DisplayName,
		Settings:    tenantSettings(t.Settings),
		CreatedAt:   t.CreatedAt,
		UpdatedAt:   t.UpdatedAt,
	}
	rows := make([]domainRow, 0, len(domains))
	for _, d := range domains {
		rows = append(rows, domainRow{
			Name:      strings.ToLower(strings.TrimSpace(d.Name)),
			TenantID:  t.ID,
			Verified:  d.Verified,
			Initial:   d.Initial,
			CreatedAt: orNow(d.CreatedAt, now),
		})
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(&row).Error; err != nil {
			return mapErr(err)
		}
		if len(rows) == 0 {
			return nil
		}
		return mapErr(s.conn(ctx).Create(&rows).Error)
	})
}

// GetTenant returns the tenant with the ID.
func (s *Store) GetTenant(ctx context.Context, id string) (*storage.Tenant, error) {
	var row tenantRow
	if err := s.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	t := row.toStorage()
	return &t, nil
}

// GetTenantByDomain resolves a verified domain, case-insensitively.
func (s *Store) GetTenantByDomain(ctx context.Context, domain string) (*storage.Tenant, error) {
	var row tenantRow
	err := s.conn(ctx).
		Joins("JOIN domains ON domains.tenant_id = tenants.id").
		Where("domains.name = ? AND domains.verified = ?", strings.ToLower(strings.TrimSpace(domain)), true).
		Take(&row).Error
	if err != nil {
		return nil, mapErr(err)
	}
	t := row.toStorage()
	return &t, nil
}

// ListTenants returns every tenant ordered by creation time.
func (s *Store) ListTenants(ctx context.Context) ([]storage.Tenant, error) {
	var rows []tenantRow
	if err := s.conn(ctx).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.Tenant, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// ListDomains returns the tenant's domains ordered by name.
func (s *Store) ListDomains(ctx context.Context, tenantID string) ([]storage.Domain, error) {
	var rows []domainRow
	if err := s.conn(ctx).Where("tenant_id = ?", tenantID).Order("name").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.Domain, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// UpdateTenant writes the display name and settings and stamps UpdatedAt.
func (s *Store) UpdateTenant(ctx context.Context, t *storage.Tenant) error {
	now := s.now()
	res := s.conn(ctx).Model(&tenantRow{}).Where("id = ?", t.ID).Updates(map[string]any{
		"display_name": t.DisplayName,
		"settings":     tenantSettings(t.Settings),
		"updated_at":   now,
	})
	if err := checkAffected(res.Error, res.RowsAffected); err != nil {
		return err
	}
	t.UpdatedAt = now
	return nil
}

// DeleteTenant removes the tenant; foreign keys cascade to everything it owns.
func (s *Store) DeleteTenant(ctx context.Context, id string) error {
	res := s.conn(ctx).Where("id = ?", id).Delete(&tenantRow{})
	return checkAffected(res.Error, res.RowsAffected)
}

// checkAffected maps a write that touched no row to ErrNotFound.
func checkAffected(err error, affected int64) error {
	if err != nil {
		return mapErr(err)
	}
	if affected == 0 {
		return storage.ErrNotFound
	}
	return nil
}
