package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

// caPolicyRow and namedLocationRow keep a JSON document with the columns
// listed and filtered by.
type caPolicyRow struct {
	ID          string    `gorm:"column:id;primaryKey"`
	TenantID    string    `gorm:"column:tenant_id"`
	DisplayName string    `gorm:"column:display_name"`
	State       string    `gorm:"column:state"`
	Document    string    `gorm:"column:document"`
	CreatedAt   time.Time `gorm:"column:created_at;autoCreateTime:false"`
	ModifiedAt  time.Time `gorm:"column:modified_at"`
}

func (caPolicyRow) TableName() string { return "conditional_access_policies" }

type namedLocationRow struct {
	ID          string    `gorm:"column:id;primaryKey"`
	TenantID    string    `gorm:"column:tenant_id"`
	DisplayName string    `gorm:"column:display_name"`
	Document    string    `gorm:"column:document"`
	CreatedAt   time.Time `gorm:"column:created_at;autoCreateTime:false"`
	ModifiedAt  time.Time `gorm:"column:modified_at"`
}

func (namedLocationRow) TableName() string { return "named_locations" }

func (r caPolicyRow) toStorage() storage.ConditionalAccessPolicy {
	return storage.ConditionalAccessPolicy{ID: r.ID, TenantID: r.TenantID, DisplayName: r.DisplayName, State: r.State,
		Document: []byte(r.Document), CreatedAt: normalize(r.CreatedAt), ModifiedAt: normalize(r.ModifiedAt)}
}

func (r namedLocationRow) toStorage() storage.NamedLocation {
	return storage.NamedLocation{ID: r.ID, TenantID: r.TenantID, DisplayName: r.DisplayName,
		Document: []byte(r.Document), CreatedAt: normalize(r.CreatedAt), ModifiedAt: normalize(r.ModifiedAt)}
}

// ListConditionalAccessPolicies implements storage.AccessStore.
func (s *Store) ListConditionalAccessPolicies(ctx context.Context, tenantID string) ([]storage.ConditionalAccessPolicy, error) {
	var rows []caPolicyRow
	if err := s.conn(ctx).Where("tenant_id = ?", tenantID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.ConditionalAccessPolicy, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// GetConditionalAccessPolicy implements storage.AccessStore.
func (s *Store) GetConditionalAccessPolicy(ctx context.Context, tenantID, id string) (*storage.ConditionalAccessPolicy, error) {
	var row caPolicyRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	p := row.toStorage()
	return &p, nil
}

// SaveConditionalAccessPolicy implements storage.AccessStore.
func (s *Store) SaveConditionalAccessPolicy(ctx context.Context, p *storage.ConditionalAccessPolicy) error {
	now := s.now()
	p.CreatedAt, p.ModifiedAt = orNow(p.CreatedAt, now), orNow(p.ModifiedAt, now)
	row := caPolicyRow{ID: p.ID, TenantID: p.TenantID, DisplayName: p.DisplayName, State: p.State,
		Document: string(p.Document), CreatedAt: p.CreatedAt, ModifiedAt: p.ModifiedAt}
	return s.upsertSameTenant(ctx, &row, row.TableName(), "display_name", "document", "modified_at", "state")
}

// upsertSameTenant inserts a row or replaces the columns of the one with its
// ID, if that row belongs to the same tenant: an ID of another tenant is a
// conflict, never an overwrite.
func (s *Store) upsertSameTenant(ctx context.Context, row any, table string, columns ...string) error {
	res := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns(columns),
		Where: clause.Where{Exprs: []clause.Expression{clause.Eq{
			Column: clause.Column{Table: "excluded", Name: "tenant_id"}, Value: clause.Column{Table: table, Name: "tenant_id"}}}},
	}).Create(row)
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return storage.ErrConflict
	}
	return nil
}

// DeleteConditionalAccessPolicy implements storage.AccessStore.
func (s *Store) DeleteConditionalAccessPolicy(ctx context.Context, tenantID, id string) error {
	return s.deleteOne(ctx, &caPolicyRow{}, tenantID, id)
}

func (s *Store) deleteOne(ctx context.Context, model any, tenantID, id string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Delete(model)
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// ListNamedLocations implements storage.AccessStore.
func (s *Store) ListNamedLocations(ctx context.Context, tenantID string) ([]storage.NamedLocation, error) {
	var rows []namedLocationRow
	if err := s.conn(ctx).Where("tenant_id = ?", tenantID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.NamedLocation, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// GetNamedLocation implements storage.AccessStore.
func (s *Store) GetNamedLocation(ctx context.Context, tenantID, id string) (*storage.NamedLocation, error) {
	var row namedLocationRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	l := row.toStorage()
	return &l, nil
}

// SaveNamedLocation implements storage.AccessStore.
func (s *Store) SaveNamedLocation(ctx context.Context, l *storage.NamedLocation) error {
	now := s.now()
	l.CreatedAt, l.ModifiedAt = orNow(l.CreatedAt, now), orNow(l.ModifiedAt, now)
	row := namedLocationRow{ID: l.ID, TenantID: l.TenantID, DisplayName: l.DisplayName,
		Document: string(l.Document), CreatedAt: l.CreatedAt, ModifiedAt: l.ModifiedAt}
	return s.upsertSameTenant(ctx, &row, row.TableName(), "display_name", "document", "modified_at")
}

// DeleteNamedLocation implements storage.AccessStore.
func (s *Store) DeleteNamedLocation(ctx context.Context, tenantID, id string) error {
	return s.deleteOne(ctx, &namedLocationRow{}, tenantID, id)
}
