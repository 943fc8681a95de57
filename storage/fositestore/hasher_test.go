package fositestore_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/sigil-idp/sigil/storage/fositestore"
)

func TestSecretHasher(t *testing.T) {
	t.Parallel()
	secret := []byte("s3cr3t-with-256-bits-of-entropy-in-production")
	digest := sha256.Sum256(secret)
	ctx := context.Background()
	hasher := fositestore.SecretHasher{}

	hashed, err := hasher.Hash(ctx, secret)
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	if string(hashed) != string(digest[:]) {
		t.Fatalf("Hash is not the SHA-256 digest of the secret")
	}

	tests := []struct {
		name string
		hash []byte
		data []byte
		ok   bool
	}{
		{"accepts the secret whose digest is stored", digest[:], secret, true},
		{"rejects a wrong secret", digest[:], []byte("s3cr3t-with-256-bits-of-entropy-in-productioN"), false},
		{"rejects an empty secret", digest[:], nil, false},
		{"rejects any secret when no digest is stored", nil, secret, false},
		{"rejects a truncated digest", digest[:16], secret, false},
		{"rejects the raw secret stored in place of its digest", secret, secret, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := hasher.Compare(ctx, tc.hash, tc.data)
			if tc.ok && err != nil {
				t.Fatalf("Compare = %v, want nil", err)
			}
			if !tc.ok && !errors.Is(err, fositestore.ErrSecretMismatch) {
				t.Fatalf("Compare = %v, want ErrSecretMismatch", err)
			}
		})
	}
}

func TestDigestIsHexSHA256(t *testing.T) {
	t.Parallel()
	// SHA-256("abc"), FIPS 180-2 appendix B.1.
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := fositestore.Digest("abc"); got != want {
		t.Fatalf("Digest(abc) = %s, want %s", got, want)
	}
}
