package directory

import (
	"encoding/json"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/sigil-idp/sigil/storage"
)

// Limits on a private_key_jwt application's key set.
const (
	maxClientJWKSBytes = 64 << 10
	maxClientJWKSKeys  = 16
)

// checkClientJWKS validates the public key set of a private_key_jwt client and
// returns it re-encoded, holding only what was parsed. Private or symmetric key
// material is refused: Sigil must never hold a client's private keys.
func checkClientJWKS(raw, method string, p *problems) string {
	const field = "jwks"
	if method != storage.AuthMethodPrivateKeyJWT {
		p.add(field, "is used only with %s", storage.AuthMethodPrivateKeyJWT)
		return ""
	}
	if raw == "" {
		p.add(field, "is required for %s: the public keys the application signs its assertions with", method)
		return ""
	}
	if len(raw) > maxClientJWKSBytes {
		p.add(field, "must be at most %d bytes", maxClientJWKSBytes)
		return ""
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(raw), &set); err != nil {
		p.add(field, "is not a valid JWK set: %v", err)
		return ""
	}
	if len(set.Keys) == 0 || len(set.Keys) > maxClientJWKSKeys {
		p.add(field, "must hold between 1 and %d keys", maxClientJWKSKeys)
		return ""
	}
	for _, k := range set.Keys {
		switch {
		case !k.IsPublic():
			p.add(field, "must contain only public keys; key %q holds private or symmetric key material", k.KeyID)
		case !k.Valid():
			p.add(field, "key %q is not a valid public key", k.KeyID)
		case k.Use == "enc":
			p.add(field, "key %q is an encryption key; signing keys are required", k.KeyID)
		case k.KeyID == "" && len(set.Keys) > 1:
			p.add(field, "every key needs a kid when the set holds more than one key")
		}
	}
	normalized, err := json.Marshal(set)
	if err != nil {
		p.add(field, "cannot be encoded: %v", err)
		return ""
	}
	return string(normalized)
}
