package keys

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/sigil-idp/sigil/storage"
)

// missRefreshAfter is how old a cached entry must be before a lookup that
// misses it (an unknown kid, no active key) reads the store again. It lets a
// replica pick up a key another replica just created without letting requests
// with made-up kids turn every lookup into a query.
const missRefreshAfter = 5 * time.Second

// tenantKeys is one tenant's keys as loaded from the store.
type tenantKeys struct {
	loadedAt   time.Time
	signers    map[string]*SigningKey // alg → active key
	signerErrs map[string]error       // alg → why the active key is unusable
	published  map[string]publishedKey
	set        jose.JSONWebKeySet
	setJSON    []byte
}

type publishedKey struct {
	public    crypto.PublicKey
	algorithm string
}

// loadCall lets concurrent lookups of one tenant share a single store read.
type loadCall struct {
	done  chan struct{}
	entry *tenantKeys
	err   error
}

// Signer returns the tenant's active key for alg (ES256 or RS256).
func (m *Manager) Signer(ctx context.Context, tenantID, alg string) (*SigningKey, error) {
	if !Supported(alg) {
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, alg)
	}
	entry, err := m.lookup(ctx, tenantID, func(e *tenantKeys) bool {
		return e.signers[alg] != nil || e.signerErrs[alg] != nil
	})
	if err != nil {
		return nil, err
	}
	if key := entry.signers[alg]; key != nil {
		return key, nil
	}
	if err := entry.signerErrs[alg]; err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("%w: tenant %s has no active %s key", ErrNoActiveKey, tenantID, alg)
}

// JWKS returns the tenant's published keys: next, active and retired keys still
// inside their retention window, each with kid, alg and use "sig".
func (m *Manager) JWKS(ctx context.Context, tenantID string) (jose.JSONWebKeySet, error) {
	entry, err := m.lookup(ctx, tenantID, nil)
	if err != nil {
		return jose.JSONWebKeySet{}, err
	}
	return jose.JSONWebKeySet{Keys: append([]jose.JSONWebKey(nil), entry.set.Keys...)}, nil
}

// JWKSJSON returns the tenant's JWKS document, marshalled once per load. The
// returned slice is shared: callers write it out and must not modify it.
func (m *Manager) JWKSJSON(ctx context.Context, tenantID string) ([]byte, error) {
	entry, err := m.lookup(ctx, tenantID, nil)
	if err != nil {
		return nil, err
	}
	return entry.setJSON, nil
}

// PublicKey returns a published key of the tenant by kid, with its algorithm,
// for verifying tokens Sigil issued (e.g. an id_token_hint).
func (m *Manager) PublicKey(ctx context.Context, tenantID, kid string) (crypto.PublicKey, string, error) {
	entry, err := m.lookup(ctx, tenantID, func(e *tenantKeys) bool {
		_, ok := e.published[kid]
		return ok
	})
	if err != nil {
		return nil, "", err
	}
	pk, ok := entry.published[kid]
	if !ok {
		return nil, "", fmt.Errorf("%w: tenant %s publishes no key %q", ErrUnknownKey, tenantID, kid)
	}
	return pk.public, pk.algorithm, nil
}

// lookup returns the tenant's cached keys, loading them when absent or older
// than CacheTTL. When has is given and reports a miss, an entry older than
// missRefreshAfter is reloaded once.
func (m *Manager) lookup(ctx context.Context, tenantID string, has func(*tenantKeys) bool) (*tenantKeys, error) {
	now := m.opts.Now()
	m.mu.RLock()
	entry := m.cache[tenantID]
	m.mu.RUnlock()
	if entry != nil && now.Sub(entry.loadedAt) < m.opts.CacheTTL {
		if has == nil || has(entry) || now.Sub(entry.loadedAt) < missRefreshAfter {
			return entry, nil
		}
	}
	return m.load(ctx, tenantID)
}

// load reads the tenant's keys from the store; concurrent loads of one tenant
// share the first caller's read.
func (m *Manager) load(ctx context.Context, tenantID string) (*tenantKeys, error) {
	m.mu.Lock()
	if call, ok := m.loading[tenantID]; ok {
		m.mu.Unlock()
		select {
		case <-call.done:
			return call.entry, call.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &loadCall{done: make(chan struct{})}
	m.loading[tenantID] = call
	m.mu.Unlock()

	call.entry, call.err = m.readTenantKeys(ctx, tenantID)

	m.mu.Lock()
	delete(m.loading, tenantID)
	if call.err == nil {
		m.cache[tenantID] = call.entry
	}
	m.mu.Unlock()
	close(call.done)
	return call.entry, call.err
}

// readTenantKeys builds a cache entry: every published key's public half, and
// the decrypted active key per algorithm.
func (m *Manager) readTenantKeys(ctx context.Context, tenantID string) (*tenantKeys, error) {
	loadedAt := m.opts.Now()
	stored, err := m.store.ListSigningKeys(ctx, tenantID)
	if err != nil {
		return nil, fmt.Errorf("keys: load keys of tenant %s: %w", tenantID, err)
	}
	entry := &tenantKeys{
		loadedAt:   loadedAt,
		signers:    map[string]*SigningKey{},
		signerErrs: map[string]error{},
		published:  map[string]publishedKey{},
		set:        jose.JSONWebKeySet{Keys: []jose.JSONWebKey{}},
	}
	now := loadedAt.UTC()
	for _, k := range stored {
		if !Supported(k.Algorithm) || k.State == storage.KeyStateRetired && m.retentionOver(k, now) {
			continue
		}
		jwk, err := parsePublicJWK(k)
		if err != nil {
			return nil, err
		}
		entry.published[k.ID] = publishedKey{public: jwk.Key, algorithm: k.Algorithm}
		entry.set.Keys = append(entry.set.Keys, jwk)
	}
	for _, alg := range Algorithms {
		active := splitByState(stored, alg).active
		if len(active) == 0 {
			continue
		}
		key, err := m.decryptPrivateKey(active[0])
		if err != nil {
			entry.signerErrs[alg] = fmt.Errorf("keys: tenant %s: %w", tenantID, err)
			continue
		}
		entry.signers[alg] = key
	}
	if entry.setJSON, err = json.Marshal(entry.set); err != nil {
		return nil, fmt.Errorf("keys: encode JWKS of tenant %s: %w", tenantID, err)
	}
	return entry, nil
}
