package storage

import (
	"context"
	"time"
)

// ConditionalAccessPolicy is a stored policy: server/policy owns the
// document (Graph's conditionalAccessPolicy JSON); storage keeps the columns
// it lists and filters by.
type ConditionalAccessPolicy struct {
	ID          string
	TenantID    string
	DisplayName string
	State       string
	Document    []byte
	CreatedAt   time.Time
	ModifiedAt  time.Time
}

// NamedLocation is a stored named location (server/policy owns the
// document: Graph's ipNamedLocation or countryNamedLocation JSON).
type NamedLocation struct {
	ID          string
	TenantID    string
	DisplayName string
	Document    []byte
	CreatedAt   time.Time
	ModifiedAt  time.Time
}

// TermsOfUse is a terms-of-use document a policy can require (G-25).
// Changing the content raises Version: acceptances of older versions no
// longer count.
type TermsOfUse struct {
	ID          string
	TenantID    string
	DisplayName string
	Content     string
	Version     int
	CreatedAt   time.Time
	ModifiedAt  time.Time
}

// TermsAcceptance records that a user accepted a version of terms of use.
type TermsAcceptance struct {
	TenantID   string
	UserID     string
	TermsID    string
	Version    int
	AcceptedAt time.Time
}

// SignIn is one row of the sign-in log (Graph signIn): every interactive and
// non-interactive sign-in, success or failure.
type SignIn struct {
	ID              string
	TenantID        string
	CreatedAt       time.Time
	CorrelationID   string // the sign-in flow, or the token request
	RequestID       string // shown on the error page
	UserID          string
	UserPrincipal   string // as typed when the user is unknown
	UserName        string
	AppID           string
	AppName         string
	ResourceID      string
	IPAddress       string
	Country         string
	UserAgent       string
	Platform        string
	ClientAppType   string
	Interactive     bool
	AuthRequirement string // singleFactorAuthentication or multiFactorAuthentication
	AuthMethods     []string
	// ErrorCode is 0 for a success; FailureReason says why otherwise.
	ErrorCode     int
	FailureReason string
	// ConditionalAccessStatus is success, failure or notApplied;
	// AppliedPolicies the per-policy results as JSON (server/policy).
	ConditionalAccessStatus string
	AppliedPolicies         []byte
	RiskLevel               string
	RiskDetections          []string
}

// SignInFilter narrows ListSignIns; empty fields match everything.
type SignInFilter struct {
	UserID        string
	AppID         string
	CorrelationID string
	Since, Until  time.Time
	// Status is "success" (ErrorCode 0), "failure" or "".
	Status string
	// Before continues a listing: rows strictly older than this row (by
	// CreatedAt, then ID).
	BeforeTime time.Time
	BeforeID   string
}

// UserRisk is an administrator's or Sigil's assessment of a user's risk
// (G-12): level none, low, medium or high; state atRisk, dismissed,
// remediated or confirmedCompromised.
type UserRisk struct {
	TenantID  string
	UserID    string
	Level     string
	State     string
	Detail    string
	UpdatedAt time.Time
	UpdatedBy string
}

// AccessStore keeps Conditional Access configuration, terms of use, user
// risk and the sign-in log.
type AccessStore interface {
	// ListConditionalAccessPolicies returns the tenant's policies, oldest
	// first.
	ListConditionalAccessPolicies(ctx context.Context, tenantID string) ([]ConditionalAccessPolicy, error)
	GetConditionalAccessPolicy(ctx context.Context, tenantID, id string) (*ConditionalAccessPolicy, error)
	// SaveConditionalAccessPolicy inserts or replaces the policy.
	SaveConditionalAccessPolicy(ctx context.Context, p *ConditionalAccessPolicy) error
	DeleteConditionalAccessPolicy(ctx context.Context, tenantID, id string) error

	ListNamedLocations(ctx context.Context, tenantID string) ([]NamedLocation, error)
	GetNamedLocation(ctx context.Context, tenantID, id string) (*NamedLocation, error)
	SaveNamedLocation(ctx context.Context, l *NamedLocation) error
	DeleteNamedLocation(ctx context.Context, tenantID, id string) error

	ListTermsOfUse(ctx context.Context, tenantID string) ([]TermsOfUse, error)
	GetTermsOfUse(ctx context.Context, tenantID, id string) (*TermsOfUse, error)
	SaveTermsOfUse(ctx context.Context, t *TermsOfUse) error
	DeleteTermsOfUse(ctx context.Context, tenantID, id string) error
	// AcceptTerms records an acceptance; accepting twice is not an error.
	AcceptTerms(ctx context.Context, a TermsAcceptance) error
	// ListTermsAcceptances returns the user's acceptances, every version.
	ListTermsAcceptances(ctx context.Context, tenantID, userID string) ([]TermsAcceptance, error)

	// GetUserRisk returns ErrNotFound when the user has no risk record.
	GetUserRisk(ctx context.Context, tenantID, userID string) (*UserRisk, error)
	SaveUserRisk(ctx context.Context, r *UserRisk) error
	ListRiskyUsers(ctx context.Context, tenantID string) ([]UserRisk, error)

	// InsertSignIn appends a row; rows are never changed.
	InsertSignIn(ctx context.Context, s *SignIn) error
	// ListSignIns returns up to limit matching rows, newest first.
	ListSignIns(ctx context.Context, tenantID string, f SignInFilter, limit int) ([]SignIn, error)
	// LastSuccessfulSignIn is the user's newest successful interactive
	// sign-in; ErrNotFound when there is none.
	LastSuccessfulSignIn(ctx context.Context, tenantID, userID string) (*SignIn, error)
	// PurgeSignInsBefore deletes every tenant's rows older than cutoff
	// (retention) and returns how many.
	PurgeSignInsBefore(ctx context.Context, cutoff time.Time) (int64, error)
}
