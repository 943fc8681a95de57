package passkey

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/storage"
)

// ceremonyLifetime bounds how long a challenge waits for the authenticator.
const ceremonyLifetime = 5 * time.Minute

// maxNameLength bounds a passkey's display name.
const maxNameLength = 64

// Passkeys is the passkey method. Build it with New.
type Passkeys struct {
	Store storage.Storage
	Pages *page.Renderer
	// Now defaults to time.Now.
	Now func() time.Time
	rp  *webauthn.WebAuthn
}

var _ mfa.Registrar = (*Passkeys)(nil)

// ErrUnavailable: Sigil's public URL names an IP address, which WebAuthn
// does not accept as a relying party ID; passkeys are then not offered.
var ErrUnavailable = errors.New("passkey: the public URL's host is an IP address, not a domain: passkeys are unavailable")

// New returns the method for the issuer base URL (scheme and host; the path
// is ignored): the RP ID is its host name and the only origin its scheme and
// host. ErrUnavailable when the host is an IP address.
func New(store storage.Storage, pages *page.Renderer, issuerBase string) (*Passkeys, error) {
	u, err := url.Parse(issuerBase)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("passkey: issuer base %q is not an absolute URL", issuerBase)
	}
	if _, err := netip.ParseAddr(u.Hostname()); err == nil {
		return nil, ErrUnavailable
	}
	rp, err := webauthn.New(&webauthn.Config{
		RPID:          u.Hostname(),
		RPDisplayName: "Sigil",
		RPOrigins:     []string{u.Scheme + "://" + u.Host},
	})
	if err != nil {
		return nil, fmt.Errorf("passkey: relying party: %w", err)
	}
	return &Passkeys{Store: store, Pages: pages, rp: rp}, nil
}

// Info describes passkeys: phishing-resistant MFA. They rank with the
// authenticator app, after it in the registry, so registration offers the
// app first (it works without JavaScript) and passkeys next.
func (p *Passkeys) Info() mfa.Info {
	return mfa.Info{
		Kind: mfa.KindPasskey, Title: "Passkey", Label: "Face, fingerprint, PIN, or security key",
		Level: mfa.LevelPhishingResistantMFA, AMR: []string{"hwk", "user"}, Rank: 20,
	}
}

// Usable reports whether the user has a passkey.
func (p *Passkeys) Usable(r mfa.Registered) bool { return len(r.Confirmed(mfa.KindPasskey)) > 0 }

func (p *Passkeys) now() time.Time {
	if p.Now != nil {
		return p.Now().UTC()
	}
	return time.Now().UTC()
}

// user adapts a Sigil user and their passkeys to webauthn.User.
type user struct {
	u     *storage.User
	creds []webauthn.Credential
}

func (u user) WebAuthnID() []byte                         { return []byte(u.u.ID) }
func (u user) WebAuthnName() string                       { return u.u.UserPrincipalName }
func (u user) WebAuthnDisplayName() string                { return u.u.DisplayName }
func (u user) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// stored is one of the user's passkeys with its decoded credential.
type stored struct {
	method storage.AuthMethod
	cred   webauthn.Credential
}

// loadCredentials decodes the user's confirmed passkeys.
func loadCredentials(methods []storage.AuthMethod) ([]stored, error) {
	var out []stored
	for _, m := range methods {
		if m.Kind != mfa.KindPasskey || !m.Confirmed {
			continue
		}
		var c webauthn.Credential
		if err := json.Unmarshal(m.Secret, &c); err != nil {
			return nil, fmt.Errorf("passkey: decode credential of method %s: %w", m.ID, err)
		}
		out = append(out, stored{method: m, cred: c})
	}
	return out, nil
}

func webUser(u *storage.User, creds []stored) user {
	wu := user{u: u}
	for _, c := range creds {
		wu.creds = append(wu.creds, c.cred)
	}
	return wu
}

// handle is the credential ID as stored in AuthMethod.Handle.
func handle(id []byte) string { return base64.RawURLEncoding.EncodeToString(id) }

// view is the data of the passkey pages.
type view struct {
	Form   mfa.Form
	User   *storage.User
	Mode   string // "get" or "create"
	Option string // the PublicKeyCredential options as JSON
	Error  string
	// Alternatives and CancelURL are passed through from the caller.
	Alternatives []mfa.Alternative
	CancelURL    string
	// Ceremony names a registration's server-side challenge.
	Ceremony string
}
