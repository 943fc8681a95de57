package gormstore

import (
	"context"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

type userRow struct {
	ID                string               `gorm:"column:id;primaryKey"`
	TenantID          string               `gorm:"column:tenant_id"`
	UserPrincipalName string               `gorm:"column:user_principal_name"`
	DisplayName       string               `gorm:"column:display_name"`
	GivenName         string               `gorm:"column:given_name"`
	Surname           string               `gorm:"column:surname"`
	Mail              string               `gorm:"column:mail"`
	UserType          string               `gorm:"column:user_type"`
	AccountEnabled    bool                 `gorm:"column:account_enabled"`
	PasswordHash      string               `gorm:"column:password_hash"`
	Attributes        userAttributeColumns `gorm:"embedded"`
	CreatedAt         time.Time            `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt         time.Time            `gorm:"column:updated_at;autoUpdateTime:false"`
}

// userAttributeColumns are the profile and extension attributes (migration 00002).
type userAttributeColumns struct {
	Department          string                      `gorm:"column:department"`
	JobTitle            string                      `gorm:"column:job_title"`
	CompanyName         string                      `gorm:"column:company_name"`
	EmployeeID          string                      `gorm:"column:employee_id"`
	City                string                      `gorm:"column:city"`
	Country             string                      `gorm:"column:country"`
	UsageLocation       string                      `gorm:"column:usage_location"`
	MobilePhone         string                      `gorm:"column:mobile_phone"`
	OtherMails          stringList                  `gorm:"column:other_mails"`
	ProxyAddresses      stringList                  `gorm:"column:proxy_addresses"`
	ExtensionAttributes extensionAttributes         `gorm:"column:extension_attributes"`
	DirectoryExtensions jsonText[map[string]string] `gorm:"column:directory_extensions"`
}

func attributeColumnsFrom(u *storage.User) userAttributeColumns {
	ext := u.DirectoryExtensions
	if ext == nil {
		ext = map[string]string{}
	}
	return userAttributeColumns{
		Department: u.Department, JobTitle: u.JobTitle, CompanyName: u.CompanyName,
		EmployeeID: u.EmployeeID, City: u.City, Country: u.Country,
		UsageLocation: u.UsageLocation, MobilePhone: u.MobilePhone,
		OtherMails: u.OtherMails, ProxyAddresses: u.ProxyAddresses,
		ExtensionAttributes: u.ExtensionAttributes,
		DirectoryExtensions: jsonText[map[string]string]{V: ext},
	}
}

func (c userAttributeColumns) copyTo(u *storage.User) {
	u.Department, u.JobTitle, u.CompanyName = c.Department, c.JobTitle, c.CompanyName
	u.EmployeeID, u.City, u.Country = c.EmployeeID, c.City, c.Country
	u.UsageLocation, u.MobilePhone = c.UsageLocation, c.MobilePhone
	u.OtherMails, u.ProxyAddresses = c.OtherMails, c.ProxyAddresses
	u.ExtensionAttributes = c.ExtensionAttributes
	if len(c.DirectoryExtensions.V) > 0 {
		u.DirectoryExtensions = c.DirectoryExtensions.V
	}
}

// updates returns the attribute columns for an Updates map.
func (c userAttributeColumns) updates(m map[string]any) map[string]any {
	m["department"], m["job_title"], m["company_name"] = c.Department, c.JobTitle, c.CompanyName
	m["employee_id"], m["city"], m["country"] = c.EmployeeID, c.City, c.Country
	m["usage_location"], m["mobile_phone"] = c.UsageLocation, c.MobilePhone
	m["other_mails"], m["proxy_addresses"] = c.OtherMails, c.ProxyAddresses
	m["extension_attributes"], m["directory_extensions"] = c.ExtensionAttributes, c.DirectoryExtensions
	return m
}

func (userRow) TableName() string { return "users" }

func userRowFrom(u *storage.User) userRow {
	return userRow{
		ID:                u.ID,
		TenantID:          u.TenantID,
		UserPrincipalName: u.UserPrincipalName,
		DisplayName:       u.DisplayName,
		GivenName:         u.GivenName,
		Surname:           u.Surname,
		Mail:              u.Mail,
		UserType:          u.UserType,
		AccountEnabled:    u.AccountEnabled,
		PasswordHash:      u.PasswordHash,
		Attributes:        attributeColumnsFrom(u),
		CreatedAt:         u.CreatedAt,
		UpdatedAt:         u.UpdatedAt,
	}
}

func (r userRow) toStorage() storage.User {
	u := storage.User{
		ID:                r.ID,
		TenantID:          r.TenantID,
		UserPrincipalName: r.UserPrincipalName,
		DisplayName:       r.DisplayName,
		GivenName:         r.GivenName,
		Surname:           r.Surname,
		Mail:              r.Mail,
		UserType:          r.UserType,
		AccountEnabled:    r.AccountEnabled,
		PasswordHash:      r.PasswordHash,
		CreatedAt:         normalize(r.CreatedAt),
		UpdatedAt:         normalize(r.UpdatedAt),
	}
	r.Attributes.copyTo(&u)
	return u
}

// normalizeUPN is the stored form of a user principal name: trimmed, lower-case.
func normalizeUPN(upn string) string { return strings.ToLower(strings.TrimSpace(upn)) }

// CreateUser inserts u. The UPN is stored lower-case; a UPN already used in the
// tenant (in any case) yields ErrAlreadyExists, an unknown tenant ErrNotFound.
func (s *Store) CreateUser(ctx context.Context, u *storage.User) error {
	now := s.now()
	u.UserPrincipalName = normalizeUPN(u.UserPrincipalName)
	if u.UserType == "" {
		u.UserType = storage.UserTypeMember
	}
	u.CreatedAt = orNow(u.CreatedAt, now)
	u.UpdatedAt = orNow(u.UpdatedAt, now)
	row := userRowFrom(u)
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetUser returns the user with the ID in the tenant.
func (s *Store) GetUser(ctx context.Context, tenantID, id string) (*storage.User, error) {
	var row userRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	u := row.toStorage()
	return &u, nil
}

// GetUserByUPN matches the user principal name case-insensitively.
func (s *Store) GetUserByUPN(ctx context.Context, tenantID, upn string) (*storage.User, error) {
	var row userRow
	err := s.conn(ctx).
		Where("tenant_id = ? AND lower(user_principal_name) = ?", tenantID, normalizeUPN(upn)).
		Take(&row).Error
	if err != nil {
		return nil, mapErr(err)
	}
	u := row.toStorage()
	return &u, nil
}

// ListUsers returns the tenant's users ordered by UPN.
func (s *Store) ListUsers(ctx context.Context, tenantID string) ([]storage.User, error) {
	var rows []userRow
	err := s.conn(ctx).Where("tenant_id = ?", tenantID).Order("user_principal_name, id").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.User, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// ListUsersPage returns up to limit users with IDs after afterID, by ID.
func (s *Store) ListUsersPage(ctx context.Context, tenantID, afterID string, limit int) ([]storage.User, error) {
	var rows []userRow
	err := s.conn(ctx).Where("tenant_id = ? AND id > ?", tenantID, afterID).
		Order("id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.User, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// UpdateUser writes every mutable field of u (all but tenant and creation time)
// and stamps UpdatedAt.
func (s *Store) UpdateUser(ctx context.Context, u *storage.User) error {
	now := s.now()
	res := s.conn(ctx).Model(&userRow{}).Where("tenant_id = ? AND id = ?", u.TenantID, u.ID).
		Updates(attributeColumnsFrom(u).updates(map[string]any{
			"user_principal_name": normalizeUPN(u.UserPrincipalName),
			"display_name":        u.DisplayName,
			"given_name":          u.GivenName,
			"surname":             u.Surname,
			"mail":                u.Mail,
			"user_type":           u.UserType,
			"account_enabled":     u.AccountEnabled,
			"password_hash":       u.PasswordHash,
			"updated_at":          now,
		}))
	if err := checkAffected(res.Error, res.RowsAffected); err != nil {
		return err
	}
	u.UserPrincipalName = normalizeUPN(u.UserPrincipalName)
	u.UpdatedAt = now
	return nil
}

// DeleteUser removes the user; sessions and consents of the user cascade.
func (s *Store) DeleteUser(ctx context.Context, tenantID, id string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Delete(&userRow{})
	return checkAffected(res.Error, res.RowsAffected)
}
