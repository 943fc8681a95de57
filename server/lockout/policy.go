package lockout

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// Policy holds the numbers of smart lockout. Build it with PolicyFor.
type Policy struct {
	// Threshold is the failures that lock a user's counter.
	Threshold int
	// Duration is the first lockout; each further one doubles it.
	Duration time.Duration
	// MaxDuration caps a lockout.
	MaxDuration time.Duration
	// Forget is the quiet time after which a counter starts again.
	Forget time.Duration
	// AddressThreshold is the failures from one source address, over all
	// accounts, that throttle it; AddressDuration is its first throttle.
	AddressThreshold int
	AddressDuration  time.Duration
	// FamiliarFor is how long a successful sign-in makes its network familiar.
	FamiliarFor time.Duration
}

// Defaults used when a tenant sets nothing. Entra publishes no numbers
// (SEED-REQUIREMENTS "Password rules and lockout numbers"); these follow its
// documented defaults for the threshold and the first lockout.
var Defaults = Policy{
	Threshold:        10,
	Duration:         60 * time.Second,
	MaxDuration:      time.Hour,
	Forget:           24 * time.Hour,
	AddressThreshold: 50,
	AddressDuration:  5 * time.Minute,
	FamiliarFor:      60 * 24 * time.Hour,
}

// PolicyFor returns base with the tenant's threshold and duration applied
// where it sets them.
func PolicyFor(base Policy, s storage.TenantSettings) Policy {
	if s.LockoutThreshold > 0 {
		base.Threshold = s.LockoutThreshold
	}
	if s.LockoutDuration > 0 {
		base.Duration = s.LockoutDuration
		base.MaxDuration = max(base.MaxDuration, s.LockoutDuration)
	}
	return base
}

// Locked reports whether the counter refuses attempts at now.
func Locked(c storage.LockoutCounter, now time.Time) bool {
	return now.Before(c.LockedUntil)
}

// fail counts one failure at now: a counter quiet for longer than forget
// starts again; reaching threshold locks it for first·2^(lockouts so far),
// at most maxLock. A failure while locked changes nothing.
func fail(c *storage.LockoutCounter, now time.Time, threshold int, first, maxLock, forget time.Duration) {
	if Locked(*c, now) {
		return
	}
	if !c.UpdatedAt.IsZero() && now.Sub(c.UpdatedAt) > forget {
		c.Failures, c.Lockouts = 0, 0
	}
	c.Failures++
	c.UpdatedAt = now
	if c.Failures < max(threshold, 1) {
		return
	}
	c.LockedUntil = now.Add(lockoutLength(c.Lockouts, first, maxLock))
	c.Lockouts++
	c.Failures = 0
}

// lockoutLength is first doubled n times, capped at maxLock.
func lockoutLength(n int, first, maxLock time.Duration) time.Duration {
	d := first
	for range n {
		if d >= maxLock/2 {
			return maxLock
		}
		d *= 2
	}
	return min(d, maxLock)
}

// Network returns the network an address belongs to for familiarity: its
// /24 for IPv4, its /64 for IPv6. An invalid address has no network.
func Network(ip netip.Addr) (netip.Prefix, bool) {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return netip.Prefix{}, false
	case ip.Is4():
		p, _ := ip.Prefix(24)
		return p, true
	default:
		p, _ := ip.Prefix(64)
		return p, true
	}
}

// addressKey names a source address's counter: the address, or its /64 for
// IPv6 (one attacker holds a whole /64).
func addressKey(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "ip:unknown"
	case ip.Is4():
		return "ip:" + ip.String()
	default:
		p, _ := ip.Prefix(64)
		return "ip:" + p.String()
	}
}

// userKey names a user's counter for familiar or unfamiliar networks.
func userKey(userID string, familiar bool) string {
	if familiar {
		return UserKeyPrefix(userID) + "familiar"
	}
	return UserKeyPrefix(userID) + "unfamiliar"
}

// UserKeyPrefix is the prefix of every counter of the user (admin unlock).
func UserKeyPrefix(userID string) string { return "user:" + userID + ":" }

// AddressKeyPrefix is the key of a source address's counter (admin unlock).
func AddressKeyPrefix(ip netip.Addr) string { return addressKey(ip) }

// Bounds of the tenant settings.
const (
	MinThreshold = 1
	MaxThreshold = 100
	MinDuration  = time.Second
	MaxDuration  = 24 * time.Hour
)

// SettingsProblems lists what is wrong with a tenant's lockout threshold and
// duration (0 means Sigil's default and is always accepted).
func SettingsProblems(threshold int, duration time.Duration) []string {
	var out []string
	if threshold != 0 && (threshold < MinThreshold || threshold > MaxThreshold) {
		out = append(out, fmt.Sprintf("threshold must be between %d and %d failed passwords (0 restores the default %d)", MinThreshold, MaxThreshold, Defaults.Threshold))
	}
	if duration != 0 && (duration < MinDuration || duration > MaxDuration) {
		out = append(out, fmt.Sprintf("duration must be between %s and %s (0 restores the default %s)", MinDuration, MaxDuration, Defaults.Duration))
	}
	return out
}
