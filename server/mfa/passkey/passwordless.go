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

// purposeLogin names a usernameless sign-in ceremony.
const purposeLogin = "passkey-login:"

var _ mfa.PasswordlessMethod = (*Passkeys)(nil)

// errUnknownPasskey: no enabled user owns the presented credential.
var errUnknownPasskey = errors.New("passkey: unknown credential")

// ShowPasswordless starts a usernameless assertion (discoverable
// credentials, user verification required) bound to the flow.
func (p *Passkeys) ShowPasswordless(w http.ResponseWriter, r *http.Request, pl *mfa.Passwordless) {
	assertion, sd, err := p.rp.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err == nil {
		err = p.saveCeremony(r.Context(), pl.Tenant.ID, "", purposeLogin+pl.FlowID, sd)
	}
	var opts []byte
	if err == nil {
		opts, err = json.Marshal(assertion)
	}
	if err != nil {
		p.Pages.Error(w, r, http.StatusInternalServerError, "Sign in", "Something went wrong. Try again later.")
		return
	}
	v := &view{Form: pl.Form, Mode: "get", Option: string(opts), Alternatives: pl.Alternatives, Error: pl.Error}
	p.Pages.Render(w, r, mfa.StatusOr(pl.Status), "passkey_challenge", v)
}

// VerifyPasswordless finds the user by the credential and its user handle,
// verifies the assertion like VerifyChallenge and returns the user.
func (p *Passkeys) VerifyPasswordless(ctx context.Context, r *http.Request, pl *mfa.Passwordless) (*storage.User, mfa.Result, error) {
	raw := r.PostForm.Get("credential")
	if raw == "" {
		return nil, mfa.Result{Message: msgChoosePasskey}, nil
	}
	sd, err := p.takeCeremony(ctx, pl.Tenant.ID, "", purposeLogin+pl.FlowID)
	if errors.Is(err, errNoCeremony) {
		return nil, mfa.Result{Message: msgExpired}, nil
	} else if err != nil {
		return nil, mfa.Result{}, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes([]byte(raw))
	if err != nil {
		return nil, mfa.Result{Message: msgNotAccepted, Failure: true}, nil
	}
	var owner *storage.User
	var creds []stored
	find := func(rawID, userHandle []byte) (webauthn.User, error) {
		owner, creds, err = p.owner(ctx, pl.Tenant.ID, rawID, userHandle)
		if err != nil {
			return nil, err
		}
		return webUser(owner, creds), nil
	}
	_, cred, err := p.rp.ValidatePasskeyLogin(find, sd, parsed)
	if err != nil {
		return nil, mfa.Result{Message: msgNotAccepted, Failure: true}, nil
	}
	res, err := p.recordUse(ctx, creds, cred)
	if err != nil || !res.Verified {
		return nil, res, err
	}
	return owner, res, nil
}

// owner loads the enabled user whose passkey has the credential ID and whose
// ID is the user handle the authenticator returned.
func (p *Passkeys) owner(ctx context.Context, tenantID string, rawID, userHandle []byte) (*storage.User, []stored, error) {
	m, err := p.Store.GetAuthMethodByHandle(ctx, tenantID, mfa.KindPasskey, handle(rawID))
	if err != nil || !m.Confirmed || m.UserID != string(userHandle) {
		return nil, nil, errUnknownPasskey
	}
	user, err := p.Store.GetUser(ctx, tenantID, m.UserID)
	if err != nil || !user.AccountEnabled {
		return nil, nil, errUnknownPasskey
	}
	methods, err := p.Store.ListAuthMethods(ctx, tenantID, user.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: list methods: %w", err)
	}
	creds, err := loadCredentials(methods)
	if err != nil {
		return nil, nil, err
	}
	return user, creds, nil
}
