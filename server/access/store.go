package access

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/storage"
)

// StoreConfig reads Conditional Access configuration, terms of use and user
// risk from storage: the ConfigSource of a Service, and the flow's
// TermsOfUse.
type StoreConfig struct {
	Store storage.Storage
	Now   func() time.Time
}

// Config implements ConfigSource.
func (c StoreConfig) Config(ctx context.Context, tenantID string) (Config, error) {
	rows, err := c.Store.ListConditionalAccessPolicies(ctx, tenantID)
	if err != nil {
		return Config{}, err
	}
	var cfg Config
	for _, r := range rows {
		p, err := DecodePolicy(r)
		if err != nil {
			return Config{}, err
		}
		cfg.Policies = append(cfg.Policies, p)
	}
	locs, err := c.Store.ListNamedLocations(ctx, tenantID)
	if err != nil {
		return Config{}, err
	}
	for _, r := range locs {
		l, err := DecodeLocation(r)
		if err != nil {
			return Config{}, err
		}
		cfg.Locations = append(cfg.Locations, l)
	}
	return cfg, nil
}

// DecodePolicy reads a stored policy; the row's columns win over the
// document's copies of them.
func DecodePolicy(r storage.ConditionalAccessPolicy) (policy.Policy, error) {
	var p policy.Policy
	if err := json.Unmarshal(r.Document, &p); err != nil {
		return policy.Policy{}, fmt.Errorf("access: policy %s: %w", r.ID, err)
	}
	created, modified := r.CreatedAt, r.ModifiedAt
	p.ID, p.DisplayName, p.State, p.CreatedDateTime, p.ModifiedDateTime = r.ID, r.DisplayName, r.State, &created, &modified
	return p, nil
}

// DecodeLocation reads a stored named location.
func DecodeLocation(r storage.NamedLocation) (policy.NamedLocation, error) {
	var l policy.NamedLocation
	if err := json.Unmarshal(r.Document, &l); err != nil {
		return policy.NamedLocation{}, fmt.Errorf("access: named location %s: %w", r.ID, err)
	}
	created, modified := r.CreatedAt, r.ModifiedAt
	l.ID, l.DisplayName, l.CreatedDateTime, l.ModifiedDateTime = r.ID, r.DisplayName, &created, &modified
	return l, nil
}

// AcceptedTerms implements ConfigSource: the terms whose current version
// the user accepted.
func (c StoreConfig) AcceptedTerms(ctx context.Context, tenantID, userID string) ([]string, error) {
	accepted, err := c.Store.ListTermsAcceptances(ctx, tenantID, userID)
	if err != nil || len(accepted) == 0 {
		return nil, err
	}
	terms, err := c.Store.ListTermsOfUse(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, t := range terms {
		if slices.ContainsFunc(accepted, func(a storage.TermsAcceptance) bool { return a.TermsID == t.ID && a.Version == t.Version }) {
			ids = append(ids, t.ID)
		}
	}
	return ids, nil
}

// UserRisk implements ConfigSource.
func (c StoreConfig) UserRisk(ctx context.Context, tenantID, userID string) (string, error) {
	r, err := c.Store.GetUserRisk(ctx, tenantID, userID)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return policy.RiskNone, nil
	case err != nil:
		return "", err
	}
	return r.Level, nil
}

// LastSignIn implements ConfigSource.
func (c StoreConfig) LastSignIn(ctx context.Context, tenantID, userID string) (netip.Addr, time.Time, bool, error) {
	s, err := c.Store.LastSuccessfulSignIn(ctx, tenantID, userID)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return netip.Addr{}, time.Time{}, false, nil
	case err != nil:
		return netip.Addr{}, time.Time{}, false, err
	}
	addr, err := netip.ParseAddr(s.IPAddress)
	if err != nil {
		return netip.Addr{}, time.Time{}, false, nil
	}
	return addr, s.CreatedAt, true, nil
}

// Terms implements the flow's TermsOfUse: the current versions of ids.
func (c StoreConfig) Terms(ctx context.Context, tenantID string, ids []string) ([]Terms, error) {
	out := make([]Terms, 0, len(ids))
	for _, id := range ids {
		t, err := c.Store.GetTermsOfUse(ctx, tenantID, id)
		if errors.Is(err, storage.ErrNotFound) {
			return nil, fmt.Errorf("access: a policy requires terms of use %s, which do not exist", id)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Terms{ID: t.ID, DisplayName: t.DisplayName, Content: t.Content, Version: t.Version})
	}
	return out, nil
}

// Accept implements the flow's TermsOfUse.
func (c StoreConfig) Accept(ctx context.Context, tenantID, userID string, accepted []Terms) error {
	now := time.Now().UTC()
	if c.Now != nil {
		now = c.Now().UTC()
	}
	for _, t := range accepted {
		if err := c.Store.AcceptTerms(ctx, storage.TermsAcceptance{TenantID: tenantID, UserID: userID, TermsID: t.ID,
			Version: t.Version, AcceptedAt: now}); err != nil {
			return fmt.Errorf("access: accept terms %s version %s: %w", t.ID, strconv.Itoa(t.Version), err)
		}
	}
	return nil
}
