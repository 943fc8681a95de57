package directory

import (
	"context"
	"crypto/rand"
	"slices"
	"strings"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/storage"
)

// Grant types and default scopes of new applications.
const (
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantClientCredentials = "client_credentials"
)

// DefaultScopes are the scopes a new application may request.
var DefaultScopes = []string{"openid", "profile", "email", "offline_access"}

// subjectSaltBytes is the size of the per-application salt of pairwise `sub`.
const subjectSaltBytes = 32

// NewApplication is the input of CreateApplication.
type NewApplication struct {
	DisplayName string
	// Public marks an application that cannot keep a secret (SPA, native): it
	// authenticates with "none" and must use PKCE.
	Public bool
	// FirstParty skips the consent page.
	FirstParty             bool
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	SigningAlg             string // ES256 (default) or RS256
	// JWKS holds the public keys of a private_key_jwt application (JSON).
	JWKS string
	// AuthMethod is the token endpoint authentication method:
	// client_secret_basic (default for confidential apps), client_secret_post,
	// private_key_jwt, or none (public apps).
	AuthMethod string
}

// CreateApplication registers an OAuth client in the tenant and returns it with
// its first client secret, when it has one. The secret is shown only here:
// only its digest is stored. Every problem with the input is reported at once.
func (s *Service) CreateApplication(ctx context.Context, tenantID string, in NewApplication) (*storage.Application, string, error) {
	if _, err := s.requireTenant(ctx, tenantID); err != nil {
		return nil, "", err
	}
	app, err := newApplicationFrom(tenantID, in)
	if err != nil {
		return nil, "", err
	}
	app.ID = newID()
	app.CreatedAt = s.now()
	app.UpdatedAt = app.CreatedAt
	app.SubjectSalt = make([]byte, subjectSaltBytes)
	_, _ = rand.Read(app.SubjectSalt) // crypto/rand.Read never returns an error
	var secret string
	if usesClientSecret(app.TokenEndpointAuthMethod) {
		var cs storage.ClientSecret
		secret, cs = s.newClientSecret()
		app.Secrets = []storage.ClientSecret{cs}
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateApplication(ctx, app); err != nil {
			return mapConflict(err, "an application with this client ID already exists")
		}
		return s.record(ctx, appChangeRecord("Add application", storage.AuditAdd, nil, app))
	})
	if err != nil {
		return nil, "", err
	}
	return app, secret, nil
}

// newApplicationFrom checks every field of the input and builds the application.
func newApplicationFrom(tenantID string, in NewApplication) (*storage.Application, error) {
	var p problems
	app := &storage.Application{
		TenantID:               tenantID,
		DisplayName:            strings.TrimSpace(in.DisplayName),
		Public:                 in.Public,
		FirstParty:             in.FirstParty,
		RedirectURIs:           slices.Clone(in.RedirectURIs),
		PostLogoutRedirectURIs: slices.Clone(in.PostLogoutRedirectURIs),
		Scopes:                 slices.Clone(DefaultScopes),
		SigningAlg:             in.SigningAlg,
	}
	if app.DisplayName == "" {
		p.add("displayName", "is required")
	} else if msg := checkText(app.DisplayName, maxDisplayNameLength); msg != "" {
		p.add("displayName", "%s", msg)
	}
	if app.SigningAlg == "" {
		app.SigningAlg = keys.ES256
	} else if !keys.Supported(app.SigningAlg) {
		p.add("signingAlg", "must be %s or %s", keys.ES256, keys.RS256)
	}
	app.TokenEndpointAuthMethod = authMethodFor(in, &p)
	if app.TokenEndpointAuthMethod == storage.AuthMethodPrivateKeyJWT || in.JWKS != "" {
		app.JWKS = checkClientJWKS(in.JWKS, app.TokenEndpointAuthMethod, &p)
	}
	checkRedirectURIs("redirectUris", app.RedirectURIs, app.Public, &p)
	checkRedirectURIs("postLogoutRedirectUris", app.PostLogoutRedirectURIs, app.Public, &p)
	if app.Public && len(app.RedirectURIs) == 0 {
		p.add("redirectUris", "a public application needs at least one redirect URI")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	if len(app.RedirectURIs) > 0 {
		app.GrantTypes = append(app.GrantTypes, GrantAuthorizationCode, GrantRefreshToken)
	}
	if !app.Public {
		app.GrantTypes = append(app.GrantTypes, GrantClientCredentials)
	}
	return app, nil
}

// authMethodFor picks the token endpoint authentication method.
func authMethodFor(in NewApplication, p *problems) string {
	const field = "tokenEndpointAuthMethod"
	method := strings.TrimSpace(in.AuthMethod)
	if in.Public {
		if method != "" && method != storage.AuthMethodNone {
			p.add(field, "a public application cannot keep a secret and authenticates with %q", storage.AuthMethodNone)
		}
		return storage.AuthMethodNone
	}
	switch method {
	case "":
		return storage.AuthMethodClientSecretBasic
	case storage.AuthMethodClientSecretBasic, storage.AuthMethodClientSecretPost, storage.AuthMethodPrivateKeyJWT:
		return method
	case storage.AuthMethodNone:
		p.add(field, "a confidential application must authenticate; mark it public if it cannot keep a secret")
	default:
		p.add(field, "must be one of %s, %s, %s", storage.AuthMethodClientSecretBasic,
			storage.AuthMethodClientSecretPost, storage.AuthMethodPrivateKeyJWT)
	}
	return method
}

func usesClientSecret(method string) bool {
	return method == storage.AuthMethodClientSecretBasic || method == storage.AuthMethodClientSecretPost
}

// newClientSecret generates a secret and its stored form.
func (s *Service) newClientSecret() (string, storage.ClientSecret) {
	secret, digest, hint, _ := credential.NewClientSecret() // its error is always nil
	return secret, storage.ClientSecret{ID: newID(), Hint: hint, Digest: digest, CreatedAt: s.now()}
}
