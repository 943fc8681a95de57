package tenancy

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/storage"
)

// ErrUnknownTenant is returned for a segment that names no tenant. Callers show it
// as "not found"; it never says whether the segment was an ID or a domain.
var ErrUnknownTenant = errors.New("tenancy: unknown tenant")

// Resolver finds tenants by ID or verified domain.
type Resolver struct {
	Store storage.TenantStore
	// Cache, when set, keeps resolved tenants for its TTL.
	Cache *Cache
}

// Resolve looks up segment as a tenant ID when it parses as a UUID and as a
// verified domain otherwise.
func (r Resolver) Resolve(ctx context.Context, segment string) (*storage.Tenant, error) {
	segment = strings.ToLower(strings.TrimSpace(segment))
	if segment == "" || len(segment) > 253 {
		return nil, ErrUnknownTenant
	}
	load := func() (*storage.Tenant, error) {
		if _, err := uuid.Parse(segment); err == nil {
			return r.Store.GetTenant(ctx, segment)
		}
		return r.Store.GetTenantByDomain(ctx, segment)
	}
	var (
		t   *storage.Tenant
		err error
	)
	if r.Cache != nil {
		t, err = r.resolveCached(segment, load)
	} else {
		t, err = load()
	}
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrUnknownTenant
	}
	return t, err
}

type contextKey struct{}

// WithTenant returns a context carrying t.
func WithTenant(ctx context.Context, t *storage.Tenant) context.Context {
	return context.WithValue(ctx, contextKey{}, t)
}

// FromContext returns the tenant stored by WithTenant, or nil.
func FromContext(ctx context.Context) *storage.Tenant {
	t, _ := ctx.Value(contextKey{}).(*storage.Tenant)
	return t
}
