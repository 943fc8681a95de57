package directory

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/storage"
)

// Fixed names of the demo directory, by which later runs find it again.
const (
	DemoTenantName  = "Sigil Demo"
	DemoDomain      = "demo.sigil.localhost"
	DemoUserUPN     = "alex@" + DemoDomain
	DemoUserName    = "Alex Demo"
	DemoWebAppName  = "Demo Web App"
	DemoSPAName     = "Demo SPA"
	DemoSPARedirect = "http://localhost:3000/callback"
)

// Demo describes the quick-start directory. UserPassword and WebClientSecret are
// set only by the run that generated them; they are stored only as hashes.
type Demo struct {
	TenantID        string
	Domain          string
	Issuer          string
	UserUPN         string
	UserPassword    string
	WebClientID     string
	WebClientSecret string
	SPAClientID     string
	Created         bool // the demo tenant was created by this run
}

// EnsureDemo creates, or finds again, the quick-start directory used by
// `sigil demo`: the tenant DemoTenantName on DemoDomain, the user DemoUserUPN
// with a generated password, a first-party confidential web application
// redirecting to baseURL/demo/callback, and a public SPA on DemoSPARedirect
// that is not first-party (so it shows consent). Missing pieces are recreated;
// the web application gains baseURL's redirect URIs when baseURL changed.
func (s *Service) EnsureDemo(ctx context.Context, baseURL string) (*Demo, error) {
	if s.Keys == nil {
		return nil, errNoKeys
	}
	base, err := demoBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	var demo *Demo
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		demo = &Demo{Domain: DemoDomain, UserUPN: DemoUserUPN}
		if err := s.ensureDemoTenant(ctx, demo); err != nil {
			return err
		}
		if err := s.ensureDemoUser(ctx, demo); err != nil {
			return err
		}
		return s.ensureDemoApps(ctx, demo, base)
	})
	if err != nil {
		return nil, fmt.Errorf("directory: demo: %w", err)
	}
	demo.Issuer = base + "/" + demo.TenantID + "/v2.0"
	return demo, nil
}

// demoBaseURL checks baseURL and returns it without a trailing slash.
func demoBaseURL(baseURL string) (string, error) {
	base := strings.TrimRight(strings.TrimSpace(baseURL), "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("directory: demo base URL %q must be an absolute http(s) URL without query or fragment", baseURL)
	}
	return base, nil
}

func (s *Service) ensureDemoTenant(ctx context.Context, demo *Demo) error {
	t, err := s.GetTenant(ctx, DemoDomain)
	switch {
	case errors.Is(err, ErrTenantNotFound):
		if t, err = s.CreateTenant(ctx, NewTenant{DisplayName: DemoTenantName, Domain: DemoDomain,
			// The demo signs in with a password alone; `sigil tenant
			// security-defaults --enabled true` shows the defaults at work.
			WithoutSecurityDefaults: true}); err != nil {
			return err
		}
		demo.Created = true
	case err != nil:
		return err
	default:
		if err := s.Keys.EnsureTenantKeys(ctx, t.ID); err != nil {
			return err
		}
	}
	demo.TenantID = t.ID
	return nil
}

func (s *Service) ensureDemoUser(ctx context.Context, demo *Demo) error {
	_, err := s.GetUser(ctx, demo.TenantID, DemoUserUPN)
	if !errors.Is(err, ErrUserNotFound) {
		return err
	}
	password := credential.GeneratePassword()
	_, err = s.CreateUser(ctx, demo.TenantID, NewUser{
		UserPrincipalName: DemoUserUPN, DisplayName: DemoUserName,
		GivenName: "Alex", Surname: "Demo", Mail: DemoUserUPN, Password: password,
	})
	if err != nil {
		return err
	}
	demo.UserPassword = password
	return nil
}

func (s *Service) ensureDemoApps(ctx context.Context, demo *Demo, base string) error {
	apps, err := s.Store.ListApplications(ctx, demo.TenantID)
	if err != nil {
		return err
	}
	web := NewApplication{
		DisplayName: DemoWebAppName, FirstParty: true,
		RedirectURIs: []string{base + "/demo/callback"}, PostLogoutRedirectURIs: []string{base + "/demo/"},
	}
	if demo.WebClientID, demo.WebClientSecret, err = s.ensureDemoApp(ctx, demo.TenantID, apps, web); err != nil {
		return err
	}
	spa := NewApplication{DisplayName: DemoSPAName, Public: true, RedirectURIs: []string{DemoSPARedirect}}
	demo.SPAClientID, _, err = s.ensureDemoApp(ctx, demo.TenantID, apps, spa)
	return err
}

// ensureDemoApp finds the application by display name, adding any redirect URI
// of want it lacks, or creates it. It returns the client ID and, when created,
// the client secret.
func (s *Service) ensureDemoApp(ctx context.Context, tenantID string, apps []storage.Application, want NewApplication) (string, string, error) {
	i := slices.IndexFunc(apps, func(a storage.Application) bool { return a.DisplayName == want.DisplayName })
	if i < 0 {
		app, secret, err := s.CreateApplication(ctx, tenantID, want)
		if err != nil {
			return "", "", err
		}
		return app.ID, secret, nil
	}
	app := apps[i]
	missing := func(have []string, add []string) []string {
		for _, uri := range add {
			if !slices.Contains(have, uri) {
				have = append(have, uri)
			}
		}
		return have
	}
	redirects := missing(slices.Clone(app.RedirectURIs), want.RedirectURIs)
	postLogout := missing(slices.Clone(app.PostLogoutRedirectURIs), want.PostLogoutRedirectURIs)
	if len(redirects) == len(app.RedirectURIs) && len(postLogout) == len(app.PostLogoutRedirectURIs) {
		return app.ID, "", nil
	}
	var p problems
	checkRedirectURIs("redirectUris", redirects, app.Public, &p)
	checkRedirectURIs("postLogoutRedirectUris", postLogout, app.Public, &p)
	if err := p.err(); err != nil {
		return "", "", err
	}
	app.RedirectURIs, app.PostLogoutRedirectURIs = redirects, postLogout
	if !slices.Contains(app.GrantTypes, GrantAuthorizationCode) {
		app.GrantTypes = append(app.GrantTypes, GrantAuthorizationCode, GrantRefreshToken)
	}
	return app.ID, "", s.Store.UpdateApplication(ctx, &app)
}
