package storage

import "time"

// DefaultTenantSettings are the lifetimes a tenant uses when it sets none.
var DefaultTenantSettings = TenantSettings{
	AccessTokenLifetime:  time.Hour,
	IDTokenLifetime:      time.Hour,
	RefreshTokenLifetime: 90 * 24 * time.Hour,
	AuthCodeLifetime:     5 * time.Minute,
	SessionLifetime:      24 * time.Hour,
}

// Effective returns s with every zero lifetime replaced by its default.
func (s TenantSettings) Effective() TenantSettings {
	d := DefaultTenantSettings
	pick := func(v, def time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return def
	}
	return TenantSettings{
		AccessTokenLifetime:  pick(s.AccessTokenLifetime, d.AccessTokenLifetime),
		IDTokenLifetime:      pick(s.IDTokenLifetime, d.IDTokenLifetime),
		RefreshTokenLifetime: pick(s.RefreshTokenLifetime, d.RefreshTokenLifetime),
		AuthCodeLifetime:     pick(s.AuthCodeLifetime, d.AuthCodeLifetime),
		SessionLifetime:      pick(s.SessionLifetime, d.SessionLifetime),
		RequireMFA:           s.RequireMFA,
		SecurityDefaults:     s.SecurityDefaults,
		LockoutThreshold:     s.LockoutThreshold,
		LockoutDuration:      s.LockoutDuration,
	}
}
