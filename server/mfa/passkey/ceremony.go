package passkey

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/sigil-idp/sigil/storage"
)

// Ceremony purposes, the prefix of a WebAuthnSession's ID.
const (
	purposeAssert   = "passkey-assert:"
	purposeRegister = "passkey-register:"
)

// errNoCeremony: the challenge was used, replaced or expired.
var errNoCeremony = errors.New("passkey: no such ceremony")

// saveCeremony stores the ceremony's session data under its ID.
func (p *Passkeys) saveCeremony(ctx context.Context, tenantID, userID, id string, sd *webauthn.SessionData) error {
	data, err := json.Marshal(sd)
	if err != nil {
		return fmt.Errorf("passkey: encode ceremony: %w", err)
	}
	ws := &storage.WebAuthnSession{ID: id, TenantID: tenantID, UserID: userID, Data: data, ExpiresAt: p.now().Add(ceremonyLifetime)}
	if err := p.Store.SaveWebAuthnSession(ctx, ws); err != nil {
		return fmt.Errorf("passkey: save ceremony: %w", err)
	}
	return nil
}

// takeCeremony takes the ceremony once; errNoCeremony when it is gone or
// belongs to another user.
func (p *Passkeys) takeCeremony(ctx context.Context, tenantID, userID, id string) (webauthn.SessionData, error) {
	var sd webauthn.SessionData
	ws, err := p.Store.TakeWebAuthnSession(ctx, tenantID, id, p.now())
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return sd, errNoCeremony
	case err != nil:
		return sd, fmt.Errorf("passkey: take ceremony: %w", err)
	case ws.UserID != userID:
		return sd, errNoCeremony
	}
	if err := json.Unmarshal(ws.Data, &sd); err != nil {
		return sd, fmt.Errorf("passkey: decode ceremony: %w", err)
	}
	return sd, nil
}

// newCeremonyID is a random registration ceremony name (128 bits).
func newCeremonyID() string {
	return rand.Text()
}
