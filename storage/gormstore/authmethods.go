package gormstore

import (
	"context"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

type authMethodRow struct {
	ID           string     `gorm:"column:id;primaryKey"`
	TenantID     string     `gorm:"column:tenant_id"`
	UserID       string     `gorm:"column:user_id"`
	Kind         string     `gorm:"column:kind"`
	Name         string     `gorm:"column:name"`
	Handle       string     `gorm:"column:handle"`
	Secret       []byte     `gorm:"column:secret"`
	Confirmed    bool       `gorm:"column:confirmed"`
	TOTPLastStep int64      `gorm:"column:totp_last_step"`
	CreatedAt    time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	LastUsedAt   *time.Time `gorm:"column:last_used_at"`
}

func (authMethodRow) TableName() string { return "auth_methods" }

func (r authMethodRow) toStorage() storage.AuthMethod {
	return storage.AuthMethod{
		ID:           r.ID,
		TenantID:     r.TenantID,
		UserID:       r.UserID,
		Kind:         r.Kind,
		Name:         r.Name,
		Handle:       r.Handle,
		Secret:       r.Secret,
		Confirmed:    r.Confirmed,
		TOTPLastStep: r.TOTPLastStep,
		CreatedAt:    normalize(r.CreatedAt),
		LastUsedAt:   normalizePtr(r.LastUsedAt),
	}
}

// userInTenant returns ErrNotFound unless the user exists in the tenant, so a
// method is never attached to another tenant's user.
func (s *Store) userInTenant(ctx context.Context, tenantID, userID string) error {
	var n int64
	err := s.conn(ctx).Model(&userRow{}).Where("tenant_id = ? AND id = ?", tenantID, userID).Count(&n).Error
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// CreateAuthMethod inserts m, stamping CreatedAt when it is zero.
func (s *Store) CreateAuthMethod(ctx context.Context, m *storage.AuthMethod) error {
	if err := s.userInTenant(ctx, m.TenantID, m.UserID); err != nil {
		return err
	}
	m.CreatedAt = orNow(m.CreatedAt, s.now())
	m.LastUsedAt = normalizePtr(m.LastUsedAt)
	row := authMethodRow{
		ID: m.ID, TenantID: m.TenantID, UserID: m.UserID, Kind: m.Kind, Name: m.Name,
		Handle: m.Handle, Secret: m.Secret, Confirmed: m.Confirmed, TOTPLastStep: m.TOTPLastStep,
		CreatedAt: m.CreatedAt, LastUsedAt: m.LastUsedAt,
	}
	if row.Secret == nil {
		row.Secret = []byte{}
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetAuthMethod returns one of the user's methods.
func (s *Store) GetAuthMethod(ctx context.Context, tenantID, userID, id string) (*storage.AuthMethod, error) {
	var row authMethodRow
	err := s.conn(ctx).Where("tenant_id = ? AND user_id = ? AND id = ?", tenantID, userID, id).Take(&row).Error
	if err != nil {
		return nil, mapErr(err)
	}
	m := row.toStorage()
	return &m, nil
}

// GetAuthMethodByHandle finds a method by its non-empty handle.
func (s *Store) GetAuthMethodByHandle(ctx context.Context, tenantID, kind, handle string) (*storage.AuthMethod, error) {
	if handle == "" {
		return nil, storage.ErrNotFound
	}
	var row authMethodRow
	err := s.conn(ctx).Where("tenant_id = ? AND kind = ? AND handle = ?", tenantID, kind, handle).Take(&row).Error
	if err != nil {
		return nil, mapErr(err)
	}
	m := row.toStorage()
	return &m, nil
}

// ListAuthMethods returns the user's methods, oldest first.
func (s *Store) ListAuthMethods(ctx context.Context, tenantID, userID string) ([]storage.AuthMethod, error) {
	var rows []authMethodRow
	err := s.conn(ctx).Where("tenant_id = ? AND user_id = ?", tenantID, userID).
		Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.AuthMethod, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// UpdateAuthMethod writes the mutable fields of m; ErrNotFound when the user
// has no such method.
func (s *Store) UpdateAuthMethod(ctx context.Context, m *storage.AuthMethod) error {
	m.LastUsedAt = normalizePtr(m.LastUsedAt)
	secret := m.Secret
	if secret == nil {
		secret = []byte{}
	}
	res := s.conn(ctx).Model(&authMethodRow{}).
		Where("tenant_id = ? AND user_id = ? AND id = ?", m.TenantID, m.UserID, m.ID).
		Updates(map[string]any{"name": m.Name, "secret": secret, "confirmed": m.Confirmed, "last_used_at": m.LastUsedAt})
	return affectedOne(res.Error, res.RowsAffected)
}

// DeleteAuthMethod removes one of the user's methods.
func (s *Store) DeleteAuthMethod(ctx context.Context, tenantID, userID, id string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND user_id = ? AND id = ?", tenantID, userID, id).
		Delete(&authMethodRow{})
	return affectedOne(res.Error, res.RowsAffected)
}

// DeleteAuthMethods removes every method and recovery code of the user in one
// transaction.
func (s *Store) DeleteAuthMethods(ctx context.Context, tenantID, userID string) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Where("tenant_id = ? AND user_id = ?", tenantID, userID).
			Delete(&authMethodRow{}).Error; err != nil {
			return mapErr(err)
		}
		return mapErr(s.conn(ctx).Where("tenant_id = ? AND user_id = ?", tenantID, userID).
			Delete(&recoveryCodeRow{}).Error)
	})
}

// AdvanceTOTPStep moves the method's last accepted step forward in one
// conditional UPDATE: the database, not the replica, decides which of two
// concurrent uses of a code wins.
func (s *Store) AdvanceTOTPStep(ctx context.Context, tenantID, userID, id string, step int64, at time.Time) error {
	res := s.conn(ctx).Model(&authMethodRow{}).
		Where("tenant_id = ? AND user_id = ? AND id = ? AND kind = ? AND totp_last_step < ?",
			tenantID, userID, id, storage.AuthMethodTOTP, step).
		Updates(map[string]any{"totp_last_step": step, "last_used_at": orNow(at, s.now())})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	if _, err := s.GetAuthMethod(ctx, tenantID, userID, id); err != nil {
		return err
	}
	return storage.ErrConflict
}

// affectedOne maps a write that touched no row to ErrNotFound.
func affectedOne(err error, rows int64) error {
	if err != nil {
		return mapErr(err)
	}
	if rows == 0 {
		return storage.ErrNotFound
	}
	return nil
}
