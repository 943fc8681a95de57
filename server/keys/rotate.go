package keys

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// RotationResult reports what Rotate changed, per algorithm.
type RotationResult struct {
	Algorithms []AlgorithmRotation
}

// AlgorithmRotation is the outcome of a rotation for one algorithm (key IDs only).
type AlgorithmRotation struct {
	Algorithm string
	Retired   []string // previously active keys, now retired and still published
	Activated string   // the key that signs from now on (the previous next key)
	Next      string   // the newly generated key, published ahead of use
	Deleted   []string // retired keys past the retention window, removed
}

// Rotate advances every algorithm of the tenant one step, in one transaction:
// retired keys whose retention window has passed are deleted, the active key
// is retired, the next key becomes active and a new next key is generated. If
// there was no next key, a fresh key is generated and activated at once.
func (m *Manager) Rotate(ctx context.Context, tenantID string) (RotationResult, error) {
	var result RotationResult
	err := m.store.InTx(ctx, func(ctx context.Context) error {
		result = RotationResult{}
		stored, err := m.store.ListSigningKeys(ctx, tenantID)
		if err != nil {
			return err
		}
		now := m.now()
		for _, alg := range Algorithms {
			r, err := m.rotateAlgorithm(ctx, tenantID, alg, splitByState(stored, alg), now)
			if err != nil {
				return err
			}
			result.Algorithms = append(result.Algorithms, r)
		}
		return nil
	})
	if err != nil {
		return RotationResult{}, fmt.Errorf("keys: rotate keys of tenant %s: %w", tenantID, err)
	}
	m.Invalidate(tenantID)
	for _, r := range result.Algorithms {
		m.opts.Logger.InfoContext(ctx, "rotated signing keys", slog.String("tenant_id", tenantID),
			slog.String("alg", r.Algorithm), slog.String("activated_kid", r.Activated),
			slog.String("next_kid", r.Next), slog.Any("retired_kids", r.Retired), slog.Any("deleted_kids", r.Deleted))
	}
	return result, nil
}

func (m *Manager) rotateAlgorithm(ctx context.Context, tenantID, alg string, ks keysByState, now time.Time) (AlgorithmRotation, error) {
	r := AlgorithmRotation{Algorithm: alg}
	for _, k := range ks.retired {
		if m.retentionOver(k, now) {
			if err := m.store.DeleteSigningKey(ctx, tenantID, k.ID); err != nil {
				return r, err
			}
			r.Deleted = append(r.Deleted, k.ID)
		}
	}
	for _, k := range ks.active {
		if err := m.retire(ctx, k, now); err != nil {
			return r, err
		}
		r.Retired = append(r.Retired, k.ID)
	}
	var err error
	if len(ks.next) == 0 {
		if r.Activated, err = m.createKey(ctx, tenantID, alg, storage.KeyStateActive, now); err != nil {
			return r, err
		}
	} else {
		if err := m.activate(ctx, ks.next[0], now); err != nil {
			return r, err
		}
		r.Activated = ks.next[0].ID
	}
	if len(ks.next) <= 1 {
		r.Next, err = m.createKey(ctx, tenantID, alg, storage.KeyStateNext, now)
	} else {
		r.Next = ks.next[1].ID // left over from a lost race: already published
	}
	return r, err
}

// retentionOver reports whether every token a retired key signed has expired.
func (m *Manager) retentionOver(k storage.SigningKey, now time.Time) bool {
	since := k.CreatedAt
	if k.RetiredAt != nil {
		since = *k.RetiredAt
	}
	return !now.Before(since.Add(m.opts.RetainRetiredFor))
}

// keysByState holds one algorithm's keys: active newest-activated first, next
// oldest first (the longest published is promoted first), retired as stored.
type keysByState struct {
	active, next, retired []storage.SigningKey
}

func splitByState(stored []storage.SigningKey, alg string) keysByState {
	var ks keysByState
	for _, k := range stored {
		if k.Algorithm != alg {
			continue
		}
		switch k.State {
		case storage.KeyStateActive:
			ks.active = append(ks.active, k)
		case storage.KeyStateNext:
			ks.next = append(ks.next, k)
		case storage.KeyStateRetired:
			ks.retired = append(ks.retired, k)
		}
	}
	slices.SortStableFunc(ks.active, func(a, b storage.SigningKey) int {
		return activatedAt(b).Compare(activatedAt(a))
	})
	slices.SortStableFunc(ks.next, func(a, b storage.SigningKey) int {
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	return ks
}

func activatedAt(k storage.SigningKey) time.Time {
	if k.ActivatedAt != nil {
		return *k.ActivatedAt
	}
	return k.CreatedAt
}
