package passkey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/storage"
)

const (
	msgCreatePasskey = "Create a passkey with your device, then continue."
	msgNameTooLong   = "Give the passkey a name of at most 64 characters."
	msgRegisterAgain = "That passkey couldn't be registered. Try again."
	msgAlreadyThere  = "That passkey is already registered."
	defaultName      = "Passkey"
)

// ShowRegistration starts a registration ceremony (a discoverable credential
// with user verification, excluding the user's existing passkeys) and
// renders the page that runs it.
func (p *Passkeys) ShowRegistration(w http.ResponseWriter, r *http.Request, reg *mfa.Registration) {
	v, err := p.beginRegistration(r.Context(), reg)
	if err != nil {
		p.Pages.Error(w, r, http.StatusInternalServerError, "Security info", "Something went wrong. Try again later.")
		return
	}
	v.Error = reg.Error
	p.Pages.Render(w, r, mfa.StatusOr(reg.Status), "passkey_register", v)
}

func (p *Passkeys) beginRegistration(ctx context.Context, reg *mfa.Registration) (*view, error) {
	methods, err := p.Store.ListAuthMethods(ctx, reg.Tenant.ID, reg.User.ID)
	if err != nil {
		return nil, fmt.Errorf("passkey: list methods: %w", err)
	}
	creds, err := loadCredentials(methods)
	if err != nil {
		return nil, err
	}
	wu := webUser(reg.User, creds)
	var exclude []protocol.CredentialDescriptor
	for _, c := range wu.creds {
		exclude = append(exclude, c.Descriptor())
	}
	creation, sd, err := p.rp.BeginRegistration(wu, webauthn.WithExclusions(exclude),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementPreferred, UserVerification: protocol.VerificationRequired,
		}))
	if err != nil {
		return nil, fmt.Errorf("passkey: begin registration: %w", err)
	}
	ceremony := newCeremonyID()
	if err := p.saveCeremony(ctx, reg.Tenant.ID, reg.User.ID, purposeRegister+ceremony, sd); err != nil {
		return nil, err
	}
	opts, err := json.Marshal(creation)
	if err != nil {
		return nil, fmt.Errorf("passkey: encode options: %w", err)
	}
	return &view{Form: reg.Form, User: reg.User, Mode: "create", Option: string(opts), Ceremony: ceremony,
		Alternatives: reg.Alternatives, CancelURL: reg.CancelURL}, nil
}

// FinishRegistration verifies the attestation ("none" is enough: Sigil does
// not restrict authenticator models) against the ceremony, taken once, and
// stores the named credential.
func (p *Passkeys) FinishRegistration(ctx context.Context, r *http.Request, reg *mfa.Registration) (mfa.Result, error) {
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if name == "" {
		name = defaultName
	}
	if utf8.RuneCountInString(name) > maxNameLength {
		return mfa.Result{Message: msgNameTooLong}, nil
	}
	raw := r.PostForm.Get("credential")
	if raw == "" {
		return mfa.Result{Message: msgCreatePasskey}, nil
	}
	sd, err := p.takeCeremony(ctx, reg.Tenant.ID, reg.User.ID, purposeRegister+r.PostForm.Get("ceremony"))
	if errors.Is(err, errNoCeremony) {
		return mfa.Result{Message: msgExpired}, nil
	} else if err != nil {
		return mfa.Result{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes([]byte(raw))
	if err != nil {
		return mfa.Result{Message: msgRegisterAgain, Failure: true}, nil
	}
	cred, err := p.rp.CreateCredential(webUser(reg.User, nil), sd, parsed)
	if err != nil {
		return mfa.Result{Message: msgRegisterAgain, Failure: true}, nil
	}
	return p.store(ctx, reg, name, cred)
}

func (p *Passkeys) store(ctx context.Context, reg *mfa.Registration, name string, cred *webauthn.Credential) (mfa.Result, error) {
	secret, err := json.Marshal(cred)
	if err != nil {
		return mfa.Result{}, fmt.Errorf("passkey: encode credential: %w", err)
	}
	now := p.now()
	m := &storage.AuthMethod{
		ID: uuid.NewString(), TenantID: reg.Tenant.ID, UserID: reg.User.ID, Kind: mfa.KindPasskey,
		Name: name, Handle: handle(cred.ID), Secret: secret, Confirmed: true, CreatedAt: now, LastUsedAt: &now,
	}
	err = p.Store.CreateAuthMethod(ctx, m)
	if errors.Is(err, storage.ErrAlreadyExists) {
		return mfa.Result{Message: msgAlreadyThere}, nil
	} else if err != nil {
		return mfa.Result{}, fmt.Errorf("passkey: store credential: %w", err)
	}
	return mfa.Result{Verified: true, MethodID: m.ID}, nil
}
