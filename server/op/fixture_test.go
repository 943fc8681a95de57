package op_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/server/op"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

const rpCallback = "https://rp.example.test/callback"

// fixture is a real provider on a real TLS server over a real store, with a
// stand-in sign-in step that signs the fixture user in at once (the pages are
// tested in server/authflow and end to end in server).
type fixture struct {
	t        *testing.T
	ctx      context.Context
	store    storage.Storage
	keys     *keys.Manager
	provider *op.Provider
	srv      *httptest.Server
	http     *http.Client
	tenant   *storage.Tenant
	domain   string
	user     *storage.User
	web      *storage.Application
	secret   string
	spa      *storage.Application
	issuer   string
	signIn   *instantSignIn
}

func newFixture(t *testing.T, open func(testing.TB) storage.Storage) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: t.Context(), store: open(t), domain: "contoso-" + uuid.NewString()[:8] + ".test"}
	master := []byte("0123456789abcdef0123456789abcdef-test-master")
	var err error
	if f.keys, err = keys.NewManager(f.store, [][]byte{master}, keys.Options{}); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	f.srv = httptest.NewUnstartedServer(mux)
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	f.signIn = &instantSignIn{f: f}
	f.provider, err = op.New(op.Deps{
		Store: f.store, Keys: f.keys, Tenants: tenancy.Resolver{Store: f.store}, Pages: fakePages{},
		BaseURL: f.srv.URL, Secret: []byte("fosite-hmac-secret-for-tests-0123456789"),
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.provider.SignIn = f.signIn
	f.provider.Mount(mux)
	f.seed()
	f.http = f.srv.Client()
	f.http.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host != strings.TrimPrefix(f.srv.URL, "https://") {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return f
}

func sqlite(tb testing.TB) storage.Storage   { return gormstoretest.SQLite(tb) }
func postgres(tb testing.TB) storage.Storage { return gormstoretest.Postgres(tb) }

func (f *fixture) seed() {
	t, ctx := f.t, f.ctx
	f.tenant = &storage.Tenant{ID: uuid.NewString(), DisplayName: "Contoso"}
	must(t, f.store.CreateTenant(ctx, f.tenant, []storage.Domain{{Name: f.domain, TenantID: f.tenant.ID, Verified: true, Initial: true}}))
	must(t, f.keys.EnsureTenantKeys(ctx, f.tenant.ID))
	f.issuer = f.srv.URL + "/" + f.tenant.ID + "/v2.0"
	f.user = &storage.User{
		ID: uuid.NewString(), TenantID: f.tenant.ID, UserPrincipalName: "adele@" + f.domain,
		DisplayName: "Adele Vance", GivenName: "Adele", Surname: "Vance", Mail: "Adele@" + f.domain,
		UserType: storage.UserTypeMember, AccountEnabled: true,
	}
	must(t, f.store.CreateUser(ctx, f.user))
	f.web, f.secret = f.newApp(f.tenant.ID, false, "ES256")
	f.spa, _ = f.newApp(f.tenant.ID, true, "ES256")
}

// newApp registers an application; confidential ones get a secret.
func (f *fixture) newApp(tenantID string, public bool, alg string) (*storage.Application, string) {
	app := &storage.Application{
		ID: uuid.NewString(), TenantID: tenantID, DisplayName: "App", Public: public, FirstParty: true,
		RedirectURIs:            []string{rpCallback, "http://127.0.0.1:8400/cb"},
		PostLogoutRedirectURIs:  []string{"https://rp.example.test/signed-out"},
		GrantTypes:              []string{"authorization_code", "refresh_token"},
		Scopes:                  []string{"openid", "profile", "email", "offline_access"},
		TokenEndpointAuthMethod: storage.AuthMethodNone, SigningAlg: alg,
		SubjectSalt: []byte(uuid.NewString()),
	}
	var secret string
	if !public {
		var digest []byte
		var hint string
		var err error
		secret, digest, hint, err = credential.NewClientSecret()
		must(f.t, err)
		app.Secrets = []storage.ClientSecret{{ID: uuid.NewString(), Hint: hint, Digest: digest, CreatedAt: time.Now().UTC()}}
		app.TokenEndpointAuthMethod = storage.AuthMethodClientSecretBasic
		app.GrantTypes = append(app.GrantTypes, "client_credentials")
	}
	must(f.t, f.store.CreateApplication(f.ctx, app))
	return app, secret
}

// oauth2Config is a relying party of app as golang.org/x/oauth2 sees it.
func (f *fixture) oauth2Config(app *storage.Application, secret string) *oauth2.Config {
	base := f.srv.URL + "/" + f.tenant.ID
	return &oauth2.Config{
		ClientID: app.ID, ClientSecret: secret, RedirectURL: rpCallback,
		Scopes:   []string{oidc.ScopeOpenID, "profile", "email", oidc.ScopeOfflineAccess},
		Endpoint: oauth2.Endpoint{AuthURL: base + "/oauth2/v2.0/authorize", TokenURL: base + "/oauth2/v2.0/token"},
	}
}

// clientCtx makes oauth2 and go-oidc use the test server's TLS client.
func (f *fixture) clientCtx() context.Context {
	return oidc.ClientContext(f.ctx, f.srv.Client())
}

// authorize sends the browser to the authorize URL and returns the response
// that leaves the provider (a redirect to the client or an error page).
func (f *fixture) authorize(authURL string) *http.Response {
	f.t.Helper()
	resp, err := f.http.Get(authURL)
	must(f.t, err)
	f.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// codeFrom returns the redirect's query, failing unless it went to the client.
func (f *fixture) redirectQuery(resp *http.Response) url.Values {
	f.t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		body, _ := io.ReadAll(resp.Body)
		f.t.Fatalf("authorize: status %d, want 303 to the client; body %s", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	must(f.t, err)
	return loc.Query()
}

// signInWithCode runs the code flow with PKCE and returns the tokens.
func (f *fixture) signInWithCode(conf *oauth2.Config, nonce string) *oauth2.Token {
	f.t.Helper()
	verifier := oauth2.GenerateVerifier()
	q := f.redirectQuery(f.authorize(conf.AuthCodeURL("state-1234", oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))))
	if q.Get("error") != "" {
		f.t.Fatalf("authorize error %s: %s", q.Get("error"), q.Get("error_description"))
	}
	tok, err := conf.Exchange(f.clientCtx(), q.Get("code"), oauth2.VerifierOption(verifier))
	must(f.t, err)
	return tok
}

// instantSignIn stands in for server/authflow: it signs the fixture user in
// without pages and completes the flow.
type instantSignIn struct {
	f   *fixture
	mu  sync.Mutex
	sid string
}

func (s *instantSignIn) Start(w http.ResponseWriter, r *http.Request, flow *storage.Flow) {
	s.mu.Lock()
	if s.sid == "" {
		s.sid = uuid.NewString()
	}
	flow.SessionID = s.sid
	s.mu.Unlock()
	now := time.Now().UTC()
	flow.UserID, flow.AuthTime, flow.AMR = s.f.user.ID, &now, []string{"pwd"}
	form, _ := url.ParseQuery(flow.AuthorizeForm)
	flow.GrantedScopes = strings.Fields(form.Get("scope"))
	s.f.provider.Complete(w, r, flow)
}

func (s *instantSignIn) SignOut(http.ResponseWriter, *http.Request, string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sid := s.sid
	s.sid = ""
	return sid, nil
}

func (s *instantSignIn) LogoutToken(http.ResponseWriter, *http.Request, string) string {
	return "logout-token"
}

func (s *instantSignIn) CheckLogoutToken(r *http.Request, _ string) bool {
	return r.PostForm.Get("csrf_token") == "logout-token"
}

// fakePages renders a recognisable plain-text page.
type fakePages struct{}

func (fakePages) Error(w http.ResponseWriter, _ *http.Request, status int, title, message string) {
	w.WriteHeader(status)
	fmt.Fprintf(w, "ERROR PAGE: %s: %s", title, message)
}

func (fakePages) Render(w http.ResponseWriter, _ *http.Request, status int, name string, _ any) {
	w.WriteHeader(status)
	fmt.Fprintf(w, "PAGE: %s", name)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// otherTenant creates a second tenant and returns its ID.
func (f *fixture) otherTenant() string {
	t := &storage.Tenant{ID: uuid.NewString(), DisplayName: "Fabrikam"}
	must(f.t, f.store.CreateTenant(f.ctx, t, []storage.Domain{{Name: "fabrikam-" + t.ID[:8] + ".test", TenantID: t.ID, Verified: true}}))
	must(f.t, f.keys.EnsureTenantKeys(f.ctx, t.ID))
	return t.ID
}
