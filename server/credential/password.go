package credential

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory      uint32 // KiB
	Iterations  uint32
	Parallelism uint8
	SaltLength  uint32 // bytes
	KeyLength   uint32 // bytes
}

// DefaultParams follow OWASP's argon2id recommendation (19 MiB, 2 passes, one
// lane) with a 16-byte salt and a 32-byte key.
var DefaultParams = Params{Memory: 19456, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Bounds on parameters, applied both when hashing and when reading a stored
// hash, so a tampered hash cannot make verification allocate gigabytes.
const (
	minSaltLength = 8
	maxSaltLength = 64
	minKeyLength  = 16
	maxKeyLength  = 64
	maxMemory     = 1 << 20 // 1 GiB in KiB
	maxIterations = 64
)

// ErrMalformedHash is wrapped by VerifyPassword when the stored string is not an
// argon2id PHC string it can use.
var ErrMalformedHash = errors.New("credential: malformed password hash")

func (p Params) validate() error {
	switch {
	case p.Memory < 8*uint32(p.Parallelism) || p.Memory > maxMemory:
		return fmt.Errorf("memory %d KiB out of range", p.Memory)
	case p.Iterations < 1 || p.Iterations > maxIterations:
		return fmt.Errorf("iterations %d out of range", p.Iterations)
	case p.Parallelism < 1:
		return errors.New("parallelism must be at least 1")
	case p.SaltLength < minSaltLength || p.SaltLength > maxSaltLength:
		return fmt.Errorf("salt length %d out of range", p.SaltLength)
	case p.KeyLength < minKeyLength || p.KeyLength > maxKeyLength:
		return fmt.Errorf("key length %d out of range", p.KeyLength)
	}
	return nil
}

// HashPassword hashes password with DefaultParams and returns a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded standard base64).
func HashPassword(password string) (string, error) {
	return HashPasswordWith(DefaultParams, password)
}

// HashPasswordWith hashes password with the given parameters and a fresh random salt.
func HashPasswordWith(p Params, password string) (string, error) {
	if err := p.validate(); err != nil {
		return "", fmt.Errorf("credential: argon2id parameters: %w", err)
	}
	salt := make([]byte, p.SaltLength)
	_, _ = rand.Read(salt) // crypto/rand.Read never returns an error
	key := deriveKey(p, password, salt)
	return encodePHC(p, salt, key), nil
}

func encodePHC(p Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Iterations, p.Parallelism, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether password matches the PHC-encoded argon2id hash.
// It recomputes the key with the parameters stored in the hash and compares in
// constant time. A malformed hash yields an error wrapping ErrMalformedHash.
func VerifyPassword(encoded, password string) (bool, error) {
	p, salt, want, err := decodePHC(encoded)
	if err != nil {
		return false, err
	}
	got := deriveKey(p, password, salt)
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// decodePHC parses $argon2id$v=19$m=..,t=..,p=..$salt$hash.
func decodePHC(encoded string) (Params, []byte, []byte, error) {
	fail := func(why string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, why)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return fail("expected $argon2id$v=..$m=..,t=..,p=..$salt$hash")
	}
	if parts[1] != "argon2id" {
		return fail(fmt.Sprintf("algorithm %q is not argon2id", parts[1]))
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return fail(fmt.Sprintf("unsupported version %q", parts[2]))
	}
	p, err := parseParams(parts[3])
	if err != nil {
		return fail(err.Error())
	}
	salt, err := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil {
		return fail("salt is not unpadded base64")
	}
	key, err := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil {
		return fail("hash is not unpadded base64")
	}
	p.SaltLength, p.KeyLength = uint32(len(salt)), uint32(len(key))
	if err := p.validate(); err != nil {
		return fail(err.Error())
	}
	return p, salt, key, nil
}

// parseParams reads "m=<KiB>,t=<passes>,p=<lanes>" in that order.
func parseParams(s string) (Params, error) {
	fields := strings.Split(s, ",")
	names := []string{"m", "t", "p"}
	if len(fields) != len(names) {
		return Params{}, errors.New("parameters must be m=..,t=..,p=..")
	}
	var values [3]uint64
	for i, f := range fields {
		name, value, ok := strings.Cut(f, "=")
		if !ok || name != names[i] {
			return Params{}, fmt.Errorf("parameter %d must be %s=<number>", i+1, names[i])
		}
		bits := 32
		if name == "p" {
			bits = 8
		}
		n, err := strconv.ParseUint(value, 10, bits)
		if err != nil {
			return Params{}, fmt.Errorf("parameter %s=%q is not a valid number", name, value)
		}
		values[i] = n
	}
	return Params{Memory: uint32(values[0]), Iterations: uint32(values[1]), Parallelism: uint8(values[2])}, nil
}

// decoyHash is hashed once, lazily, from a random password nobody knows, with
// DefaultParams, so VerifyDummy does the same work as checking a real password.
var decoyHash = sync.OnceValue(func() string {
	encoded, err := HashPassword(RandomToken(32))
	if err != nil {
		panic(fmt.Sprintf("credential: DefaultParams are invalid: %v", err))
	}
	return encoded
})

// VerifyDummy spends the time of a real VerifyPassword (same KDF, same
// parameters) and always fails. Call it for an unknown user so that the
// response time does not reveal whether the account exists.
func VerifyDummy(password string) {
	_, _ = VerifyPassword(decoyHash(), password)
}
