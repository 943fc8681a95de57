package server

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// Purposes of keys derived from the master secret. Each purpose gets its own key
// so that, say, a session cookie key can never verify a flow step.
const (
	purposeOAuthHMAC   = "sigil oauth2 hmac v1"
	purposeSessionAuth = "sigil session cookie authentication v1"
	purposeSessionEnc  = "sigil session cookie encryption v1"
	purposeFlow        = "sigil sign-in flow v1"
)

// derivedKeys are the per-purpose keys for the current master secret and for
// each previous master (newest first), so a master rotation keeps existing
// cookies and refresh tokens valid.
type derivedKeys struct {
	oauthHMAC    []byte
	oauthHMACOld [][]byte
	// sessionPairs are gorilla/securecookie (authentication, encryption) key
	// pairs, current first.
	sessionPairs [][]byte
	flow         []byte
}

func deriveKeys(masters [][]byte) (derivedKeys, error) {
	if len(masters) == 0 {
		return derivedKeys{}, fmt.Errorf("server: no master secret")
	}
	var d derivedKeys
	for i, m := range masters {
		hmacKey, err := derive(m, purposeOAuthHMAC, 32)
		if err != nil {
			return d, err
		}
		auth, err := derive(m, purposeSessionAuth, 64)
		if err != nil {
			return d, err
		}
		enc, err := derive(m, purposeSessionEnc, 32)
		if err != nil {
			return d, err
		}
		d.sessionPairs = append(d.sessionPairs, auth, enc)
		if i == 0 {
			d.oauthHMAC = hmacKey
			if d.flow, err = derive(m, purposeFlow, 32); err != nil {
				return d, err
			}
			continue
		}
		d.oauthHMACOld = append(d.oauthHMACOld, hmacKey)
	}
	return d, nil
}

func derive(master []byte, purpose string, n int) ([]byte, error) {
	k, err := hkdf.Key(sha256.New, master, nil, purpose, n)
	if err != nil {
		return nil, fmt.Errorf("server: derive %s: %w", purpose, err)
	}
	return k, nil
}
