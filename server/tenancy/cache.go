package tenancy

import (
	"sync"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// Cache remembers resolved tenants for a short time, so that the hot endpoints
// (token, JWKS, introspection) do not read the tenant on every request. A
// change to a tenant — its settings, its domains, its deletion — reaches other
// replicas within the TTL; the replica that made it may call Forget.
type Cache struct {
	TTL time.Duration
	Now func() time.Time

	mu      sync.RWMutex
	entries map[string]cached
}

type cached struct {
	tenant  storage.Tenant
	expires time.Time
}

// maxCachedSegments bounds the cache: segments come from URLs, so a client
// probing random names must not grow it without limit (unknown segments are
// never cached, but this also caps many tenants times their domains).
const maxCachedSegments = 10000

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Cache) get(segment string) (*storage.Tenant, bool) {
	c.mu.RLock()
	e, ok := c.entries[segment]
	c.mu.RUnlock()
	if !ok || c.now().After(e.expires) {
		return nil, false
	}
	t := e.tenant
	return &t, true
}

func (c *Cache) put(segment string, t *storage.Tenant) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCachedSegments {
		c.entries = make(map[string]cached)
	}
	c.entries[segment] = cached{tenant: *t, expires: c.now().Add(c.TTL)}
}

// Forget drops every cached tenant.
func (c *Cache) Forget() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}

// resolveCached answers from the cache or loads and remembers the tenant.
func (r Resolver) resolveCached(segment string, load func() (*storage.Tenant, error)) (*storage.Tenant, error) {
	if t, ok := r.Cache.get(segment); ok {
		return t, nil
	}
	t, err := load()
	if err == nil {
		r.Cache.put(segment, t)
	}
	return t, err
}
