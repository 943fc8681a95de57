package credential

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// clientSecretBytes is the entropy of a generated client secret (256 bits).
const clientSecretBytes = 32

// clientSecretHintLength is how many leading characters of a secret are kept in
// clear so that listings can tell secrets apart.
const clientSecretHintLength = 3

// generatedPasswordBytes gives generated passwords 120 bits of entropy
// (20 characters).
const generatedPasswordBytes = 15

// NewClientSecret generates a client secret: 32 random bytes in unpadded
// base64url. Only digest (SHA-256 of the secret) and hint (its first three
// characters) are meant to be stored; the secret is shown once. The error is
// always nil today; it is kept so a future source of randomness can fail.
func NewClientSecret() (secret string, digest []byte, hint string, err error) {
	secret = RandomToken(clientSecretBytes)
	return secret, ClientSecretDigest(secret), secret[:clientSecretHintLength], nil
}

// ClientSecretDigest is the stored form of a client secret. A secret with 256
// bits of entropy needs no password stretching, so a plain SHA-256 suffices and
// keeps the token endpoint fast.
func ClientSecretDigest(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// VerifyClientSecret reports, in constant time, whether presented hashes to digest.
func VerifyClientSecret(digest []byte, presented string) bool {
	if len(digest) != sha256.Size {
		return false
	}
	return subtle.ConstantTimeCompare(digest, ClientSecretDigest(presented)) == 1
}

// RandomToken returns nBytes from crypto/rand as unpadded base64url text, for
// identifiers, nonces and generated secrets.
func RandomToken(nBytes int) string {
	b := make([]byte, nBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error
	return base64.RawURLEncoding.EncodeToString(b)
}

// GeneratePassword returns a random initial password (20 characters, 120 bits)
// that satisfies ValidatePassword, for new users and the demo.
func GeneratePassword() string {
	return RandomToken(generatedPasswordBytes)
}
