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
}

// Resolve looks up segment as a tenant ID when it parses as a UUID and as a
// verified domain otherwise.
func (r Resolver) Resolve(ctx context.Context, segment string) (*storage.Tenant, error) {
	segment = strings.ToLower(strings.TrimSpace(segment))
	if segment == "" || len(segment) > 253 {
		return nil, ErrUnknownTenant
	}
	var (
		t   *storage.Tenant
		err error
	)
	if _, perr := uuid.Parse(segment); perr == nil {
		t, err = r.Store.GetTenant(ctx, segment)
	} else {
		t, err = r.Store.GetTenantByDomain(ctx, segment)
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
