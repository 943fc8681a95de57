package gormstore

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type lockoutCounterRow struct {
	TenantID    string     `gorm:"column:tenant_id;primaryKey"`
	Key         string     `gorm:"column:counter_key;primaryKey"`
	Failures    int        `gorm:"column:failures"`
	Lockouts    int        `gorm:"column:lockouts"`
	LockedUntil *time.Time `gorm:"column:locked_until"`
	UpdatedAt   time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (lockoutCounterRow) TableName() string { return "lockout_counters" }

func (r lockoutCounterRow) toStorage() storage.LockoutCounter {
	c := storage.LockoutCounter{
		TenantID: r.TenantID, Key: r.Key, Failures: r.Failures, Lockouts: r.Lockouts,
		UpdatedAt: normalize(r.UpdatedAt),
	}
	if r.LockedUntil != nil {
		c.LockedUntil = normalize(*r.LockedUntil)
	}
	return c
}

// UpdateLockoutCounter inserts a zero row if none exists, locks the row
// (SELECT … FOR UPDATE on Postgres; SQLite's immediate transactions already
// serialize writers), applies fn and writes the result, all in one transaction.
func (s *Store) UpdateLockoutCounter(ctx context.Context, tenantID, key string, fn func(c *storage.LockoutCounter)) (storage.LockoutCounter, error) {
	var out storage.LockoutCounter
	err := s.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		seed := lockoutCounterRow{TenantID: tenantID, Key: key, UpdatedAt: s.now()}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&seed).Error; err != nil {
			return mapErr(err)
		}
		q := db.Where("tenant_id = ? AND counter_key = ?", tenantID, key)
		if s.dialect == DialectPostgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		var row lockoutCounterRow
		if err := q.Take(&row).Error; err != nil {
			return mapErr(err)
		}
		c := row.toStorage()
		fn(&c)
		c.TenantID, c.Key = tenantID, key
		var locked *time.Time
		if !c.LockedUntil.IsZero() {
			lu := normalize(c.LockedUntil)
			locked = &lu
		}
		err := db.Model(&lockoutCounterRow{}).Where("tenant_id = ? AND counter_key = ?", tenantID, key).
			Updates(map[string]any{"failures": c.Failures, "lockouts": c.Lockouts, "locked_until": locked,
				"updated_at": orNow(c.UpdatedAt, s.now())}).Error
		if err != nil {
			return mapErr(err)
		}
		c.LockedUntil, c.UpdatedAt = normalize(c.LockedUntil), orNow(c.UpdatedAt, s.now())
		out = c
		return nil
	})
	return out, err
}

// GetLockoutCounter reads one counter.
func (s *Store) GetLockoutCounter(ctx context.Context, tenantID, key string) (*storage.LockoutCounter, error) {
	var row lockoutCounterRow
	if err := s.conn(ctx).Where("tenant_id = ? AND counter_key = ?", tenantID, key).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	c := row.toStorage()
	return &c, nil
}

// DeleteLockoutCounters removes the tenant's counters under a key prefix.
func (s *Store) DeleteLockoutCounters(ctx context.Context, tenantID, keyPrefix string) (int64, error) {
	res := s.conn(ctx).Where("tenant_id = ? AND counter_key LIKE ? ESCAPE '\\'", tenantID, likePrefix(keyPrefix)).
		Delete(&lockoutCounterRow{})
	return res.RowsAffected, mapErr(res.Error)
}

// DeleteStaleLockoutCounters removes counters untouched since before whose
// lockout, if any, ended by then.
func (s *Store) DeleteStaleLockoutCounters(ctx context.Context, before time.Time) (int64, error) {
	before = normalize(before)
	res := s.conn(ctx).Where("updated_at < ? AND (locked_until IS NULL OR locked_until < ?)", before, before).
		Delete(&lockoutCounterRow{})
	return res.RowsAffected, mapErr(res.Error)
}

// likePrefix escapes LIKE wildcards in p and appends %.
func likePrefix(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(p) + "%"
}
