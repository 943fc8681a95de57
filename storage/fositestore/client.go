package fositestore

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/storage"
)

// Grant types Sigil's clients may be registered for.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
)

// Client is the fosite view of a registered application. It implements
// fosite.Client, fosite.ClientWithSecretRotation, fosite.OpenIDConnectClient and
// fosite.ResponseModeClient. Build it with NewClient.
type Client struct {
	app  *storage.Application
	now  time.Time
	jwks *jose.JSONWebKeySet
}

// NewClient wraps app for fosite. now decides which secrets have expired. The
// application's JWKS (for private_key_jwt) is parsed with go-jose v3, the
// version in fosite's interfaces; an unparsable set is an error.
func NewClient(app *storage.Application, now time.Time) (*Client, error) {
	c := &Client{app: app, now: now.UTC()}
	if app.JWKS == "" {
		return c, nil
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(app.JWKS), &set); err != nil {
		return nil, fmt.Errorf("fositestore: client %s: parse JWKS: %w", app.ID, err)
	}
	c.jwks = &set
	return c, nil
}

// GetClient loads an application by client ID (fosite.ClientManager). An
// unknown or deleted application is fosite.ErrNotFound.
func (s *Store) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	app, err := s.store.GetApplication(ctx, id)
	if err != nil {
		return nil, fositeError("get client", err)
	}
	now := time.Now()
	client, err := NewClient(app, now)
	if err != nil {
		// The client still authenticates with its secrets; private_key_jwt
		// fails with invalid_client because no keys are set.
		slog.WarnContext(ctx, "application has an unusable JWKS",
			slog.String("client_id", app.ID), slog.String("tenant_id", app.TenantID),
			slog.Any("error", err))
		client = &Client{app: app, now: now.UTC()}
	}
	return client, nil
}

// ClientAssertionJWTValid returns fosite.ErrJTIKnown when a client assertion's
// jti was already used and has not expired (RFC 7523 §3, replay).
func (s *Store) ClientAssertionJWTValid(ctx context.Context, jti string) error {
	used, err := s.store.JTIUsed(ctx, Digest(jti))
	if err != nil {
		return fmt.Errorf("fositestore: check client assertion jti: %w", err)
	}
	if used {
		return fosite.ErrJTIKnown.WithHint("The client assertion was already used.")
	}
	return nil
}

// SetClientAssertionJWT records a client assertion's jti until exp; recording
// one that is already known returns fosite.ErrJTIKnown.
func (s *Store) SetClientAssertionJWT(ctx context.Context, jti string, exp time.Time) error {
	err := s.store.UseJTI(ctx, Digest(jti), exp.UTC())
	if errors.Is(err, storage.ErrAlreadyExists) {
		return fosite.ErrJTIKnown.WithWrap(err).WithHint("The client assertion was already used.")
	}
	if err != nil {
		return fmt.Errorf("fositestore: record client assertion jti: %w", err)
	}
	return nil
}

// Application returns the wrapped application.
func (c *Client) Application() *storage.Application { return c.app }

// GetID returns the client ID.
func (c *Client) GetID() string { return c.app.ID }

// IsPublic reports a public client (SPA or native app: no secret, PKCE).
func (c *Client) IsPublic() bool { return c.app.Public }

// GetRedirectURIs returns the registered redirect URIs.
func (c *Client) GetRedirectURIs() []string { return c.app.RedirectURIs }

// GetScopes returns the scopes the application may request.
func (c *Client) GetScopes() fosite.Arguments { return c.app.Scopes }

// GetAudience returns the audiences a client may request through fosite's
// audience parameter: its own client ID and the tenant's built-in admin
// resource (storage.AdminResourceID, for the admin API).
func (c *Client) GetAudience() fosite.Arguments {
	return fosite.Arguments{c.app.ID, storage.AdminResourceID}
}

// GetResponseTypes returns the only response type Sigil offers: "code".
func (c *Client) GetResponseTypes() fosite.Arguments { return fosite.Arguments{"code"} }

// GetResponseModes offers query and form_post; fragment is not offered because
// the code flow never needs it.
func (c *Client) GetResponseModes() []fosite.ResponseModeType {
	return []fosite.ResponseModeType{fosite.ResponseModeQuery, fosite.ResponseModeFormPost}
}

// GetGrantTypes returns the registered grant types or, when none are
// registered, the defaults: authorization_code and refresh_token for
// applications with redirect URIs, plus client_credentials for confidential ones.
func (c *Client) GetGrantTypes() fosite.Arguments {
	if len(c.app.GrantTypes) > 0 {
		return c.app.GrantTypes
	}
	var grants fosite.Arguments
	if len(c.app.RedirectURIs) > 0 {
		grants = append(grants, GrantAuthorizationCode, GrantRefreshToken)
	}
	if !c.app.Public {
		grants = append(grants, GrantClientCredentials)
	}
	return grants
}

// GetHashedSecret returns the SHA-256 digest of the newest unexpired secret,
// or nil when the client has none.
func (c *Client) GetHashedSecret() []byte {
	live := c.liveSecrets()
	if len(live) == 0 {
		return nil
	}
	return live[0].Digest
}

// GetRotatedHashes returns the digests of the other unexpired secrets, so that
// a secret being rotated keeps working until it expires.
func (c *Client) GetRotatedHashes() [][]byte {
	live := c.liveSecrets()
	if len(live) < 2 {
		return nil
	}
	hashes := make([][]byte, 0, len(live)-1)
	for _, secret := range live[1:] {
		hashes = append(hashes, secret.Digest)
	}
	return hashes
}

// liveSecrets returns the unexpired secrets, newest first.
func (c *Client) liveSecrets() []storage.ClientSecret {
	live := make([]storage.ClientSecret, 0, len(c.app.Secrets))
	for _, secret := range c.app.Secrets {
		if len(secret.Digest) == 0 || (secret.ExpiresAt != nil && !secret.ExpiresAt.After(c.now)) {
			continue
		}
		live = append(live, secret)
	}
	slices.SortStableFunc(live, func(a, b storage.ClientSecret) int {
		return b.CreatedAt.Compare(a.CreatedAt)
	})
	return live
}

// GetTokenEndpointAuthMethod returns the registered method or, when none is
// registered, "none" for public clients and "client_secret_basic" otherwise.
func (c *Client) GetTokenEndpointAuthMethod() string {
	switch {
	case c.app.TokenEndpointAuthMethod != "":
		return c.app.TokenEndpointAuthMethod
	case c.app.Public:
		return storage.AuthMethodNone
	default:
		return storage.AuthMethodClientSecretBasic
	}
}

// GetJSONWebKeys returns the application's public keys for private_key_jwt,
// or nil when it has none.
func (c *Client) GetJSONWebKeys() *jose.JSONWebKeySet { return c.jwks }

// GetJSONWebKeysURI returns "": keys are registered inline, never fetched.
func (c *Client) GetJSONWebKeysURI() string { return "" }

// GetRequestURIs returns nil: request_uri is not supported.
func (c *Client) GetRequestURIs() []string { return nil }

// GetRequestObjectSigningAlgorithm is the algorithm request objects must be
// signed with: the same as the client's assertions. fosite would accept
// unsigned ("none") request objects if this were empty.
func (c *Client) GetRequestObjectSigningAlgorithm() string { return c.keyAlgorithm() }

// GetTokenEndpointAuthSigningAlgorithm is the algorithm fosite requires of the
// client's assertion (it compares it exactly); see keyAlgorithm.
func (c *Client) GetTokenEndpointAuthSigningAlgorithm() string { return c.keyAlgorithm() }

// keyAlgorithm follows the first registered key: its "alg" when set, otherwise
// ES256/ES384/ES512 for an EC key on P-256/P-384/P-521 and RS256 for an RSA
// key; ES256 when there are no keys (fosite then refuses key-based requests).
func (c *Client) keyAlgorithm() string {
	if c.jwks == nil || len(c.jwks.Keys) == 0 {
		return "ES256"
	}
	key := c.jwks.Keys[0]
	if key.Algorithm != "" {
		return key.Algorithm
	}
	switch k := key.Key.(type) {
	case *rsa.PublicKey:
		return "RS256"
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P384():
			return "ES384"
		case elliptic.P521():
			return "ES512"
		}
	}
	return "ES256"
}
