package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/sigil-idp/sigil/storage"
)

// Signing algorithms every tenant holds keys for.
const (
	ES256 = string(jose.ES256) // ECDSA P-256, the default
	RS256 = string(jose.RS256) // RSA 2048, selectable per application
)

// Algorithms lists the algorithms EnsureTenantKeys and Rotate manage.
var Algorithms = []string{ES256, RS256}

// rsaBits is the RSA modulus size for RS256 keys.
const rsaBits = 2048

// Supported reports whether alg is a signing algorithm Sigil keeps keys for.
func Supported(alg string) bool {
	return alg == ES256 || alg == RS256
}

// SigningKey is a decrypted, ready-to-use signing key. Values returned by the
// Manager are shared between callers and must not be modified.
type SigningKey struct {
	ID        string // the `kid`
	Algorithm string // ES256 or RS256
	Private   crypto.Signer
	Public    crypto.PublicKey
}

func generatePrivateKey(alg string) (crypto.Signer, error) {
	switch alg {
	case ES256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RS256:
		return rsa.GenerateKey(rand.Reader, rsaBits)
	default:
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, alg)
	}
}

// newStoredKey generates a key pair and returns it in its stored form: the kid is
// the RFC 7638 thumbprint, the public half a JWK, the private half PKCS#8
// encrypted under the current master.
func (m *Manager) newStoredKey(tenantID, alg, state string, now time.Time) (*storage.SigningKey, error) {
	priv, err := generatePrivateKey(alg)
	if err != nil {
		return nil, fmt.Errorf("keys: generate %s key: %w", alg, err)
	}
	jwk := jose.JSONWebKey{Key: priv.Public(), Algorithm: alg, Use: "sig"}
	thumbprint, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("keys: thumbprint: %w", err)
	}
	jwk.KeyID = base64.RawURLEncoding.EncodeToString(thumbprint)
	publicJWK, err := json.Marshal(jwk)
	if err != nil {
		return nil, fmt.Errorf("keys: encode public key: %w", err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("keys: encode private key: %w", err)
	}
	ciphertext := m.sealer.seal(pkcs8, tenantID, jwk.KeyID)
	clear(pkcs8)
	k := &storage.SigningKey{
		ID:                   jwk.KeyID,
		TenantID:             tenantID,
		Algorithm:            alg,
		State:                state,
		PrivateKeyCiphertext: ciphertext,
		PublicJWK:            publicJWK,
		CreatedAt:            now,
	}
	if state == storage.KeyStateActive {
		k.ActivatedAt = &now
	}
	return k, nil
}

// decryptPrivateKey turns a stored key back into a SigningKey, checking that the
// key type matches its algorithm.
func (m *Manager) decryptPrivateKey(k storage.SigningKey) (*SigningKey, error) {
	pkcs8, err := m.sealer.open(k.PrivateKeyCiphertext, k.TenantID, k.ID)
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParsePKCS8PrivateKey(pkcs8)
	clear(pkcs8)
	if err != nil {
		return nil, fmt.Errorf("keys: key %s: parse private key: %w", k.ID, err)
	}
	var matches bool
	switch priv := parsed.(type) {
	case *ecdsa.PrivateKey:
		matches = k.Algorithm == ES256 && priv.Curve == elliptic.P256()
	case *rsa.PrivateKey:
		matches = k.Algorithm == RS256 && priv.N.BitLen() >= rsaBits
	}
	if !matches {
		return nil, fmt.Errorf("keys: key %s: private key type %T does not fit %s", k.ID, parsed, k.Algorithm)
	}
	signer := parsed.(crypto.Signer)
	return &SigningKey{ID: k.ID, Algorithm: k.Algorithm, Private: signer, Public: signer.Public()}, nil
}

// parsePublicJWK reads a stored public JWK and checks it belongs to the row.
func parsePublicJWK(k storage.SigningKey) (jose.JSONWebKey, error) {
	var jwk jose.JSONWebKey
	if err := json.Unmarshal(k.PublicJWK, &jwk); err != nil {
		return jwk, fmt.Errorf("keys: key %s: parse public JWK: %w", k.ID, err)
	}
	if jwk.KeyID != k.ID || jwk.Algorithm != k.Algorithm || !jwk.IsPublic() {
		return jwk, fmt.Errorf("keys: key %s: stored public JWK does not match its row", k.ID)
	}
	return jwk, nil
}
