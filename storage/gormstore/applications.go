package gormstore

import (
	"context"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

type applicationRow struct {
	ID                      string         `gorm:"column:id;primaryKey"`
	TenantID                string         `gorm:"column:tenant_id"`
	DisplayName             string         `gorm:"column:display_name"`
	Public                  bool           `gorm:"column:public"`
	FirstParty              bool           `gorm:"column:first_party"`
	RedirectURIs            stringList     `gorm:"column:redirect_uris"`
	PostLogoutRedirectURIs  stringList     `gorm:"column:post_logout_redirect_uris"`
	GrantTypes              stringList     `gorm:"column:grant_types"`
	Scopes                  stringList     `gorm:"column:scopes"`
	TokenEndpointAuthMethod string         `gorm:"column:token_endpoint_auth_method"`
	JWKS                    string         `gorm:"column:jwks"`
	SigningAlg              string         `gorm:"column:signing_alg"`
	SubjectSalt             []byte         `gorm:"column:subject_salt"`
	GroupMembershipClaims   string         `gorm:"column:group_membership_claims"`
	OptionalClaims          optionalClaims `gorm:"column:optional_claims"`
	CreatedAt               time.Time      `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt               time.Time      `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (applicationRow) TableName() string { return "applications" }

type clientSecretRow struct {
	ID            string     `gorm:"column:id;primaryKey"`
	ApplicationID string     `gorm:"column:application_id"`
	Hint          string     `gorm:"column:hint"`
	Digest        []byte     `gorm:"column:digest"`
	CreatedAt     time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	ExpiresAt     *time.Time `gorm:"column:expires_at"`
}

func (clientSecretRow) TableName() string { return "client_secrets" }

func applicationRowFrom(a *storage.Application) applicationRow {
	return applicationRow{
		ID:                      a.ID,
		TenantID:                a.TenantID,
		DisplayName:             a.DisplayName,
		Public:                  a.Public,
		FirstParty:              a.FirstParty,
		RedirectURIs:            a.RedirectURIs,
		PostLogoutRedirectURIs:  a.PostLogoutRedirectURIs,
		GrantTypes:              a.GrantTypes,
		Scopes:                  a.Scopes,
		TokenEndpointAuthMethod: a.TokenEndpointAuthMethod,
		JWKS:                    a.JWKS,
		SigningAlg:              a.SigningAlg,
		SubjectSalt:             a.SubjectSalt,
		GroupMembershipClaims:   a.GroupMembershipClaims,
		OptionalClaims:          optionalClaims(a.OptionalClaims),
		CreatedAt:               a.CreatedAt,
		UpdatedAt:               a.UpdatedAt,
	}
}

func (r applicationRow) toStorage(secrets []storage.ClientSecret) storage.Application {
	return storage.Application{
		ID:                      r.ID,
		TenantID:                r.TenantID,
		DisplayName:             r.DisplayName,
		Public:                  r.Public,
		FirstParty:              r.FirstParty,
		RedirectURIs:            r.RedirectURIs,
		PostLogoutRedirectURIs:  r.PostLogoutRedirectURIs,
		GrantTypes:              r.GrantTypes,
		Scopes:                  r.Scopes,
		TokenEndpointAuthMethod: r.TokenEndpointAuthMethod,
		JWKS:                    r.JWKS,
		SigningAlg:              r.SigningAlg,
		SubjectSalt:             r.SubjectSalt,
		GroupMembershipClaims:   r.GroupMembershipClaims,
		OptionalClaims:          storage.OptionalClaims(r.OptionalClaims),
		Secrets:                 secrets,
		CreatedAt:               normalize(r.CreatedAt),
		UpdatedAt:               normalize(r.UpdatedAt),
	}
}

func (r clientSecretRow) toStorage() storage.ClientSecret {
	return storage.ClientSecret{
		ID:        r.ID,
		Hint:      r.Hint,
		Digest:    r.Digest,
		CreatedAt: normalize(r.CreatedAt),
		ExpiresAt: normalizePtr(r.ExpiresAt),
	}
}

// secretRows normalizes the application's secrets in place and returns their rows.
func secretRows(a *storage.Application, now time.Time) []clientSecretRow {
	rows := make([]clientSecretRow, 0, len(a.Secrets))
	for i := range a.Secrets {
		sec := &a.Secrets[i]
		sec.CreatedAt = orNow(sec.CreatedAt, now)
		sec.ExpiresAt = normalizePtr(sec.ExpiresAt)
		rows = append(rows, clientSecretRow{
			ID:            sec.ID,
			ApplicationID: a.ID,
			Hint:          sec.Hint,
			Digest:        sec.Digest,
			CreatedAt:     sec.CreatedAt,
			ExpiresAt:     sec.ExpiresAt,
		})
	}
	return rows
}

// CreateApplication inserts the application and its secrets in one transaction.
// A client ID already taken in any tenant yields ErrAlreadyExists.
func (s *Store) CreateApplication(ctx context.Context, a *storage.Application) error {
	now := s.now()
	a.CreatedAt = orNow(a.CreatedAt, now)
	a.UpdatedAt = orNow(a.UpdatedAt, now)
	row := applicationRowFrom(a)
	secrets := secretRows(a, now)
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(&row).Error; err != nil {
			return mapErr(err)
		}
		return s.insertSecrets(ctx, secrets)
	})
}

func (s *Store) insertSecrets(ctx context.Context, rows []clientSecretRow) error {
	if len(rows) == 0 {
		return nil
	}
	return mapErr(s.conn(ctx).Create(&rows).Error)
}

// applicationSecretRow is one row of the application ⟕ client_secrets join:
// the application's columns, and one secret's (all NULL when it has none).
type applicationSecretRow struct {
	App             applicationRow `gorm:"embedded"`
	SecretID        *string        `gorm:"column:secret_id"`
	SecretHint      *string        `gorm:"column:secret_hint"`
	SecretDigest    []byte         `gorm:"column:secret_digest"`
	SecretCreatedAt *time.Time     `gorm:"column:secret_created_at"`
	SecretExpiresAt *time.Time     `gorm:"column:secret_expires_at"`
}

// GetApplication finds a client by its globally unique client ID, with its
// secrets, in one round trip: client authentication runs on every token
// request.
func (s *Store) GetApplication(ctx context.Context, clientID string) (*storage.Application, error) {
	var rows []applicationSecretRow
	err := s.conn(ctx).Table("applications").
		Select("applications.*, cs.id AS secret_id, cs.hint AS secret_hint, cs.digest AS secret_digest, "+
			"cs.created_at AS secret_created_at, cs.expires_at AS secret_expires_at").
		Joins("LEFT JOIN client_secrets cs ON cs.application_id = applications.id").
		Where("applications.id = ?", clientID).
		Order("cs.created_at, cs.id").
		Scan(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	if len(rows) == 0 {
		return nil, storage.ErrNotFound
	}
	var secrets []storage.ClientSecret
	for _, r := range rows {
		if r.SecretID == nil {
			continue
		}
		secrets = append(secrets, clientSecretRow{
			ID: *r.SecretID, ApplicationID: r.App.ID, Hint: deref(r.SecretHint), Digest: r.SecretDigest,
			CreatedAt: deref(r.SecretCreatedAt), ExpiresAt: r.SecretExpiresAt,
		}.toStorage())
	}
	a := rows[0].App.toStorage(secrets)
	return &a, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// ListApplications returns the tenant's applications ordered by display name,
// each with its secrets (two queries in all).
func (s *Store) ListApplications(ctx context.Context, tenantID string) ([]storage.Application, error) {
	var rows []applicationRow
	err := s.conn(ctx).Where("tenant_id = ?", tenantID).Order("display_name, id").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.ID)
	}
	secrets, err := s.secretsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]storage.Application, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage(secrets[r.ID]))
	}
	return out, nil
}

// secretsOf loads the secrets of the applications, keyed by application ID,
// oldest first.
func (s *Store) secretsOf(ctx context.Context, appIDs []string) (map[string][]storage.ClientSecret, error) {
	out := make(map[string][]storage.ClientSecret, len(appIDs))
	if len(appIDs) == 0 {
		return out, nil
	}
	var rows []clientSecretRow
	err := s.conn(ctx).Where("application_id IN ?", appIDs).Order("created_at, id").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	for _, r := range rows {
		out[r.ApplicationID] = append(out[r.ApplicationID], r.toStorage())
	}
	return out, nil
}

// UpdateApplication writes every mutable field and replaces the secret set with
// a.Secrets, in one transaction.
func (s *Store) UpdateApplication(ctx context.Context, a *storage.Application) error {
	now := s.now()
	secrets := secretRows(a, now)
	err := s.InTx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Model(&applicationRow{}).Where("tenant_id = ? AND id = ?", a.TenantID, a.ID).
			Updates(map[string]any{
				"display_name":               a.DisplayName,
				"public":                     a.Public,
				"first_party":                a.FirstParty,
				"redirect_uris":              stringList(a.RedirectURIs),
				"post_logout_redirect_uris":  stringList(a.PostLogoutRedirectURIs),
				"grant_types":                stringList(a.GrantTypes),
				"scopes":                     stringList(a.Scopes),
				"token_endpoint_auth_method": a.TokenEndpointAuthMethod,
				"jwks":                       a.JWKS,
				"signing_alg":                a.SigningAlg,
				"subject_salt":               a.SubjectSalt,
				"group_membership_claims":    a.GroupMembershipClaims,
				"optional_claims":            optionalClaims(a.OptionalClaims),
				"updated_at":                 now,
			})
		if err := checkAffected(res.Error, res.RowsAffected); err != nil {
			return err
		}
		if err := s.conn(ctx).Where("application_id = ?", a.ID).Delete(&clientSecretRow{}).Error; err != nil {
			return mapErr(err)
		}
		return s.insertSecrets(ctx, secrets)
	})
	if err != nil {
		return err
	}
	a.UpdatedAt = now
	return nil
}

// DeleteApplication removes the application; its secrets and consents cascade.
func (s *Store) DeleteApplication(ctx context.Context, tenantID, clientID string) error {
	res := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, clientID).Delete(&applicationRow{})
	return checkAffected(res.Error, res.RowsAffected)
}
