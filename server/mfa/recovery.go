package mfa

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/storage"
)

const (
	// RecoveryCodeCount is how many codes a set holds.
	RecoveryCodeCount = 10
	// recoveryCodeChars is a code's length: 16 symbols of 32, 80 bits.
	recoveryCodeChars = 16
	// recoveryAlphabet leaves out I, L, O and U, which are misread.
	recoveryAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

const (
	msgEnterRecovery = "Enter one of your recovery codes."
	msgWrongRecovery = "That recovery code didn't work. Check it and try again."
)

// RecoveryCodes are ten one-time codes for when no other method is at hand.
// They are shown once, stored as SHA-256 digests (80 random bits each need
// no slow hash) and compared in constant time.
type RecoveryCodes struct {
	Store storage.Storage
	Pages *page.Renderer
	// Now defaults to time.Now.
	Now func() time.Time
}

var _ Method = (*RecoveryCodes)(nil)

// Info describes recovery codes: a one-time password ("otp"), MFA strength,
// offered last.
func (rc *RecoveryCodes) Info() Info {
	return Info{Kind: KindRecoveryCode, Title: "Recovery codes", Label: "Use a recovery code", Level: LevelMFA, AMR: []string{"otp"}, Rank: 0}
}

// Usable reports whether the user has an unused code.
func (rc *RecoveryCodes) Usable(r Registered) bool { return r.RecoveryCodes > 0 }

func (rc *RecoveryCodes) now() time.Time {
	if rc.Now != nil {
		return rc.Now().UTC()
	}
	return time.Now().UTC()
}

// ShowChallenge asks for a recovery code.
func (rc *RecoveryCodes) ShowChallenge(w http.ResponseWriter, r *http.Request, c *Challenge) {
	rc.Pages.Render(w, r, StatusOr(c.Status), "mfa_recovery", totpView{Challenge: c, Error: c.Error})
}

// VerifyChallenge compares the posted code with every unused code of the
// user and spends the one it matches.
func (rc *RecoveryCodes) VerifyChallenge(ctx context.Context, r *http.Request, c *Challenge) (Result, error) {
	typed, ok := normalizeRecoveryCode(r.PostForm.Get("code"))
	if !ok {
		return Result{Message: msgEnterRecovery}, nil
	}
	codes, err := rc.Store.ListRecoveryCodes(ctx, c.Tenant.ID, c.User.ID)
	if err != nil {
		return Result{}, fmt.Errorf("mfa: list recovery codes: %w", err)
	}
	digest := sha256.Sum256([]byte(typed))
	match := ""
	for _, code := range codes {
		if subtle.ConstantTimeCompare(code.Digest, digest[:]) == 1 && code.UsedAt == nil {
			match = code.ID
		}
	}
	if match == "" {
		return Result{Message: msgWrongRecovery, Failure: true}, nil
	}
	err = rc.Store.UseRecoveryCode(ctx, c.Tenant.ID, c.User.ID, match, rc.now())
	switch {
	case errors.Is(err, storage.ErrConflict), errors.Is(err, storage.ErrNotFound):
		return Result{Message: msgWrongRecovery, Failure: true}, nil
	case err != nil:
		return Result{}, fmt.Errorf("mfa: use recovery code: %w", err)
	}
	return Result{Verified: true}, nil
}

// Generate replaces the user's recovery codes with a new set and returns the
// codes, formatted for display; they are never readable again.
func (rc *RecoveryCodes) Generate(ctx context.Context, tenantID, userID string) ([]string, error) {
	codes := make([]string, RecoveryCodeCount)
	digests := make([][]byte, RecoveryCodeCount)
	for i := range codes {
		raw := newRecoveryCode()
		d := sha256.Sum256([]byte(raw))
		codes[i], digests[i] = formatRecoveryCode(raw), d[:]
	}
	if err := rc.Store.ReplaceRecoveryCodes(ctx, tenantID, userID, digests, rc.now()); err != nil {
		return nil, fmt.Errorf("mfa: store recovery codes: %w", err)
	}
	return codes, nil
}

func newRecoveryCode() string {
	b := make([]byte, recoveryCodeChars)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = recoveryAlphabet[b[i]&31] // 256 is a multiple of 32: no bias
	}
	return string(b)
}

// formatRecoveryCode shows a code as four groups of four.
func formatRecoveryCode(raw string) string {
	return strings.ReplaceAll(groupsOfFour(raw), " ", "-")
}

// normalizeRecoveryCode accepts a code in any case, with or without dashes
// and spaces.
func normalizeRecoveryCode(s string) (string, bool) {
	s = strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s))
	if len(s) != recoveryCodeChars {
		return "", false
	}
	for _, r := range s {
		if !strings.ContainsRune(recoveryAlphabet, r) {
			return "", false
		}
	}
	return s, true
}

// LoadRegistered reads what the user has set up.
func LoadRegistered(ctx context.Context, store storage.AuthMethodStore, tenantID, userID string) (Registered, error) {
	methods, err := store.ListAuthMethods(ctx, tenantID, userID)
	if err != nil {
		return Registered{}, fmt.Errorf("mfa: list methods: %w", err)
	}
	codes, err := store.ListRecoveryCodes(ctx, tenantID, userID)
	if err != nil {
		return Registered{}, fmt.Errorf("mfa: list recovery codes: %w", err)
	}
	reg := Registered{Methods: methods}
	for _, c := range codes {
		if c.UsedAt == nil {
			reg.RecoveryCodes++
		}
	}
	return reg, nil
}
