package keys

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
)

// MinMasterSecretLength is the shortest master secret NewManager accepts.
const MinMasterSecretLength = 32

// sealInfo is the HKDF info string: the signing-key encryption key is derived
// from the master secret for this purpose only.
const sealInfo = "sigil signing-key encryption v1"

// sealVersion1 marks ciphertext as: version byte, 12-byte random nonce,
// AES-256-GCM ciphertext and tag, with the key from HKDF-SHA256(master, nil,
// sealInfo) and AAD tenantID|kid.
const sealVersion1 byte = 1

// ErrKeyDecryption means a stored private key could not be decrypted with any
// configured master secret (a wrong or missing master, or tampered ciphertext).
var ErrKeyDecryption = errors.New("keys: signing key cannot be decrypted with the configured master secrets")

// sealer encrypts private keys under the current master secret and decrypts
// them under the current or any previous one.
type sealer struct {
	aeads []cipher.AEAD // current master first
}

func newSealer(masters [][]byte, info string) (*sealer, error) {
	if len(masters) == 0 {
		return nil, errors.New("keys: no master secret configured")
	}
	s := &sealer{}
	for i, master := range masters {
		if len(master) < MinMasterSecretLength {
			return nil, fmt.Errorf("keys: master secret %d is %d bytes; at least %d are required", i, len(master), MinMasterSecretLength)
		}
		key, err := hkdf.Key(sha256.New, master, nil, info, 32)
		if err != nil {
			return nil, fmt.Errorf("keys: derive encryption key: %w", err)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("keys: %w", err)
		}
		s.aeads = append(s.aeads, aead)
	}
	return s, nil
}

// additionalData binds a ciphertext to its tenant and kid, so a row copied to
// another tenant or key does not decrypt.
func additionalData(tenantID, kid string) []byte {
	return []byte(tenantID + "|" + kid)
}

// seal encrypts plaintext under the current master.
func (s *sealer) seal(plaintext []byte, tenantID, kid string) []byte {
	out := []byte{sealVersion1}
	return s.aeads[0].Seal(out, nil, plaintext, additionalData(tenantID, kid))
}

// open decrypts ciphertext with the first master that authenticates it.
func (s *sealer) open(ciphertext []byte, tenantID, kid string) ([]byte, error) {
	if len(ciphertext) == 0 || ciphertext[0] != sealVersion1 {
		return nil, fmt.Errorf("%w: key %s has an unknown ciphertext format", ErrKeyDecryption, kid)
	}
	aad := additionalData(tenantID, kid)
	for _, aead := range s.aeads {
		if plaintext, err := aead.Open(nil, nil, ciphertext[1:], aad); err == nil {
			return plaintext, nil
		}
	}
	return nil, fmt.Errorf("%w: key %s", ErrKeyDecryption, kid)
}

// Sealer encrypts small secrets of other packages (TOTP keys, credentials)
// exactly as signing keys are: AES-256-GCM under a key derived from the master
// secret for one purpose, version byte first, bound to a tenant and a record
// ID as additional data. The current master seals; any configured master opens.
type Sealer struct{ s *sealer }

// NewSealer derives the purpose's key from each master, current first. The
// purpose string is the HKDF info: give every use its own.
func NewSealer(masters [][]byte, purpose string) (*Sealer, error) {
	if purpose == "" || purpose == sealInfo {
		return nil, errors.New("keys: a sealer needs its own purpose")
	}
	s, err := newSealer(masters, purpose)
	if err != nil {
		return nil, err
	}
	return &Sealer{s: s}, nil
}

// Seal encrypts plaintext for the record id of the tenant.
func (s *Sealer) Seal(plaintext []byte, tenantID, id string) []byte {
	return s.s.seal(plaintext, tenantID, id)
}

// Open decrypts what Seal produced for the same tenant and id; a ciphertext of
// another record, a tampered one or one under an unknown master fails.
func (s *Sealer) Open(ciphertext []byte, tenantID, id string) ([]byte, error) {
	return s.s.open(ciphertext, tenantID, id)
}
