package gormstore

import (
	"context"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

type signingKeyRow struct {
	ID                   string     `gorm:"column:id;primaryKey"`
	TenantID             string     `gorm:"column:tenant_id"`
	Algorithm            string     `gorm:"column:algorithm"`
	State                string     `gorm:"column:state"`
	PrivateKeyCiphertext []byte     `gorm:"column:private_key_ciphertext"`
	PublicJWK            []byte     `gorm:"column:public_jwk"`
	CreatedAt            time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	ActivatedAt          *time.Time `gorm:"column:activated_at"`
	RetiredAt            *time.Time `gorm:"column:retired_at"`
}

func (signingKeyRow) TableName() string { return "signing_keys" }

func (r signingKeyRow) toStorage() storage.SigningKey {
	return storage.SigningKey{
		ID:                   r.ID,
		TenantID:             r.TenantID,
		Algorithm:            r.Algorithm,
		State:                r.State,
		PrivateKeyCiphertext: r.PrivateKeyCiphertext,
		PublicJWK:            r.PublicJWK,
		CreatedAt:            normalize(r.CreatedAt),
		ActivatedAt:          normalizePtr(r.ActivatedAt),
		RetiredAt:            normalizePtr(r.RetiredAt),
	}
}

// CreateSigningKey inserts the key; a kid already used yields ErrAlreadyExists.
func (s *Store) CreateSigningKey(ctx context.Context, k *storage.SigningKey) error {
	k.CreatedAt = orNow(k.CreatedAt, s.now())
	k.ActivatedAt = normalizePtr(k.ActivatedAt)
	k.RetiredAt = normalizePtr(k.RetiredAt)
	row := signingKeyRow{
		ID:                   k.ID,
		TenantID:             k.TenantID,
		Algorithm:            k.Algorithm,
		State:                k.State,
		PrivateKeyCiphertext: k.PrivateKeyCiphertext,
		PublicJWK:            k.PublicJWK,
		CreatedAt:            k.CreatedAt,
		ActivatedAt:          k.ActivatedAt,
		RetiredAt:            k.RetiredAt,
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// ListSigningKeys returns every key of the tenant, newest first.
func (s *Store) ListSigningKeys(ctx context.Context, tenantID string) ([]storage.SigningKey, error) {
	var rows []signingKeyRow
	err := s.conn(ctx).Where("tenant_id = ?", tenantID).Order("created_at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.SigningKey, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// UpdateSigningKey writes the key's state and its activation and retirement
// times (the key material never changes).
func (s *Store) UpdateSigningKey(ctx context.Context, k *storage.SigningKey) error {
	k.ActivatedAt = normalizePtr(k.ActivatedAt)
	k.RetiredAt = normalizePtr(k.RetiredAt)
	res := s.conn(ctx).Model(&signingKeyRow{}).Where("tenant_id = ? AND id = ?", k.TenantID, k.ID).
		Updates(map[string]any{
			"state":        k.State,
			"activated_at": k.ActivatedAt,
			"retired_at":   k.RetiredAt,
		})
	return checkAffected(res.Error, res.RowsAffected)
}

// DeleteSigningKey removes the key.
func (s *Store) DeleteSigningKey(ctx context.Context, tenantID, id string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Delete(&signingKeyRow{})
	return checkAffected(res.Error, res.RowsAffected)
}
