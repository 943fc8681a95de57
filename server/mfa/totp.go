package mfa

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"

	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/storage"
)

// RFC 6238 parameters every authenticator app understands.
const (
	totpPeriod = 30 // seconds per time step
	totpDigits = otp.DigitsSix
	totpSkew   = 1 // steps accepted either side of now (clock drift)
	// totpSecretBytes is the shared secret's size: 160 bits (RFC 4226 §4).
	totpSecretBytes = 20
	// pendingTOTPLifetime bounds how long an unconfirmed registration waits.
	pendingTOTPLifetime = 15 * time.Minute
	// SealPurpose is the HKDF info of the key that seals method secrets
	// (keys.NewSealer(masters, mfa.SealPurpose)).
	SealPurpose = "sigil mfa method secret v1"
)

// User-facing messages of the TOTP pages.
const (
	msgEnterCode   = "Enter the 6-digit code from your authenticator app."
	msgWrongCode   = "That code didn't work. Check the code and try again."
	msgReusedCode  = "That code was already used. Wait for the next code and try again."
	msgRegExpired  = "This registration has expired. Start again."
	defaultTOTPTag = "Authenticator app"
)

// Sealer encrypts method secrets at rest (server/keys.Sealer).
type Sealer interface {
	Seal(plaintext []byte, tenantID, id string) []byte
	Open(ciphertext []byte, tenantID, id string) ([]byte, error)
}

// TOTP is the authenticator-app method (RFC 6238): a six-digit code from a
// shared secret, sealed at rest, each time step accepted once per method.
type TOTP struct {
	Store  storage.Storage
	Pages  *page.Renderer
	Sealer Sealer
	// Now defaults to time.Now.
	Now func() time.Time
}

var _ Registrar = (*TOTP)(nil)

// Info describes the TOTP method: "otp" in amr, MFA strength.
func (t *TOTP) Info() Info {
	return Info{Kind: KindTOTP, Title: "Authenticator app", Label: "Use a verification code from my authenticator app", Level: LevelMFA, AMR: []string{"otp"}, Rank: 20}
}

// Usable reports whether the user has a confirmed authenticator app.
func (t *TOTP) Usable(r Registered) bool { return len(r.Confirmed(KindTOTP)) > 0 }

func (t *TOTP) now() time.Time {
	if t.Now != nil {
		return t.Now().UTC()
	}
	return time.Now().UTC()
}

// totpView is the data of the mfa_totp page.
type totpView struct {
	Challenge *Challenge
	Error     string
}

// ShowChallenge asks for a code.
func (t *TOTP) ShowChallenge(w http.ResponseWriter, r *http.Request, c *Challenge) {
	t.Pages.Render(w, r, StatusOr(c.Status), "mfa_totp", totpView{Challenge: c, Error: c.Error})
}

// VerifyChallenge checks the posted code against each of the user's
// authenticator apps and spends its time step.
func (t *TOTP) VerifyChallenge(ctx context.Context, r *http.Request, c *Challenge) (Result, error) {
	code, ok := normalizeCode(r.PostForm.Get("code"))
	if !ok {
		return Result{Message: msgEnterCode}, nil
	}
	now := t.now()
	for _, m := range c.Registered.Confirmed(KindTOTP) {
		step, matched, err := t.match(&m, code, now)
		if err != nil {
			return Result{}, err
		}
		if matched {
			return t.spend(ctx, &m, step, now)
		}
	}
	return Result{Message: msgWrongCode, Failure: true}, nil
}

// spend records the step as used; a step already used is a replay.
func (t *TOTP) spend(ctx context.Context, m *storage.AuthMethod, step int64, now time.Time) (Result, error) {
	err := t.Store.AdvanceTOTPStep(ctx, m.TenantID, m.UserID, m.ID, step, now)
	switch {
	case errors.Is(err, storage.ErrConflict):
		return Result{Message: msgReusedCode, Failure: true}, nil
	case err != nil:
		return Result{}, fmt.Errorf("mfa: record TOTP step: %w", err)
	}
	return Result{Verified: true, MethodID: m.ID}, nil
}

// match compares the code with the method's codes for the steps around now,
// in constant time, and returns the matching step.
func (t *TOTP) match(m *storage.AuthMethod, code string, now time.Time) (int64, bool, error) {
	secret, err := t.Sealer.Open(m.Secret, m.TenantID, m.ID)
	if err != nil {
		return 0, false, fmt.Errorf("mfa: open TOTP secret of method %s: %w", m.ID, err)
	}
	current := now.Unix() / totpPeriod
	var found int64
	matched := 0
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		want, err := hotp.GenerateCodeCustom(string(secret), uint64(step), hotp.ValidateOpts{Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, false, fmt.Errorf("mfa: compute TOTP code: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && matched == 0 {
			found, matched = step, 1
		}
	}
	return found, matched == 1, nil
}

// normalizeCode accepts six digits, ignoring spaces and dashes people type.
func normalizeCode(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
	if len(s) != int(totpDigits) {
		return "", false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return s, true
}
