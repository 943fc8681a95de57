package gormstore

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm/clause"

	"github.com/sigil-idp/sigil/storage"
)

type familiarNetworkRow struct {
	TenantID   string    `gorm:"column:tenant_id;primaryKey"`
	UserID     string    `gorm:"column:user_id;primaryKey"`
	Network    string    `gorm:"column:network;primaryKey"`
	LastSeenAt time.Time `gorm:"column:last_seen_at"`
}

func (familiarNetworkRow) TableName() string { return "familiar_networks" }

type bannedPasswordRow struct {
	TenantID  string    `gorm:"column:tenant_id;primaryKey"`
	Term      string    `gorm:"column:term;primaryKey"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (bannedPasswordRow) TableName() string { return "banned_passwords" }

// RememberNetwork upserts the user's last sign-in time from network.
func (s *Store) RememberNetwork(ctx context.Context, tenantID, userID, network string, at time.Time) error {
	var n int64
	if err := s.conn(ctx).Model(&userRow{}).Where("tenant_id = ? AND id = ?", tenantID, userID).Count(&n).Error; err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	row := familiarNetworkRow{TenantID: tenantID, UserID: userID, Network: network, LastSeenAt: orNow(at, s.now())}
	return mapErr(s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tenant_id"}, {Name: "user_id"}, {Name: "network"}},
		DoUpdates: clause.AssignmentColumns([]string{"last_seen_at"}),
	}).Create(&row).Error)
}

// NetworkLastSeen returns the user's last sign-in time from network.
func (s *Store) NetworkLastSeen(ctx context.Context, tenantID, userID, network string) (time.Time, error) {
	var row familiarNetworkRow
	err := s.conn(ctx).Where("tenant_id = ? AND user_id = ? AND network = ?", tenantID, userID, network).Take(&row).Error
	if err != nil {
		return time.Time{}, mapErr(err)
	}
	return normalize(row.LastSeenAt), nil
}

// ListBannedPasswords returns the tenant's custom banned terms in order.
func (s *Store) ListBannedPasswords(ctx context.Context, tenantID string) ([]string, error) {
	var terms []string
	err := s.conn(ctx).Model(&bannedPasswordRow{}).Where("tenant_id = ?", tenantID).
		Order("term").Pluck("term", &terms).Error
	if err != nil {
		return nil, mapErr(err)
	}
	slices.Sort(terms) // the collation of either database may differ from byte order
	return terms, nil
}

// AddBannedPasswords inserts the terms, skipping those already listed.
func (s *Store) AddBannedPasswords(ctx context.Context, tenantID string, terms []string, at time.Time) error {
	if len(terms) == 0 {
		return nil
	}
	at = orNow(at, s.now())
	rows := make([]bannedPasswordRow, 0, len(terms))
	for _, t := range terms {
		rows = append(rows, bannedPasswordRow{TenantID: tenantID, Term: t, CreatedAt: at})
	}
	return mapErr(s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error)
}

// RemoveBannedPasswords deletes the listed terms of the tenant.
func (s *Store) RemoveBannedPasswords(ctx context.Context, tenantID string, terms []string) (int64, error) {
	if len(terms) == 0 {
		return 0, nil
	}
	res := s.conn(ctx).Where("tenant_id = ? AND term IN ?", tenantID, terms).Delete(&bannedPasswordRow{})
	return res.RowsAffected, mapErr(res.Error)
}
