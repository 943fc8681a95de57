package storage

import (
	"context"
	"time"
)

// WebAuthnSession is the server-side state of one WebAuthn ceremony (its
// challenge and expectations, opaque to storage): bound to a sign-in flow or
// a registration, and usable once.
type WebAuthnSession struct {
	// ID names the ceremony: the flow it belongs to and its purpose.
	ID       string
	TenantID string
	// UserID is the user the ceremony is for; empty for a usernameless one.
	UserID    string
	Data      []byte
	ExpiresAt time.Time
}

// PasskeyStore keeps what passkeys (server/mfa/passkey) need besides their
// AuthMethod records: the ceremonies' single-use state and the atomic update
// of a credential's signature counter.
type PasskeyStore interface {
	// SaveWebAuthnSession stores s, replacing a ceremony of the same ID (a
	// page shown again starts a new challenge and voids the old one).
	SaveWebAuthnSession(ctx context.Context, s *WebAuthnSession) error
	// TakeWebAuthnSession returns and deletes the ceremony, so it is used at
	// most once even by two replicas; ErrNotFound when it does not exist, is
	// of another tenant or expired before now.
	TakeWebAuthnSession(ctx context.Context, tenantID, id string, now time.Time) (*WebAuthnSession, error)
	// SwapAuthMethodSecret replaces the method's Secret with next and sets
	// LastUsedAt, only when the stored Secret is still prev; ErrConflict
	// otherwise (another sign-in with the credential won), ErrNotFound when
	// the user has no such method.
	SwapAuthMethodSecret(ctx context.Context, tenantID, userID, id string, prev, next []byte, at time.Time) error
	// RenameAuthMethod sets the name of one of the user's methods and nothing
	// else (a passkey's state may change meanwhile); ErrNotFound when the
	// user has no such method.
	RenameAuthMethod(ctx context.Context, tenantID, userID, id, name string) error
	// DeleteExpiredWebAuthnSessions removes ceremonies expired before now.
	DeleteExpiredWebAuthnSessions(ctx context.Context, now time.Time) (int64, error)
}
