package apiauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// maxDocumentBytes bounds a discovery document or key set.
const maxDocumentBytes = 1 << 20

// keySet caches a JWKS and fetches it again for an unknown kid, at most once
// per minRefresh.
type keySet struct {
	url        string
	client     *http.Client
	minRefresh time.Duration
	now        func() time.Time

	mu        sync.Mutex
	keys      jose.JSONWebKeySet
	fetchedAt time.Time
}

// key returns the verification key named kid, fetching the set when it is
// not cached and the last fetch is old enough.
func (s *keySet) key(ctx context.Context, kid string) (*jose.JSONWebKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k := find(s.keys, kid); k != nil {
		return k, nil
	}
	if !s.fetchedAt.IsZero() && s.now().Sub(s.fetchedAt) < s.minRefresh {
		return nil, fmt.Errorf("no key %q in the issuer's key set", kid)
	}
	var fresh jose.JSONWebKeySet
	if err := getJSON(ctx, s.client, s.url, &fresh); err != nil {
		return nil, fmt.Errorf("fetch the issuer's key set: %w", err)
	}
	s.keys, s.fetchedAt = fresh, s.now()
	if k := find(s.keys, kid); k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("no key %q in the issuer's key set", kid)
}

// find returns the public signing key with the kid.
func find(set jose.JSONWebKeySet, kid string) *jose.JSONWebKey {
	for _, k := range set.Key(kid) {
		if (k.Use == "" || k.Use == "sig") && k.IsPublic() && k.Valid() {
			return &k
		}
	}
	return nil
}

// getJSON fetches url and decodes its JSON body into out.
func getJSON(ctx context.Context, client *http.Client, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentBytes+1))
	if err != nil {
		return err
	}
	if len(body) > maxDocumentBytes {
		return errors.New("document too large")
	}
	return json.Unmarshal(body, out)
}
