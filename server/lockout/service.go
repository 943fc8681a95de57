package lockout

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// Service applies smart lockout over the database. Build it as a struct
// literal; Policy zero means Defaults, Now nil means time.Now.
type Service struct {
	Store  storage.LockoutStore
	Policy Policy
	Now    func() time.Time
}

// Attempt is one password attempt.
type Attempt struct {
	Tenant *storage.Tenant
	// UserID is the account tried; empty for an unknown account.
	UserID string
	// Addr is the client's address (see ClientAddr); invalid when unknown.
	Addr netip.Addr
}

// Verdict is Check's answer.
type Verdict struct {
	// Allowed: the password may be checked.
	Allowed bool
	// Familiar: the address is in a network the user signed in from lately.
	Familiar bool
	// Reason says why an attempt is refused ("account locked" or "address
	// throttled"), for the log only: the user must not see it.
	Reason string
	// Until is when the refusal ends.
	Until time.Time
}

func (s *Service) policy(t *storage.Tenant) Policy {
	base := s.Policy
	if base.Threshold == 0 {
		base = Defaults
	}
	return PolicyFor(base, t.Settings)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Check decides whether the attempt's password may be checked.
func (s *Service) Check(ctx context.Context, a Attempt) (Verdict, error) {
	now := s.now()
	v := Verdict{Allowed: true}
	if a.UserID != "" {
		var err error
		if v.Familiar, err = s.familiar(ctx, a, now); err != nil {
			return Verdict{}, err
		}
		c, err := s.counter(ctx, a.Tenant.ID, userKey(a.UserID, v.Familiar))
		if err != nil {
			return Verdict{}, err
		}
		if Locked(c, now) {
			return Verdict{Familiar: v.Familiar, Reason: "account locked", Until: c.LockedUntil}, nil
		}
	}
	if v.Familiar {
		return v, nil
	}
	c, err := s.counter(ctx, a.Tenant.ID, addressKey(a.Addr))
	if err != nil {
		return Verdict{}, err
	}
	if Locked(c, now) {
		return Verdict{Reason: "address throttled", Until: c.LockedUntil}, nil
	}
	return v, nil
}

// Failed counts a wrong password (or an unknown account) against the source
// address and, for a known account, against the user's counter for the kind
// of network it came from. It reports whether the user's counter is now locked.
func (s *Service) Failed(ctx context.Context, a Attempt, v Verdict) (bool, error) {
	now, p := s.now(), s.policy(a.Tenant)
	_, err := s.Store.UpdateLockoutCounter(ctx, a.Tenant.ID, addressKey(a.Addr), func(c *storage.LockoutCounter) {
		fail(c, now, p.AddressThreshold, p.AddressDuration, p.MaxDuration, p.Forget)
	})
	if err != nil || a.UserID == "" {
		return false, wrap("count failure of address", err)
	}
	c, err := s.Store.UpdateLockoutCounter(ctx, a.Tenant.ID, userKey(a.UserID, v.Familiar), func(c *storage.LockoutCounter) {
		fail(c, now, p.Threshold, p.Duration, p.MaxDuration, p.Forget)
	})
	if err != nil {
		return false, wrap("count failure of user", err)
	}
	return Locked(c, now), nil
}

// Succeeded resets the user's counter for the kind of network the verified
// password came from and makes the network familiar.
func (s *Service) Succeeded(ctx context.Context, a Attempt, v Verdict) error {
	now := s.now()
	_, err := s.Store.UpdateLockoutCounter(ctx, a.Tenant.ID, userKey(a.UserID, v.Familiar), func(c *storage.LockoutCounter) {
		c.Failures, c.Lockouts, c.LockedUntil, c.UpdatedAt = 0, 0, time.Time{}, now
	})
	if err != nil {
		return wrap("reset user counter", err)
	}
	if n, ok := Network(a.Addr); ok {
		return wrap("remember network", s.Store.RememberNetwork(ctx, a.Tenant.ID, a.UserID, n.String(), now))
	}
	return nil
}

// UnlockUser clears every counter of the user (an administrator's unlock).
func (s *Service) UnlockUser(ctx context.Context, tenantID, userID string) (int64, error) {
	return s.Store.DeleteLockoutCounters(ctx, tenantID, UserKeyPrefix(userID))
}

// UnlockAddress clears a source address's throttle.
func (s *Service) UnlockAddress(ctx context.Context, tenantID string, ip netip.Addr) (int64, error) {
	return s.Store.DeleteLockoutCounters(ctx, tenantID, AddressKeyPrefix(ip))
}

func (s *Service) familiar(ctx context.Context, a Attempt, now time.Time) (bool, error) {
	n, ok := Network(a.Addr)
	if !ok {
		return false, nil
	}
	seen, err := s.Store.NetworkLastSeen(ctx, a.Tenant.ID, a.UserID, n.String())
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return false, nil
	case err != nil:
		return false, wrap("read familiar network", err)
	}
	return now.Sub(seen) <= s.policy(a.Tenant).FamiliarFor, nil
}

func (s *Service) counter(ctx context.Context, tenantID, key string) (storage.LockoutCounter, error) {
	c, err := s.Store.GetLockoutCounter(ctx, tenantID, key)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return storage.LockoutCounter{}, nil
	case err != nil:
		return storage.LockoutCounter{}, wrap("read counter", err)
	}
	return *c, nil
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("lockout: %s: %w", what, err)
}
