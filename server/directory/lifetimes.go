package directory

import (
	"context"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// LifetimeChanges are the token and session lifetimes to change on a tenant; a
// nil field keeps the current value and a zero duration restores Sigil's default
// (storage.DefaultTenantSettings).
type LifetimeChanges struct {
	AccessToken  *time.Duration
	IDToken      *time.Duration
	RefreshToken *time.Duration
	AuthCode     *time.Duration
	Session      *time.Duration
}

// lifetimeBounds keep each lifetime within what a deployment can defend: short
// enough that a leaked token stops working, long enough for clients to use it.
var lifetimeBounds = map[string][2]time.Duration{
	"accessTokenLifetime":  {5 * time.Minute, 24 * time.Hour},
	"idTokenLifetime":      {5 * time.Minute, 24 * time.Hour},
	"refreshTokenLifetime": {time.Hour, 365 * 24 * time.Hour},
	"authCodeLifetime":     {30 * time.Second, 10 * time.Minute},
	"sessionLifetime":      {5 * time.Minute, 90 * 24 * time.Hour},
}

// SetLifetimes changes a tenant's token and session lifetimes, validating all of
// them first so that nothing changes when one is out of range.
func (s *Service) SetLifetimes(ctx context.Context, idOrDomain string, in LifetimeChanges) (*storage.Tenant, error) {
	t, err := s.GetTenant(ctx, idOrDomain)
	if err != nil {
		return nil, err
	}
	var p problems
	set := t.Settings
	for _, f := range []struct {
		field  string
		change *time.Duration
		target *time.Duration
	}{
		{"accessTokenLifetime", in.AccessToken, &set.AccessTokenLifetime},
		{"idTokenLifetime", in.IDToken, &set.IDTokenLifetime},
		{"refreshTokenLifetime", in.RefreshToken, &set.RefreshTokenLifetime},
		{"authCodeLifetime", in.AuthCode, &set.AuthCodeLifetime},
		{"sessionLifetime", in.Session, &set.SessionLifetime},
	} {
		if f.change == nil {
			continue
		}
		bounds := lifetimeBounds[f.field]
		if d := *f.change; d != 0 && (d < bounds[0] || d > bounds[1]) {
			p.add(f.field, "must be between %s and %s (or 0 for the default)", bounds[0], bounds[1])
			continue
		}
		*f.target = *f.change
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	t.Settings = set
	t.UpdatedAt = s.now()
	if err := s.Store.UpdateTenant(ctx, t); err != nil {
		return nil, mapNotFound(err, ErrTenantNotFound)
	}
	return t, nil
}
