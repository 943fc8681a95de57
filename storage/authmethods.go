package storage

import (
	"context"
	"time"
)

// AuthMethodStore keeps the users' registered authentication methods, their
// recovery codes and their MFA state (server/mfa). Every lookup takes the
// tenant and the user, and answers ErrNotFound for another user's record.
type AuthMethodStore interface {
	// CreateAuthMethod inserts m; ErrAlreadyExists when its ID, or its
	// non-empty Handle within the tenant and kind, is taken; ErrNotFound when
	// the user does not exist.
	CreateAuthMethod(ctx context.Context, m *AuthMethod) error
	GetAuthMethod(ctx context.Context, tenantID, userID, id string) (*AuthMethod, error)
	// GetAuthMethodByHandle finds a method by its Handle (passwordless lookup).
	GetAuthMethodByHandle(ctx context.Context, tenantID, kind, handle string) (*AuthMethod, error)
	// ListAuthMethods returns the user's methods, confirmed or not, oldest first.
	ListAuthMethods(ctx context.Context, tenantID, userID string) ([]AuthMethod, error)
	// UpdateAuthMethod writes Name, Secret, Confirmed and LastUsedAt.
	UpdateAuthMethod(ctx context.Context, m *AuthMethod) error
	DeleteAuthMethod(ctx context.Context, tenantID, userID, id string) error
	// DeleteAuthMethods removes every method and recovery code of the user.
	DeleteAuthMethods(ctx context.Context, tenantID, userID string) error
	// AdvanceTOTPStep records that the TOTP method accepted the time step,
	// setting LastUsedAt to at. It succeeds only when step is greater than the
	// last accepted one and fails with ErrConflict otherwise, so a code is
	// accepted once even by two replicas at the same moment (RFC 6238 §5.2).
	AdvanceTOTPStep(ctx context.Context, tenantID, userID, id string, step int64, at time.Time) error

	// ReplaceRecoveryCodes deletes the user's recovery codes and stores the
	// given digests as the new set, atomically.
	ReplaceRecoveryCodes(ctx context.Context, tenantID, userID string, digests [][]byte, at time.Time) error
	// ListRecoveryCodes returns the user's recovery codes, used or not.
	ListRecoveryCodes(ctx context.Context, tenantID, userID string) ([]RecoveryCode, error)
	// UseRecoveryCode marks the code used; ErrConflict when it already was, so
	// of two concurrent uses exactly one succeeds.
	UseRecoveryCode(ctx context.Context, tenantID, userID, id string, at time.Time) error

	// GetMFAState returns the user's MFA state (the zero state, not
	// ErrNotFound, when none was recorded).
	GetMFAState(ctx context.Context, tenantID, userID string) (*MFAState, error)
	// SetMFARegistrationRequired sets or clears the re-registration flag.
	SetMFARegistrationRequired(ctx context.Context, tenantID, userID string, required bool) error
	// RecordMFAFailure counts one failed second-factor attempt at the given
	// time, atomically, and returns the new state.
	RecordMFAFailure(ctx context.Context, tenantID, userID string, at time.Time) (*MFAState, error)
	// ResetMFAFailures clears the failure count after a successful attempt.
	ResetMFAFailures(ctx context.Context, tenantID, userID string) error
}
