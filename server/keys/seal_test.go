package keys

import (
	"bytes"
	"errors"
	"testing"

	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

func TestSealer(t *testing.T) {
	t.Parallel()
	current, previous := master(7), master(9)
	both, err := newSealer([][]byte{current, previous}, sealInfo)
	if err != nil {
		t.Fatal(err)
	}
	onlyPrevious, _ := newSealer([][]byte{previous}, sealInfo)
	onlyCurrent, _ := newSealer([][]byte{current}, sealInfo)
	plaintext := []byte("pkcs8 bytes")
	sealedNow := both.seal(plaintext, "tenant-a", "kid-1")
	sealedBefore := onlyPrevious.seal(plaintext, "tenant-a", "kid-1")

	tests := []struct {
		name       string
		sealer     *sealer
		ciphertext []byte
		tenant     string
		kid        string
		ok         bool
	}{
		{"opens what the current master sealed", both, sealedNow, "tenant-a", "kid-1", true},
		{"opens what a previous master sealed", both, sealedBefore, "tenant-a", "kid-1", true},
		{"refuses without the sealing master", onlyCurrent, sealedBefore, "tenant-a", "kid-1", false},
		{"refuses ciphertext moved to another tenant", both, sealedNow, "tenant-b", "kid-1", false},
		{"refuses ciphertext moved to another kid", both, sealedNow, "tenant-a", "kid-2", false},
		{"refuses an unknown format version", both, append([]byte{2}, sealedNow[1:]...), "tenant-a", "kid-1", false},
		{"refuses tampered ciphertext", both, flipLastBit(sealedNow), "tenant-a", "kid-1", false},
		{"refuses empty ciphertext", both, nil, "tenant-a", "kid-1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.sealer.open(tt.ciphertext, tt.tenant, tt.kid)
			if tt.ok {
				if err != nil || !bytes.Equal(got, plaintext) {
					t.Fatalf("open = %q, %v; want the plaintext", got, err)
				}
				return
			}
			if !errors.Is(err, ErrKeyDecryption) {
				t.Fatalf("open error = %v; want ErrKeyDecryption", err)
			}
		})
	}
	if sealedNow[0] != sealVersion1 || bytes.Contains(sealedNow, plaintext) {
		t.Fatal("sealed output does not start with the version byte or contains the plaintext")
	}
}

func flipLastBit(b []byte) []byte {
	out := bytes.Clone(b)
	out[len(out)-1] ^= 1
	return out
}

func TestNewManagerRefusesWeakMasterSecrets(t *testing.T) {
	t.Parallel()
	s := gormstoretest.SQLite(t)
	tests := []struct {
		name    string
		masters [][]byte
	}{
		{"refuses no master", nil},
		{"refuses a 31-byte current master", [][]byte{make([]byte, 31)}},
		{"refuses a short previous master", [][]byte{master(1), make([]byte, 16)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewManager(s, tt.masters, Options{}); err == nil {
				t.Fatal("NewManager succeeded; want an error")
			}
		})
	}
}
