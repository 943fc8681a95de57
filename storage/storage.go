package storage

import (
	"context"
	"time"
)

// Storage is the contract every backend implements. Methods are safe for
// concurrent use. A transaction started by InTx or BeginTx travels in the context:
// every call made with that context joins it.
//
// Lookups of tenant-owned records take the tenant ID and return ErrNotFound for a
// record of another tenant.
type Storage interface {
	TenantStore
	UserStore
	GroupStore
	ExtensionPropertyStore
	ApplicationStore
	KeyStore
	OAuthStore
	FlowStore
	SessionStore
	ConsentStore
	AuthMethodStore
	PasskeyStore
	ApprovalStore
	RoleStore
	AppRoleStore
	BrandingStore
	LockoutStore
	AuditStore
	AdminPolicyStore
	SessionRevoker
	AccessStore
	BulkStore
	Transactor

	// Ping reports whether the database answers (readiness).
	Ping(ctx context.Context) error
	// Close releases the connection pool.
	Close() error
}

// Transactor runs work atomically.
type Transactor interface {
	// InTx runs fn in a transaction carried by the context it is given; it commits
	// when fn returns nil and rolls back otherwise (or on panic). Nested calls join
	// the outer transaction.
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// BeginTx, Commit and Rollback expose the same transaction to callers that
	// manage it themselves (fosite's storage.Transactional).
	BeginTx(ctx context.Context) (context.Context, error)
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// TenantStore manages tenants and their domains.
type TenantStore interface {
	// CreateTenant inserts the tenant and its domains in one transaction.
	CreateTenant(ctx context.Context, t *Tenant, domains []Domain) error
	GetTenant(ctx context.Context, id string) (*Tenant, error)
	// GetTenantByDomain resolves a verified domain (case-insensitive).
	GetTenantByDomain(ctx context.Context, domain string) (*Tenant, error)
	ListTenants(ctx context.Context) ([]Tenant, error)
	ListDomains(ctx context.Context, tenantID string) ([]Domain, error)
	UpdateTenant(ctx context.Context, t *Tenant) error
	// DeleteTenant removes the tenant and everything it owns.
	DeleteTenant(ctx context.Context, id string) error
}

// UserStore manages directory users.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	GetUser(ctx context.Context, tenantID, id string) (*User, error)
	// GetUserByUPN matches the user principal name case-insensitively.
	GetUserByUPN(ctx context.Context, tenantID, upn string) (*User, error)
	ListUsers(ctx context.Context, tenantID string) ([]User, error)
	// ListUsersPage returns up to limit users of the tenant with IDs after
	// afterID, ordered by ID (keyset pagination for bulk work such as
	// dynamic-group re-evaluation).
	ListUsersPage(ctx context.Context, tenantID, afterID string, limit int) ([]User, error)
	UpdateUser(ctx context.Context, u *User) error
	DeleteUser(ctx context.Context, tenantID, id string) error
}

// ApplicationStore manages OAuth clients.
type ApplicationStore interface {
	CreateApplication(ctx context.Context, a *Application) error
	// GetApplication finds a client by its globally unique client ID.
	GetApplication(ctx context.Context, clientID string) (*Application, error)
	ListApplications(ctx context.Context, tenantID string) ([]Application, error)
	UpdateApplication(ctx context.Context, a *Application) error
	DeleteApplication(ctx context.Context, tenantID, clientID string) error
}

// KeyStore keeps signing keys.
type KeyStore interface {
	CreateSigningKey(ctx context.Context, k *SigningKey) error
	// ListSigningKeys returns every key of the tenant, newest first.
	ListSigningKeys(ctx context.Context, tenantID string) ([]SigningKey, error)
	UpdateSigningKey(ctx context.Context, k *SigningKey) error
	DeleteSigningKey(ctx context.Context, tenantID, id string) error
}

// OAuthStore keeps codes, tokens, PKCE and OIDC requests, plus used client-assertion IDs.
type OAuthStore interface {
	// CreateOAuthRecord fails with ErrAlreadyExists when (Kind, Signature) is taken.
	CreateOAuthRecord(ctx context.Context, r *OAuthRecord) error
	GetOAuthRecord(ctx context.Context, kind, signature string) (*OAuthRecord, error)
	// DeactivateOAuthRecord atomically flips Active from true to false. It returns
	// ErrNotFound when no record exists and ErrConflict when it was already
	// inactive, so of two concurrent callers exactly one succeeds.
	DeactivateOAuthRecord(ctx context.Context, kind, signature string) error
	DeleteOAuthRecord(ctx context.Context, kind, signature string) error
	// DeactivateOAuthRecordsByRequest marks every record of the kind issued under
	// the request ID inactive (revocation of a whole grant family).
	DeactivateOAuthRecordsByRequest(ctx context.Context, kind, requestID string) error
	// DeactivateOAuthRecordsBySession marks every record of the kind bound to the
	// browser session inactive (logout).
	DeactivateOAuthRecordsBySession(ctx context.Context, kind, sessionID string) error
	// DeleteExpiredOAuthRecords removes records that expired before the given time.
	DeleteExpiredOAuthRecords(ctx context.Context, before time.Time) (int64, error)
	// UseJTI records a client-assertion `jti` until exp; it returns ErrAlreadyExists
	// when the jti was recorded and has not yet expired (RFC 7523 replay).
	UseJTI(ctx context.Context, jti string, exp time.Time) error
	// JTIUsed reports whether the jti is recorded and not expired.
	JTIUsed(ctx context.Context, jti string) (bool, error)
}

// FlowStore keeps sign-in flows.
type FlowStore interface {
	CreateFlow(ctx context.Context, f *Flow) error
	GetFlow(ctx context.Context, id string) (*Flow, error)
	// UpdateFlow writes f only if the stored UpdatedAt equals prevUpdatedAt
	// (optimistic concurrency); otherwise ErrConflict.
	UpdateFlow(ctx context.Context, f *Flow, prevUpdatedAt time.Time) error
	DeleteFlow(ctx context.Context, id string) error
	DeleteExpiredFlows(ctx context.Context, before time.Time) (int64, error)
}

// SessionStore keeps browser (SSO) sessions.
type SessionStore interface {
	CreateBrowserSession(ctx context.Context, s *BrowserSession) error
	GetBrowserSession(ctx context.Context, id string) (*BrowserSession, error)
	// RevokeBrowserSession sets RevokedAt; revoking twice is not an error.
	RevokeBrowserSession(ctx context.Context, id string, at time.Time) error
	// UpdateBrowserSessionAuth records a further authentication in the
	// session (an MFA step-up): its AuthTime, AMR and ACR. ErrNotFound when
	// there is no such session.
	UpdateBrowserSessionAuth(ctx context.Context, id string, authTime time.Time, amr []string, acr string) error
}

// ConsentStore remembers granted consent per user and application.
type ConsentStore interface {
	GetConsent(ctx context.Context, tenantID, userID, clientID string) (*Consent, error)
	// SaveConsent inserts or replaces the consent for (tenant, user, client).
	SaveConsent(ctx context.Context, c *Consent) error
}
