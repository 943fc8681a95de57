package keys

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// Defaults for Options.
const (
	// DefaultRetainRetiredFor keeps a retired key published for the longest
	// default token lifetime signed with it (one hour) plus a day of margin.
	DefaultRetainRetiredFor = 24*time.Hour + time.Hour
	// DefaultCacheTTL bounds how long a replica serves keys it loaded before
	// reading them again, and so how long it takes to notice a rotation.
	DefaultCacheTTL = 60 * time.Second
)

// Errors returned by the Manager. They are wrapped with the tenant and key.
var (
	ErrUnsupportedAlgorithm = errors.New("keys: unsupported signing algorithm")
	ErrNoActiveKey          = errors.New("keys: no active signing key")
	ErrUnknownKey           = errors.New("keys: unknown key id")
)

// Options tune a Manager. The zero value selects the defaults.
type Options struct {
	// RetainRetiredFor is how long a retired key stays published (and stored)
	// after it stopped signing: at least the longest lifetime of any token it
	// signed. Default DefaultRetainRetiredFor.
	RetainRetiredFor time.Duration
	// CacheTTL is how long decrypted keys and the JWKS are served from memory.
	// Default DefaultCacheTTL.
	CacheTTL time.Duration
	// Now is the clock; default time.Now. Times are used in UTC.
	Now func() time.Time
	// Logger receives rotation events (key IDs only). Default: discard.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.RetainRetiredFor <= 0 {
		o.RetainRetiredFor = DefaultRetainRetiredFor
	}
	if o.CacheTTL <= 0 {
		o.CacheTTL = DefaultCacheTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Manager keeps each tenant's signing keys: it creates and rotates them in the
// store, encrypts private keys under the master secret, and serves decrypted
// signers and published key sets from a per-tenant in-memory cache. It is safe
// for concurrent use.
type Manager struct {
	store  storage.Storage
	sealer *sealer
	opts   Options

	mu      sync.RWMutex
	cache   map[string]*tenantKeys // tenant ID → loaded keys
	loading map[string]*loadCall   // tenant ID → load in flight
}

// NewManager returns a Manager over store. masters[0] is the current master
// secret, used to encrypt new keys; later entries are previous masters still
// accepted for decryption while a master rotation completes. Each must be at
// least MinMasterSecretLength bytes.
func NewManager(store storage.Storage, masters [][]byte, opts Options) (*Manager, error) {
	if store == nil {
		return nil, errors.New("keys: no store")
	}
	s, err := newSealer(masters, sealInfo)
	if err != nil {
		return nil, err
	}
	return &Manager{
		store:   store,
		sealer:  s,
		opts:    opts.withDefaults(),
		cache:   map[string]*tenantKeys{},
		loading: map[string]*loadCall{},
	}, nil
}

func (m *Manager) now() time.Time { return m.opts.Now().UTC() }

// EnsureTenantKeys makes sure the tenant has, for every algorithm in
// Algorithms, exactly one active and one next key. It is idempotent and runs in
// one transaction (joining the caller's, if the context carries one). It also
// repairs the state a lost race between two writers can leave: surplus active
// keys are retired and surplus next keys, never used to sign, are deleted.
func (m *Manager) EnsureTenantKeys(ctx context.Context, tenantID string) error {
	err := m.store.InTx(ctx, func(ctx context.Context) error {
		stored, err := m.store.ListSigningKeys(ctx, tenantID)
		if err != nil {
			return err
		}
		now := m.now()
		for _, alg := range Algorithms {
			if err := m.ensureAlgorithm(ctx, tenantID, alg, splitByState(stored, alg), now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("keys: ensure keys of tenant %s: %w", tenantID, err)
	}
	m.Invalidate(tenantID)
	return nil
}

func (m *Manager) ensureAlgorithm(ctx context.Context, tenantID, alg string, ks keysByState, now time.Time) error {
	for _, surplus := range ks.active[min(1, len(ks.active)):] {
		if err := m.retire(ctx, surplus, now); err != nil {
			return err
		}
	}
	next := ks.next
	if len(ks.active) == 0 {
		if len(next) > 0 {
			if err := m.activate(ctx, next[0], now); err != nil {
				return err
			}
			next = next[1:]
		} else if _, err := m.createKey(ctx, tenantID, alg, storage.KeyStateActive, now); err != nil {
			return err
		}
	}
	for _, surplus := range next[min(1, len(next)):] {
		if err := m.store.DeleteSigningKey(ctx, tenantID, surplus.ID); err != nil {
			return err
		}
	}
	if len(next) == 0 {
		_, err := m.createKey(ctx, tenantID, alg, storage.KeyStateNext, now)
		return err
	}
	return nil
}

func (m *Manager) createKey(ctx context.Context, tenantID, alg, state string, now time.Time) (string, error) {
	k, err := m.newStoredKey(tenantID, alg, state, now)
	if err != nil {
		return "", err
	}
	return k.ID, m.store.CreateSigningKey(ctx, k)
}

func (m *Manager) activate(ctx context.Context, k storage.SigningKey, now time.Time) error {
	k.State, k.ActivatedAt, k.RetiredAt = storage.KeyStateActive, &now, nil
	return m.store.UpdateSigningKey(ctx, &k)
}

func (m *Manager) retire(ctx context.Context, k storage.SigningKey, now time.Time) error {
	k.State, k.RetiredAt = storage.KeyStateRetired, &now
	return m.store.UpdateSigningKey(ctx, &k)
}

// Invalidate drops the tenant's cached keys on this replica; the next call
// reads them from the store. Other replicas notice within CacheTTL.
func (m *Manager) Invalidate(tenantID string) {
	m.mu.Lock()
	delete(m.cache, tenantID)
	m.mu.Unlock()
}
