package servertest

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server"
	"github.com/sigil-idp/sigil/server/config"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/httpserver"
	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/storage"
)

// Callback is the redirect URI registered for the seeded applications; the
// browser stops when it is sent there.
const Callback = "https://rp.example.test/callback"

// SignedOut is the registered post-logout redirect URI.
const SignedOut = "https://rp.example.test/signed-out"

// Password is the seeded user's password.
const Password = "correct horse battery staple"

// Env is one running Sigil with a seeded tenant.
type Env struct {
	TB        testing.TB
	Store     storage.Storage
	Keys      *keys.Manager
	Directory *directory.Service
	Server    *httptest.Server
	Tenant    *storage.Tenant
	Domain    string
	Issuer    string
	User      *storage.User
	// Web is a confidential first-party app, WebSecret its secret; ThirdParty
	// is a confidential app that needs consent; SPA a public app.
	Web, ThirdParty, SPA   *storage.Application
	WebSecret, ThirdSecret string
	MinLoginResponse       time.Duration
}

// Options tune New.
type Options struct {
	// MinLoginResponse pads password answers (default 50ms, to keep tests fast).
	MinLoginResponse time.Duration
	Logger           *slog.Logger
	// TrustedProxies are passed to the server's config (trusted_proxies): with
	// 127.0.0.1 listed, a test browser's X-Forwarded-For sets its address.
	TrustedProxies []string
	// Host, when set (a name under example.com, which the test certificate
	// covers), is the server's public host name: Env.Server.URL and the issuer
	// use it and every connection of the test clients goes to the test
	// server. WebAuthn needs it: a relying party ID cannot be an IP address.
	Host string
	// SecurityDefaults creates the tenant with security defaults on, as a
	// new tenant is in production (F-14). Off by default so that tests of
	// other features sign in with a password alone.
	SecurityDefaults bool
}

// New starts Sigil over store and seeds a tenant, a user and three apps.
func New(tb testing.TB, store storage.Storage, opts Options) *Env {
	tb.Helper()
	if opts.MinLoginResponse == 0 {
		opts.MinLoginResponse = 50 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	master := []byte("servertest master secret: 32+ bytes of key material")
	km, err := keys.NewManager(store, [][]byte{master}, keys.Options{})
	must(tb, err)
	e := &Env{TB: tb, Store: store, Keys: km, MinLoginResponse: opts.MinLoginResponse,
		Directory: &directory.Service{Store: store, Keys: km}}
	mux := http.NewServeMux()
	e.Server = httptest.NewUnstartedServer(mux)
	e.Server.StartTLS()
	tb.Cleanup(e.Server.Close)
	if opts.Host != "" {
		e.serveAs(opts.Host)
	}

	cfg := config.Default()
	cfg.PublicURL = e.Server.URL
	cfg.MasterSecret = base64.StdEncoding.EncodeToString(master)
	cfg.MinLoginResponse = opts.MinLoginResponse
	cfg.TrustedProxies = opts.TrustedProxies
	app, err := server.New(context.Background(), server.Deps{Config: cfg, Store: store, Keys: km, Logger: opts.Logger})
	must(tb, err)
	mux.Handle("/", httpserver.Handler(app, httpserver.Options{Logger: opts.Logger, HSTS: true, Health: httpserver.Health{Ping: store.Ping}}))
	e.seed(opts)
	return e
}

// serveAs makes host the server's public name: the test clients' transport
// dials the test server whatever the host, and Server.URL names host.
func (e *Env) serveAs(host string) {
	addr := e.Server.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	tr := e.Server.Client().Transport.(*http.Transport)
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	e.Server.URL = "https://" + host + ":" + port
}

func (e *Env) seed(opts Options) {
	ctx := context.Background()
	var err error
	e.Domain = "contoso-" + randomHex(4) + ".test"
	e.Tenant, err = e.Directory.CreateTenant(ctx, directory.NewTenant{DisplayName: "Contoso", Domain: e.Domain,
		WithoutSecurityDefaults: !opts.SecurityDefaults})
	must(e.TB, err)
	e.Issuer = e.Server.URL + "/" + e.Tenant.ID + "/v2.0"
	e.User, err = e.Directory.CreateUser(ctx, e.Tenant.ID, directory.NewUser{
		UserPrincipalName: "adele@" + e.Domain, DisplayName: "Adele Vance", GivenName: "Adele", Surname: "Vance",
		Mail: "adele@" + e.Domain, Password: Password,
	})
	must(e.TB, err)
	e.Web, e.WebSecret = e.App(directory.NewApplication{DisplayName: "Contoso Web", FirstParty: true})
	e.ThirdParty, e.ThirdSecret = e.App(directory.NewApplication{DisplayName: "Fabrikam Reports"})
	e.SPA, _ = e.App(directory.NewApplication{DisplayName: "Contoso SPA", Public: true})
}

// App registers another application in the tenant with the standard redirect URIs.
func (e *Env) App(in directory.NewApplication) (*storage.Application, string) {
	e.TB.Helper()
	in.RedirectURIs = []string{Callback}
	in.PostLogoutRedirectURIs = []string{SignedOut}
	a, secret, err := e.Directory.CreateApplication(context.Background(), e.Tenant.ID, in)
	must(e.TB, err)
	return a, secret
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
