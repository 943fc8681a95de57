package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// NewTenant is the input of CreateTenant.
type NewTenant struct {
	DisplayName string
	// Domain becomes the tenant's initial verified domain, used in user
	// principal names and in `{tenant}` URL segments.
	Domain string
	// WithoutSecurityDefaults creates the tenant with security defaults off;
	// new tenants otherwise start with them on (F-14).
	WithoutSecurityDefaults bool
}

// CreateTenant creates a tenant with a new UUID, its initial verified domain and
// its signing keys, in one transaction.
func (s *Service) CreateTenant(ctx context.Context, in NewTenant) (*storage.Tenant, error) {
	if s.Keys == nil {
		return nil, errNoKeys
	}
	var p problems
	displayName := strings.TrimSpace(in.DisplayName)
	if displayName == "" {
		p.add("displayName", "is required")
	} else if msg := checkText(displayName, maxDisplayNameLength); msg != "" {
		p.add("displayName", "%s", msg)
	}
	domain := strings.ToLower(strings.TrimSpace(in.Domain))
	if msg := checkDomain(domain); msg != "" {
		p.add("domain", "%s", msg)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	now := s.now()
	t := &storage.Tenant{ID: newID(), DisplayName: displayName, CreatedAt: now, UpdatedAt: now,
		Settings: storage.TenantSettings{SecurityDefaults: !in.WithoutSecurityDefaults}}
	domains := []storage.Domain{{Name: domain, TenantID: t.ID, Verified: true, Initial: true, CreatedAt: now}}
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateTenant(ctx, t, domains); err != nil {
			return mapConflict(err, fmt.Sprintf("the domain %s is already used by a tenant", domain))
		}
		if err := s.Keys.EnsureTenantKeys(ctx, t.ID); err != nil {
			return err
		}
		return s.record(ctx, Change{TenantID: t.ID, Category: CategoryDirectory, Activity: "Add tenant",
			Operation: storage.AuditAdd, TargetType: "Tenant", TargetID: t.ID, TargetName: t.DisplayName,
			Modified: Diff(nil, map[string]any{"displayName": t.DisplayName, "domain": domain,
				"securityDefaults": t.Settings.SecurityDefaults})})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// ListTenants returns every tenant.
func (s *Service) ListTenants(ctx context.Context) ([]storage.Tenant, error) {
	return s.Store.ListTenants(ctx)
}

// GetTenant finds a tenant by ID or by one of its verified domains.
func (s *Service) GetTenant(ctx context.Context, idOrDomain string) (*storage.Tenant, error) {
	t, err := tenancy.Resolver{Store: s.Store}.Resolve(ctx, idOrDomain)
	if errors.Is(err, tenancy.ErrUnknownTenant) {
		return nil, ErrTenantNotFound
	}
	return t, err
}

// DeleteTenant removes a tenant, found by ID or verified domain, with
// everything it owns.
func (s *Service) DeleteTenant(ctx context.Context, idOrDomain string) error {
	t, err := s.GetTenant(ctx, idOrDomain)
	if err != nil {
		return err
	}
	if err := s.Store.DeleteTenant(ctx, t.ID); err != nil {
		return mapNotFound(err, ErrTenantNotFound)
	}
	if s.Keys != nil {
		s.Keys.Invalidate(t.ID)
	}
	return nil
}
