package fositestore

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
)

// ErrSecretMismatch is SecretHasher's answer to a wrong client secret; fosite
// turns it into invalid_client.
var ErrSecretMismatch = errors.New("fositestore: client secret does not match")

// SecretHasher is the fosite.Hasher for client secrets: a SHA-256 digest
// compared in constant time. Sigil generates client secrets with at least 256
// bits of randomness, so a fast hash is as strong as a slow one and a token
// request does not pay for password stretching (ARCHITECTURE.md, "Hot paths").
// User passwords never go through it.
type SecretHasher struct{}

// Hash returns the SHA-256 digest of data.
func (SecretHasher) Hash(_ context.Context, data []byte) ([]byte, error) {
	sum := sha256.Sum256(data)
	return sum[:], nil
}

// Compare returns nil when hash is the SHA-256 digest of data and
// ErrSecretMismatch otherwise, taking the same time for every wrong secret.
func (SecretHasher) Compare(_ context.Context, hash, data []byte) error {
	sum := sha256.Sum256(data)
	if len(hash) != len(sum) || subtle.ConstantTimeCompare(hash, sum[:]) != 1 {
		return ErrSecretMismatch
	}
	return nil
}
