package op

import (
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	josev4 "github.com/go-jose/go-jose/v4"
	"github.com/ory/fosite/token/jwt"

	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/server/tenancy"
)

// KeySource is what the provider needs from the key manager (server/keys).
type KeySource interface {
	// Signer returns the tenant's active key for the algorithm.
	Signer(ctx context.Context, tenantID, alg string) (*keys.SigningKey, error)
	// JWKSJSON returns the tenant's published key set, ready to serve.
	JWKSJSON(ctx context.Context, tenantID string) ([]byte, error)
	// PublicKey returns a published key by kid with its algorithm.
	PublicKey(ctx context.Context, tenantID, kid string) (crypto.PublicKey, string, error)
}

// signer implements fosite's jwt.Signer over per-tenant keys: the tenant comes
// from the request context, the algorithm from the token header ("alg", set by
// the session from the app's SigningAlg), and every token carries the `kid` of
// the key that signed it.
type signer struct {
	keys    KeySource
	signers sync.Map // kid+typ → josev4.Signer
}

var _ jwt.Signer = (*signer)(nil)

var errNoTenant = errors.New("op: no tenant in context")

// Generate signs claims with the tenant's active key for the header's algorithm.
func (s *signer) Generate(ctx context.Context, claims jwt.MapClaims, header jwt.Mapper) (string, string, error) {
	t := tenancy.FromContext(ctx)
	if t == nil {
		return "", "", errNoTenant
	}
	alg, _ := header.Get("alg").(string)
	if alg == "" {
		alg = string(josev4.ES256)
	}
	key, err := s.keys.Signer(ctx, t.ID, alg)
	if err != nil {
		return "", "", fmt.Errorf("op: signing key: %w", err)
	}
	typ, _ := header.Get("typ").(string)
	if typ == "" {
		typ = "JWT"
	}
	js, err := s.joseSigner(key, typ)
	if err != nil {
		return "", "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", "", fmt.Errorf("op: encode claims: %w", err)
	}
	obj, err := js.Sign(payload)
	if err != nil {
		return "", "", fmt.Errorf("op: sign: %w", err)
	}
	token, err := obj.CompactSerialize()
	if err != nil {
		return "", "", err
	}
	return token, token[strings.LastIndexByte(token, '.')+1:], nil
}

func (s *signer) joseSigner(key *keys.SigningKey, typ string) (josev4.Signer, error) {
	cacheKey := key.ID + "|" + typ
	if js, ok := s.signers.Load(cacheKey); ok {
		return js.(josev4.Signer), nil
	}
	opts := (&josev4.SignerOptions{}).WithType(josev4.ContentType(typ)).WithHeader("kid", key.ID)
	js, err := josev4.NewSigner(josev4.SigningKey{Algorithm: josev4.SignatureAlgorithm(key.Algorithm), Key: key.Private}, opts)
	if err != nil {
		return nil, fmt.Errorf("op: signer for %s: %w", key.ID, err)
	}
	s.signers.Store(cacheKey, js)
	return js, nil
}

// Decode parses and verifies a token signed by one of the tenant's published keys.
// Errors are fosite's jwt.ValidationError so fosite maps them to RFC errors.
func (s *signer) Decode(ctx context.Context, token string) (*jwt.Token, error) {
	t := tenancy.FromContext(ctx)
	if t == nil {
		return nil, errNoTenant
	}
	return jwt.ParseWithClaims(token, jwt.MapClaims{}, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("token has no kid")
		}
		pub, alg, err := s.keys.PublicKey(ctx, t.ID, kid)
		if err != nil {
			return nil, err
		}
		if string(tok.Method) != alg {
			return nil, fmt.Errorf("token alg %q does not match key alg %q", tok.Method, alg)
		}
		return pub, nil
	})
}

// Validate verifies the token and returns its signature part.
func (s *signer) Validate(ctx context.Context, token string) (string, error) {
	if _, err := s.Decode(ctx, token); err != nil {
		return "", err
	}
	return s.GetSignature(ctx, token)
}

// GetSignature returns the third part of a compact JWS.
func (s *signer) GetSignature(_ context.Context, token string) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", errors.New("op: token is not a compact JWS")
	}
	return parts[2], nil
}

// Hash is SHA-256, the hash of ES256 and RS256 (for at_hash).
func (s *signer) Hash(_ context.Context, in []byte) ([]byte, error) {
	sum := sha256.Sum256(in)
	return sum[:], nil
}

// GetSigningMethodLength is the SHA-256 digest size.
func (s *signer) GetSigningMethodLength(context.Context) int { return sha256.Size }
