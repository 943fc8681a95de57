package credential

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fastParams keep tests quick; production code always uses DefaultParams.
var fastParams = Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func TestHashPasswordProducesOWASPArgon2idPHCString(t *testing.T) {
	t.Parallel()
	encoded, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(encoded) {
		t.Fatalf("hash %q is not the expected PHC string", encoded)
	}
	ok, err := VerifyPassword(encoded, "correct horse battery staple")
	if err != nil || !ok {
		t.Fatalf("VerifyPassword(right password) = %v, %v; want true, nil", ok, err)
	}
}

func TestHashPasswordUsesAFreshSaltEachTime(t *testing.T) {
	t.Parallel()
	a, _ := HashPasswordWith(fastParams, "same password")
	b, _ := HashPasswordWith(fastParams, "same password")
	if a == b {
		t.Fatal("two hashes of the same password are identical; the salt is not random")
	}
}

func TestVerifyPassword(t *testing.T) {
	t.Parallel()
	encoded, err := HashPasswordWith(fastParams, "pässwörd-ünïcode")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"accepts the right password", "pässwörd-ünïcode", true},
		{"rejects a wrong password", "passwörd-ünïcode", false},
		{"rejects an empty password", "", false},
		{"rejects the password with a trailing space", "pässwörd-ünïcode ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VerifyPassword(encoded, tt.password)
			if err != nil || got != tt.want {
				t.Fatalf("VerifyPassword = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestVerifyPasswordUsesTheParametersStoredInTheHash(t *testing.T) {
	t.Parallel()
	custom := Params{Memory: 128, Iterations: 3, Parallelism: 2, SaltLength: 12, KeyLength: 24}
	encoded, err := HashPasswordWith(custom, "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=128,t=3,p=2$") {
		t.Fatalf("hash %q does not record the custom parameters", encoded)
	}
	ok, err := VerifyPassword(encoded, "a long enough password")
	if err != nil || !ok {
		t.Fatalf("VerifyPassword = %v, %v; want true, nil", ok, err)
	}
}

func TestVerifyPasswordRejectsMalformedHashes(t *testing.T) {
	t.Parallel()
	good, _ := HashPasswordWith(fastParams, "password1")
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	tests := []struct {
		name    string
		encoded string
		reason  string
	}{
		{"rejects an empty string", "", "expected $argon2id"},
		{"rejects a bcrypt hash", "$2a$10$abcdefghijklmnopqrstuuJ0f1Hn0zEJq8ZC5M3q6h0F9kFQ7S5e", "expected $argon2id"},
		{"rejects argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key, `"argon2i" is not argon2id`},
		{"rejects another version", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key, "unsupported version"},
		{"rejects parameters out of order", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key, "must be m=<number>"},
		{"rejects a non-numeric parameter", "$argon2id$v=19$m=lots,t=1,p=1$" + salt + "$" + key, "not a valid number"},
		{"rejects zero iterations", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key, "iterations 0"},
		{"rejects absurd memory", "$argon2id$v=19$m=4000000000,t=1,p=1$" + salt + "$" + key, "memory"},
		{"rejects a salt that is not base64", "$argon2id$v=19$m=64,t=1,p=1$!!!!$" + key, "salt is not"},
		{"rejects a padded hash", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "=", "hash is not"},
		{"rejects a truncated key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key[:8], "key length"},
		{"rejects extra fields", good + "$extra", "expected $argon2id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword(tt.encoded, "password1")
			if ok || !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("VerifyPassword = %v, %v; want false, ErrMalformedHash", ok, err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("error %q does not explain %q", err, tt.reason)
			}
		})
	}
}

func TestHashPasswordWithRejectsUnsafeParameters(t *testing.T) {
	t.Parallel()
	bad := []Params{
		{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 4, KeyLength: 32},
		{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 8},
		{Memory: 64, Iterations: 0, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		{Memory: 64, Iterations: 1, Parallelism: 0, SaltLength: 16, KeyLength: 32},
	}
	for _, p := range bad {
		if _, err := HashPasswordWith(p, "password1"); err == nil {
			t.Errorf("HashPasswordWith(%+v) succeeded; want an error", p)
		}
	}
}

func TestVerifyDummyRunsTheSameKDFAsARealVerify(t *testing.T) {
	t.Parallel()
	p, salt, key, err := decodePHC(decoyHash())
	if err != nil {
		t.Fatal(err)
	}
	if p != DefaultParams {
		t.Fatalf("decoy hash parameters = %+v; want DefaultParams %+v", p, DefaultParams)
	}
	if len(salt) != int(DefaultParams.SaltLength) || len(key) != int(DefaultParams.KeyLength) {
		t.Fatalf("decoy salt/key lengths = %d/%d", len(salt), len(key))
	}
	if decoyHash() != decoyHash() {
		t.Fatal("the decoy hash changes between calls")
	}
	VerifyDummy("any password") // must not panic
}

func BenchmarkVerifyPassword(b *testing.B) {
	encoded, err := HashPassword("benchmark password")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := VerifyPassword(encoded, "benchmark password"); !ok {
			b.Fatal("verification failed")
		}
	}
}

func TestHashingWaitsForAFreeCPUSlot(t *testing.T) {
	p := Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	for range cap(kdfSlots) { // every slot busy, as under a burst of sign-ins
		kdfSlots <- struct{}{}
	}
	finished := make(chan error, 1)
	go func() {
		_, err := HashPasswordWith(p, "queued password")
		finished <- err
	}()
	select {
	case <-finished:
		t.Fatal("a derivation ran while every slot was taken")
	case <-time.After(50 * time.Millisecond):
	}
	<-kdfSlots // one sign-in finishes
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	for range cap(kdfSlots) - 1 {
		<-kdfSlots
	}
}
