package credential

import (
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

func TestNewClientSecret(t *testing.T) {
	t.Parallel()
	secret, digest, hint, err := NewClientSecret()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(secret)
	if err != nil || len(raw) != 32 {
		t.Fatalf("secret %q is not 32 bytes of unpadded base64url (err %v)", secret, err)
	}
	if sum := sha256.Sum256([]byte(secret)); string(sum[:]) != string(digest) {
		t.Fatal("digest is not SHA-256 of the secret")
	}
	if hint != secret[:3] {
		t.Fatalf("hint = %q; want the first three characters of the secret", hint)
	}
	other, _, _, _ := NewClientSecret()
	if other == secret {
		t.Fatal("two generated secrets are equal")
	}
}

func TestVerifyClientSecret(t *testing.T) {
	t.Parallel()
	secret, digest, _, _ := NewClientSecret()
	tests := []struct {
		name      string
		digest    []byte
		presented string
		want      bool
	}{
		{"accepts the issued secret", digest, secret, true},
		{"rejects a different secret", digest, secret[:len(secret)-1] + "x", false},
		{"rejects an empty secret", digest, "", false},
		{"rejects the digest itself presented as secret", digest, string(digest), false},
		{"rejects any secret when the stored digest is empty", nil, secret, false},
		{"rejects any secret when the stored digest is truncated", digest[:16], secret, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VerifyClientSecret(tt.digest, tt.presented); got != tt.want {
				t.Fatalf("VerifyClientSecret = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestRandomTokenEncodesTheRequestedEntropy(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 16, 32} {
		raw, err := base64.RawURLEncoding.DecodeString(RandomToken(n))
		if err != nil || len(raw) != n {
			t.Fatalf("RandomToken(%d) decodes to %d bytes (err %v)", n, len(raw), err)
		}
	}
}

func TestGeneratePasswordSatisfiesThePolicy(t *testing.T) {
	t.Parallel()
	p := GeneratePassword()
	if err := ValidatePassword(p); err != nil {
		t.Fatalf("generated password fails the policy: %v", err)
	}
	if len(p) != 20 {
		t.Fatalf("generated password has %d characters; want 20", len(p))
	}
}
