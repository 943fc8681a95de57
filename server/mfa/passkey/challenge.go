package passkey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/storage"
)

// User-facing messages of the passkey pages.
const (
	msgChoosePasskey = "Use your passkey to continue."
	msgExpired       = "This passkey request has expired or was already used. Try again."
	msgNotAccepted   = "That passkey wasn't accepted. Try again or use another method."
	msgCloned        = "That passkey looks copied and can't be used. Use another method and remove it from your security info."
)

// ShowChallenge starts an assertion for the user's passkeys and renders the
// page that runs it; the challenge is stored under the flow, replacing an
// earlier one.
func (p *Passkeys) ShowChallenge(w http.ResponseWriter, r *http.Request, c *mfa.Challenge) {
	v, err := p.beginAssertion(r.Context(), c)
	if err != nil {
		p.Pages.Error(w, r, http.StatusInternalServerError, "Sign in", "Something went wrong. Try again later.")
		return
	}
	v.Error = c.Error
	p.Pages.Render(w, r, mfa.StatusOr(c.Status), "passkey_challenge", v)
}

func (p *Passkeys) beginAssertion(ctx context.Context, c *mfa.Challenge) (*view, error) {
	creds, err := loadCredentials(c.Registered.Methods)
	if err != nil {
		return nil, err
	}
	assertion, sd, err := p.rp.BeginLogin(webUser(c.User, creds), webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return nil, fmt.Errorf("passkey: begin login: %w", err)
	}
	if err := p.saveCeremony(ctx, c.Tenant.ID, c.User.ID, purposeAssert+c.FlowID, sd); err != nil {
		return nil, err
	}
	opts, err := json.Marshal(assertion)
	if err != nil {
		return nil, fmt.Errorf("passkey: encode options: %w", err)
	}
	return &view{Form: c.Form, User: c.User, Mode: "get", Option: string(opts), Alternatives: c.Alternatives}, nil
}

// VerifyChallenge checks the posted assertion against the flow's challenge
// (taken once), the RP ID, the origin, user verification and the signature
// counter, then records the new counter atomically.
func (p *Passkeys) VerifyChallenge(ctx context.Context, r *http.Request, c *mfa.Challenge) (mfa.Result, error) {
	raw := r.PostForm.Get("credential")
	if raw == "" {
		return mfa.Result{Message: msgChoosePasskey}, nil
	}
	sd, err := p.takeCeremony(ctx, c.Tenant.ID, c.User.ID, purposeAssert+c.FlowID)
	if errors.Is(err, errNoCeremony) {
		return mfa.Result{Message: msgExpired}, nil
	} else if err != nil {
		return mfa.Result{}, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes([]byte(raw))
	if err != nil {
		return mfa.Result{Message: msgNotAccepted, Failure: true}, nil
	}
	creds, err := loadCredentials(c.Registered.Methods)
	if err != nil {
		return mfa.Result{}, err
	}
	cred, err := p.rp.ValidateLogin(webUser(c.User, creds), sd, parsed)
	if err != nil {
		return mfa.Result{Message: msgNotAccepted, Failure: true}, nil
	}
	return p.recordUse(ctx, creds, cred)
}

// recordUse refuses a cloned authenticator (a counter that did not grow) and
// stores the credential's new state only if no other sign-in changed it.
func (p *Passkeys) recordUse(ctx context.Context, creds []stored, cred *webauthn.Credential) (mfa.Result, error) {
	var used *stored
	for i := range creds {
		if handle(creds[i].cred.ID) == handle(cred.ID) {
			used = &creds[i]
		}
	}
	if used == nil {
		return mfa.Result{Message: msgNotAccepted, Failure: true}, nil
	}
	if cred.Authenticator.CloneWarning {
		return mfa.Result{Message: msgCloned, Failure: true}, nil
	}
	next, err := json.Marshal(cred)
	if err != nil {
		return mfa.Result{}, fmt.Errorf("passkey: encode credential: %w", err)
	}
	m := used.method
	err = p.Store.SwapAuthMethodSecret(ctx, m.TenantID, m.UserID, m.ID, m.Secret, next, p.now())
	switch {
	case errors.Is(err, storage.ErrConflict), errors.Is(err, storage.ErrNotFound):
		return mfa.Result{Message: msgNotAccepted, Failure: true}, nil
	case err != nil:
		return mfa.Result{}, fmt.Errorf("passkey: record use: %w", err)
	}
	return mfa.Result{Verified: true, MethodID: m.ID}, nil
}
