package storage

import (
	"context"
	"time"
)

// LockoutCounter is one smart-lockout counter (F-30): the failed passwords
// counted under Key in a tenant. server/lockout names the keys: one per user
// and kind of network (familiar or unfamiliar) and one per source address.
// A key without a row reads as a counter with no failures that is not locked.
type LockoutCounter struct {
	TenantID string
	Key      string
	// Failures counts failed passwords since the last lockout or reset.
	Failures int
	// Lockouts counts the lockouts so far; each one lengthens the next.
	Lockouts int
	// LockedUntil is the end of the current lockout; zero when never locked.
	LockedUntil time.Time
	// UpdatedAt is the time of the last change (for a new counter, its creation).
	UpdatedAt time.Time
}

// LockoutStore keeps smart-lockout counters, the networks each user signed in
// from, and each tenant's custom banned-password list. Everything lives in the
// database so that every replica sees the same counters.
type LockoutStore interface {
	// UpdateLockoutCounter reads the counter (one without failures when none
	// is stored), lets fn change it and stores the result, atomically: concurrent
	// updates of one counter, from any replica, are applied one after another
	// and none is lost. It returns the stored counter.
	UpdateLockoutCounter(ctx context.Context, tenantID, key string, fn func(c *LockoutCounter)) (LockoutCounter, error)
	// GetLockoutCounter returns the counter, or ErrNotFound when none is stored.
	GetLockoutCounter(ctx context.Context, tenantID, key string) (*LockoutCounter, error)
	// DeleteLockoutCounters removes the tenant's counters whose key starts with
	// keyPrefix (an administrator's unlock) and returns how many there were.
	DeleteLockoutCounters(ctx context.Context, tenantID, keyPrefix string) (int64, error)
	// DeleteStaleLockoutCounters removes counters of every tenant last changed
	// before the given time whose lockout has ended by then.
	DeleteStaleLockoutCounters(ctx context.Context, before time.Time) (int64, error)

	// RememberNetwork records a successful sign-in of the user from network
	// (a prefix such as 192.0.2.0/24) at the given time, replacing an older one.
	RememberNetwork(ctx context.Context, tenantID, userID, network string, at time.Time) error
	// NetworkLastSeen returns when the user last signed in from network, or
	// ErrNotFound when never.
	NetworkLastSeen(ctx context.Context, tenantID, userID, network string) (time.Time, error)

	// ListBannedPasswords returns the tenant's custom banned terms, sorted.
	ListBannedPasswords(ctx context.Context, tenantID string) ([]string, error)
	// AddBannedPasswords adds terms to the tenant's list; terms already on it
	// are left as they are.
	AddBannedPasswords(ctx context.Context, tenantID string, terms []string, at time.Time) error
	// RemoveBannedPasswords removes terms from the tenant's list and returns how
	// many were on it.
	RemoveBannedPasswords(ctx context.Context, tenantID string, terms []string) (int64, error)
}

// SessionRevoker ends a user's other sign-ins, as a password change must.
type SessionRevoker interface {
	// RevokeOtherSessions revokes the user's browser sessions other than
	// keepSessionID (empty keeps none) and deactivates the user's refresh and
	// access tokens not issued under keepSessionID, in one transaction. It
	// returns the number of sessions revoked.
	RevokeOtherSessions(ctx context.Context, tenantID, userID, keepSessionID string, at time.Time) (int64, error)
	// RevokeTenantSessions revokes every browser session of the tenant and
	// deactivates every refresh and access token issued to its users, in one
	// transaction (enabling security defaults, F-18). Tokens of
	// client-credentials grants stay. It returns the number of refresh tokens
	// deactivated.
	RevokeTenantSessions(ctx context.Context, tenantID string, at time.Time) (int64, error)
}
