package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/account"
	"github.com/sigil-idp/sigil/server/authflow"
	"github.com/sigil-idp/sigil/server/branding"
	"github.com/sigil-idp/sigil/server/config"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/server/mfa/approver"
	"github.com/sigil-idp/sigil/server/op"
	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// Deps are what the router is built over.
type Deps struct {
	Config config.Config
	Store  storage.Storage
	Keys   *keys.Manager
	Logger *slog.Logger
	// Demo, when set, mounts the built-in demo relying party at /demo/.
	Demo *directory.Demo
	// TemplateDir optionally overrides embedded templates and static assets.
	TemplateDir string
}

// New wires every handler and returns the application mux (without the
// operations endpoints and middleware, which server/httpserver adds).
func New(ctx context.Context, d Deps) (http.Handler, error) {
	if d.Store == nil || d.Keys == nil {
		return nil, errors.New("server: store and key manager are required")
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	masters, err := d.Config.MasterSecrets()
	if err != nil {
		return nil, err
	}
	secrets, err := deriveKeys(masters)
	if err != nil {
		return nil, err
	}
	brands := &branding.Service{Store: d.Store}
	pages, err := page.New(page.Options{OverrideDir: d.TemplateDir, Logger: d.Logger, Brands: brands})
	if err != nil {
		return nil, err
	}
	baseURL := strings.TrimRight(d.Config.PublicURL, "/")
	// Tenants are cached for 30 s: every protocol request resolves one, and the
	// JWKS endpoint then needs no database at all.
	tenants := tenancy.Resolver{Store: d.Store, Cache: &tenancy.Cache{TTL: 30 * time.Second}}
	roles := &directory.Roles{Store: d.Store, Groups: directory.StoreGroups{Store: d.Store}}
	accessSvc, accessCfg, err := accessService(d, roles)
	if err != nil {
		return nil, err
	}

	provider, err := op.New(op.Deps{
		Store:           d.Store,
		Keys:            d.Keys,
		Tenants:         tenants,
		Pages:           pages,
		Claims:          &directory.ClaimFacts{Store: d.Store, Roles: roles},
		BaseURL:         baseURL,
		Secret:          secrets.oauthHMAC,
		PreviousSecrets: secrets.oauthHMACOld,
		Logger:          d.Logger,
	})
	if err != nil {
		return nil, err
	}
	methods, err := mfaMethods(d.Store, pages, masters, baseURL)
	if err != nil {
		return nil, err
	}
	proxies, err := d.Config.TrustedProxyPrefixes()
	if err != nil {
		return nil, err
	}
	signIn := &authflow.Handler{
		Store:           d.Store,
		Tenants:         tenants,
		Authorizer:      provider,
		Pages:           pages,
		Sessions:        authflow.NewSessionCookies(secrets.sessionPairs...),
		Secret:          secrets.flow,
		Logger:          d.Logger,
		MinResponse:     d.Config.MinLoginResponse,
		InsecureCookies: d.Config.InsecureCookies,
		MFA:             methods.registry,
		Passwordless:    methods.passwordless,
		Assignments:     roles,
		TrustedProxies:  proxies,
		Access:          accessSvc,
		SignIns:         accessSvc,
		Terms:           accessCfg,
	}
	provider.SignIn = signIn
	provider.Access, provider.TrustedProxies = accessSvc, proxies

	mux := http.NewServeMux()
	provider.Mount(mux)
	signIn.Mount(mux)
	(&account.Handler{
		Store: d.Store, Tenants: tenants, Pages: pages, SignIn: signIn,
		MFA: methods.registry, Recovery: methods.recovery, Secret: methods.accountKey, Logger: d.Logger, Roles: roles,
	}).Mount(mux)
	(&approver.Pages{
		Store: d.Store, Tenants: tenants, Pages: pages, Sessions: signIn, Secret: methods.approverKey, Logger: d.Logger,
	}).Mount(mux)
	mux.Handle("GET "+page.StaticPrefix, pages.StaticHandler())
	adminHandler, err := adminAPI(d, masters, baseURL, d.Logger, accessSvc)
	if err != nil {
		return nil, err
	}
	adminHandler.Mount(mux)
	(&branding.Handler{Service: brands, Tenants: tenants, Pages: pages}).Mount(mux)
	if d.Demo != nil {
		(&demoApp{demo: d.Demo, pages: pages, baseURL: baseURL}).mount(mux)
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		pages.Render(w, r, http.StatusOK, "home", nil)
	})
	return mux, nil
}
