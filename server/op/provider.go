package op

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/oauth2"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/handler/pkce"
	enigma "github.com/ory/fosite/token/hmac"

	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/fositestore"
)

// SignIn takes over the browser once an authorize request is valid (server/authflow).
type SignIn interface {
	// Start begins the sign-in for a stored flow.
	Start(w http.ResponseWriter, r *http.Request, flow *storage.Flow)
	// SignOut ends the tenant's SSO session in this browser and returns its ID.
	SignOut(w http.ResponseWriter, r *http.Request, tenantID string) (string, error)
	// LogoutToken and CheckLogoutToken protect the sign-out confirmation form.
	LogoutToken(w http.ResponseWriter, r *http.Request, tenantID string) string
	CheckLogoutToken(r *http.Request, tenantID string) bool
}

// Pages renders branded pages (server/page).
type Pages interface {
	Error(w http.ResponseWriter, r *http.Request, status int, title, message string)
	Render(w http.ResponseWriter, r *http.Request, status int, name string, data any)
}

// Deps are the provider's collaborators; New wires fosite over them.
type Deps struct {
	Store   storage.Storage
	Keys    KeySource
	Tenants tenancy.Resolver
	Pages   Pages
	// Claims builds the group, role and optional claims of tokens; nil
	// issues tokens without them.
	Claims ClaimSource
	// BaseURL is the public base URL without a trailing slash.
	BaseURL string
	// Secret is the HMAC key for refresh tokens and codes (≥ 32 bytes);
	// PreviousSecrets still verify during a rotation.
	Secret          []byte
	PreviousSecrets [][]byte
	// FlowLifetime bounds a sign-in from authorize to response (default 15 min).
	FlowLifetime time.Duration
	Logger       *slog.Logger
	Now          func() time.Time
}

// Provider serves the protocol endpoints of every tenant.
type Provider struct {
	Deps
	// SignIn is set by the wiring after the sign-in flow is built (they refer to
	// each other through interfaces).
	SignIn SignIn
	// Access evaluates refreshes and client-credentials requests and writes
	// their sign-in log rows; TrustedProxies name the client address. Both
	// are set by the wiring; nil Access skips the evaluation.
	Access         TokenAccess
	TrustedProxies []netip.Prefix

	oauth   *fosite.Fosite
	clients *clientGuard
	config  *tenantConfig
	signer  *signer
}

// New composes fosite with explicit handlers (compose helpers panic when a store
// lacks an interface; explicit wiring fails at compile time instead).
func New(d Deps) (*Provider, error) {
	if len(d.Secret) < 32 {
		return nil, errors.New("op: secret must be at least 32 bytes")
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = func() time.Time { return time.Now().UTC() }
	}
	if d.FlowLifetime <= 0 {
		d.FlowLifetime = 15 * time.Minute
	}
	p := &Provider{Deps: d}
	p.config = newFositeConfig(d)
	store := fositestore.New(d.Store)
	store.NewSession = func() fosite.Session { return newSession("", "ES256") }
	p.clients = &clientGuard{Store: store}
	p.signer = &signer{keys: d.Keys}

	p.compose(store)
	return p, nil
}

// compose builds fosite's handlers over the store and registers them.
func (p *Provider) compose(store *fositestore.Store) {
	hmacStrategy := oauth2.NewHMACSHAStrategyUnPrefixed(&enigma.HMACStrategy{Config: p.config}, p.config)
	jwtStrategy := &oauth2.DefaultJWTStrategy{Signer: p.signer, HMACSHAStrategy: hmacStrategy, Config: p.config}
	idStrategy := &openid.DefaultStrategy{Signer: p.signer, Config: p.config}

	codeHandler := &oauth2.AuthorizeExplicitGrantHandler{
		AccessTokenStrategy:    jwtStrategy,
		RefreshTokenStrategy:   hmacStrategy,
		AuthorizeCodeStrategy:  hmacStrategy,
		CoreStorage:            store,
		TokenRevocationStorage: store,
		Config:                 p.config,
	}
	refreshHandler := &oauth2.RefreshTokenGrantHandler{
		AccessTokenStrategy:    jwtStrategy,
		RefreshTokenStrategy:   hmacStrategy,
		TokenRevocationStorage: store,
		Config:                 p.config,
	}
	clientCredentialsHandler := &oauth2.ClientCredentialsGrantHandler{
		HandleHelper: &oauth2.HandleHelper{AccessTokenStrategy: jwtStrategy, AccessTokenStorage: store, Config: p.config},
		Config:       p.config,
	}
	idHelper := &openid.IDTokenHandleHelper{IDTokenStrategy: idStrategy}
	oidcHandler := &openid.OpenIDConnectExplicitHandler{
		OpenIDConnectRequestStorage:   store,
		IDTokenHandleHelper:           idHelper,
		OpenIDConnectRequestValidator: openid.NewOpenIDConnectRequestValidator(p.signer, p.config),
		Config:                        p.config,
	}
	oidcRefreshHandler := &openid.OpenIDConnectRefreshHandler{IDTokenHandleHelper: idHelper, Config: p.config}
	pkceHandler := &pkce.Handler{AuthorizeCodeStrategy: hmacStrategy, Storage: store, Config: p.config}
	introspector := &oauth2.CoreValidator{CoreStrategy: jwtStrategy, CoreStorage: store, Config: p.config}
	revoker := &oauth2.TokenRevocationHandler{
		TokenRevocationStorage: store,
		AccessTokenStrategy:    jwtStrategy,
		RefreshTokenStrategy:   hmacStrategy,
	}

	p.config.AuthorizeEndpointHandlers = fosite.AuthorizeEndpointHandlers{codeHandler, oidcHandler, pkceHandler}
	p.config.TokenEndpointHandlers = fosite.TokenEndpointHandlers{
		codeHandler, refreshHandler, clientCredentialsHandler, oidcHandler, oidcRefreshHandler, pkceHandler,
	}
	p.config.TokenIntrospectionHandlers = fosite.TokenIntrospectionHandlers{introspector}
	p.config.RevocationHandlers = fosite.RevocationHandlers{revoker}
	p.oauth = &fosite.Fosite{Store: p.clients, Config: p.config}
}

func newFositeConfig(d Deps) *tenantConfig {
	return &tenantConfig{
		baseURL: d.BaseURL,
		Config: &fosite.Config{
			GlobalSecret:                   d.Secret,
			RotatedGlobalSecrets:           d.PreviousSecrets,
			HMACHasher:                     sha256.New,
			ClientSecretsHasher:            fositestore.SecretHasher{},
			EnforcePKCEForPublicClients:    true,
			EnablePKCEPlainChallengeMethod: false,
			MinParameterEntropy:            8,
			AllowedPromptValues:            []string{"login", "none", "consent", "select_account"},
			ScopeStrategy:                  fosite.ExactScopeStrategy,
			AudienceMatchingStrategy:       fosite.ExactAudienceMatchingStrategy,
			RedirectSecureChecker:          isSecureRedirect,
			FormPostHTMLTemplate:           formPostTemplate,
			SendDebugMessagesToClients:     false,
			JWKSFetcherStrategy:            fosite.NewDefaultJWKSFetcherStrategy(),
		},
	}
}

// isSecureRedirect accepts https, loopback http and private-use schemes (RFC 8252).
func isSecureRedirect(_ context.Context, u *url.URL) bool {
	switch u.Scheme {
	case "https":
		return true
	case "http":
		h := u.Hostname()
		return h == "localhost" || h == "127.0.0.1" || h == "::1"
	default:
		return u.Scheme != "" && u.Scheme != "javascript" && u.Scheme != "data"
	}
}

// clientGuard scopes client lookups to the tenant in the context: a client of
// another tenant is "not found".
type clientGuard struct {
	*fositestore.Store
}

// GetClient returns the client only when it belongs to the request's tenant.
func (g *clientGuard) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	c, err := g.Store.GetClient(ctx, id)
	if err != nil {
		return nil, err
	}
	t := tenancy.FromContext(ctx)
	app := applicationOf(c)
	if t == nil || app == nil || app.TenantID != t.ID {
		return nil, fmt.Errorf("%w: client %q is not registered in this tenant", fosite.ErrNotFound, id)
	}
	return c, nil
}

// applicationOf returns the Sigil application behind a fosite client.
func applicationOf(c fosite.Client) *storage.Application {
	if fc, ok := c.(*fositestore.Client); ok {
		return fc.Application()
	}
	return nil
}
