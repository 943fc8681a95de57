package conformance

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/oauth2"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/token/hmac"

	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/fositestore"
)

const (
	fositeRedirectURI = "https://app.example/callback"
	fositeTokenURL    = "https://sigil.test/oauth2/v2.0/token"
)

// fositeSession is a fosite session shaped like the server's: OpenID Connect
// claims plus the identifiers the adapter indexes records by (SessionInfo).
type fositeSession struct {
	*openid.DefaultSession
	Tenant  string `json:"tenant_id"`
	User    string `json:"user_id,omitempty"`
	Browser string `json:"browser_session_id,omitempty"`
}

var _ fositestore.SessionInfo = (*fositeSession)(nil)

func newFositeSession() *fositeSession {
	return &fositeSession{DefaultSession: openid.NewDefaultSession()}
}

func (s *fositeSession) TenantID() string         { return s.Tenant }
func (s *fositeSession) UserID() string           { return s.User }
func (s *fositeSession) BrowserSessionID() string { return s.Browser }

// Clone keeps the concrete type, as fosite's refresh flow requires.
func (s *fositeSession) Clone() fosite.Session {
	c := *s
	c.DefaultSession = s.DefaultSession.Clone().(*openid.DefaultSession)
	return &c
}

// fositeHarness is one tenant with one confidential web application, the
// adapter over the store under test, and a fosite provider composed the way
// server/op composes it: explicit handlers, HMAC token strategy, SHA-256
// client-secret hasher.
type fositeHarness struct {
	store    storage.Storage
	adapter  *fositestore.Store
	provider *fosite.Fosite
	strategy *oauth2.HMACSHAStrategy
	tenant   *storage.Tenant
	app      *storage.Application
	secret   string
}

func newFositeHarness(t *testing.T, st storage.Storage) *fositeHarness {
	t.Helper()
	h := &fositeHarness{store: st, adapter: fositestore.New(st)}
	h.tenant, h.app, h.secret = seedFositeClient(t, st)

	config := &fosite.Config{
		GlobalSecret:          fositeRandomBytes(t, 32),
		AccessTokenLifespan:   time.Hour,
		RefreshTokenLifespan:  24 * time.Hour,
		AuthorizeCodeLifespan: 5 * time.Minute,
		ClientSecretsHasher:   fositestore.SecretHasher{},
		ScopeStrategy:         fosite.ExactScopeStrategy,
		TokenURL:              fositeTokenURL,
	}
	h.strategy = oauth2.NewHMACSHAStrategy(&hmac.HMACStrategy{Config: config}, config)
	codeHandler := &oauth2.AuthorizeExplicitGrantHandler{
		AccessTokenStrategy:    h.strategy,
		RefreshTokenStrategy:   h.strategy,
		AuthorizeCodeStrategy:  h.strategy,
		CoreStorage:            h.adapter,
		TokenRevocationStorage: h.adapter,
		Config:                 config,
	}
	refreshHandler := &oauth2.RefreshTokenGrantHandler{
		AccessTokenStrategy:    h.strategy,
		RefreshTokenStrategy:   h.strategy,
		TokenRevocationStorage: h.adapter,
		Config:                 config,
	}
	config.AuthorizeEndpointHandlers = fosite.AuthorizeEndpointHandlers{codeHandler}
	config.TokenEndpointHandlers = fosite.TokenEndpointHandlers{codeHandler, refreshHandler}
	config.TokenIntrospectionHandlers = fosite.TokenIntrospectionHandlers{
		&oauth2.CoreValidator{CoreStrategy: h.strategy, CoreStorage: h.adapter, Config: config},
	}
	h.provider = &fosite.Fosite{Store: h.adapter, Config: config}
	return h
}

// seedFositeClient creates a tenant and a confidential web application through
// the plain storage API and returns the application's secret.
func seedFositeClient(t *testing.T, st storage.Storage) (*storage.Tenant, *storage.Application, string) {
	t.Helper()
	tenant := &storage.Tenant{ID: uuid.NewString(), DisplayName: "Fosite conformance"}
	if err := st.CreateTenant(t.Context(), tenant, nil); err != nil {
		t.Fatalf("CreateTenant: %v", err)
	}
	secret := hex.EncodeToString(fositeRandomBytes(t, 32))
	digest := sha256.Sum256([]byte(secret))
	app := &storage.Application{
		ID:                      uuid.NewString(),
		TenantID:                tenant.ID,
		DisplayName:             "Web app",
		RedirectURIs:            []string{fositeRedirectURI},
		Scopes:                  []string{"openid", "profile", "offline_access"},
		TokenEndpointAuthMethod: storage.AuthMethodClientSecretBasic,
		Secrets: []storage.ClientSecret{{
			ID: uuid.NewString(), Hint: secret[:3], Digest: digest[:], CreatedAt: time.Now().UTC(),
		}},
	}
	if err := st.CreateApplication(t.Context(), app); err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	return tenant, app, secret
}

func fositeRandomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random: %v", err)
	}
	return b
}

// userSession is the session the sign-in flow would hand fosite for a user.
func (h *fositeHarness) userSession() *fositeSession {
	s := newFositeSession()
	s.Tenant = h.tenant.ID
	s.User = uuid.NewString()
	s.Browser = uuid.NewString()
	s.Claims.Subject = s.User
	return s
}

// request builds a stored-request shape as fosite's handlers hand it to the
// store, with every token expiry set.
func (h *fositeHarness) request(t *testing.T) *fosite.Request {
	t.Helper()
	client, err := h.adapter.GetClient(t.Context(), h.app.ID)
	if err != nil {
		t.Fatalf("GetClient: %v", err)
	}
	session := h.userSession()
	now := time.Now().UTC().Round(time.Second)
	for _, tt := range []fosite.TokenType{fosite.AuthorizeCode, fosite.AccessToken, fosite.RefreshToken} {
		session.SetExpiresAt(tt, now.Add(time.Hour))
	}
	req := fosite.NewRequest()
	req.ID = uuid.NewString()
	req.RequestedAt = now
	req.Client = client
	req.RequestedScope = fosite.Arguments{"openid", "offline_access"}
	req.GrantedScope = fosite.Arguments{"openid", "offline_access"}
	req.Form = url.Values{"redirect_uri": {fositeRedirectURI}}
	req.Session = session
	return req
}

// authorize runs fosite's authorize endpoint for the harness's application.
func (h *fositeHarness) authorize(t *testing.T) string {
	t.Helper()
	return h.authorizeFor(t, h.app.ID)
}

// authorizeFor runs fosite's authorize endpoint for a client, grants what was
// asked, and returns the issued code.
func (h *fositeHarness) authorizeFor(t *testing.T, clientID string) string {
	t.Helper()
	q := url.Values{
		"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {fositeRedirectURI},
		"scope": {"openid offline_access"}, "state": {"state-" + uuid.NewString()},
	}
	r := httptest.NewRequest(http.MethodGet, "https://sigil.test/authorize?"+q.Encode(), nil)
	ar, err := h.provider.NewAuthorizeRequest(r.Context(), r)
	if err != nil {
		t.Fatalf("NewAuthorizeRequest: %v", fosite.ErrorToRFC6749Error(err).WithExposeDebug(true).GetDescription())
	}
	for _, scope := range ar.GetRequestedScopes() {
		ar.GrantScope(scope)
	}
	resp, err := h.provider.NewAuthorizeResponse(r.Context(), ar, h.userSession())
	if err != nil {
		t.Fatalf("NewAuthorizeResponse: %v", fosite.ErrorToRFC6749Error(err).WithExposeDebug(true).GetDescription())
	}
	code := resp.GetParameters().Get("code")
	if code == "" {
		t.Fatalf("the authorize response carries no code")
	}
	return code
}

// tokenResponse is what a client reads from the token endpoint.
type tokenResponse struct {
	Status       int    `json:"-"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	Error        string `json:"error"`
	Description  string `json:"error_description"`
}

// token posts form to fosite's token endpoint, authenticating the application
// with HTTP Basic and the given secret. It is safe to call from goroutines, as
// is tokenWith.
func (h *fositeHarness) token(t *testing.T, form url.Values, secret string) tokenResponse {
	t.Helper()
	return h.tokenWith(t, form, func(r *http.Request) {
		r.SetBasicAuth(url.QueryEscape(h.app.ID), url.QueryEscape(secret))
	})
}

// tokenWith posts form to fosite's token endpoint after authenticate has
// prepared the request (nil: the form carries the client's credentials).
func (h *fositeHarness) tokenWith(t *testing.T, form url.Values, authenticate func(*http.Request)) tokenResponse {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, fositeTokenURL, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if authenticate != nil {
		authenticate(r)
	}
	w := httptest.NewRecorder()
	ctx := r.Context()
	accessReq, err := h.provider.NewAccessRequest(ctx, r, newFositeSession())
	if err == nil {
		var resp fosite.AccessResponder
		if resp, err = h.provider.NewAccessResponse(ctx, accessReq); err == nil {
			h.provider.WriteAccessResponse(ctx, w, accessReq, resp)
		}
	}
	if err != nil {
		h.provider.WriteAccessError(ctx, w, accessReq, err)
	}
	out := tokenResponse{Status: w.Code}
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		// Errorf, not Fatalf: token is also called from goroutines.
		t.Errorf("token endpoint answered %d with a body that is not JSON: %v", w.Code, err)
	}
	return out
}

func (h *fositeHarness) exchangeCode(t *testing.T, code string) tokenResponse {
	t.Helper()
	return h.token(t, url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {fositeRedirectURI},
	}, h.secret)
}

func (h *fositeHarness) refresh(t *testing.T, refreshToken string) tokenResponse {
	t.Helper()
	return h.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}, h.secret)
}

// introspect asks fosite's introspection handler about token; it returns nil
// for an active token and fosite's error otherwise.
func (h *fositeHarness) introspect(t *testing.T, token string, use fosite.TokenUse) error {
	t.Helper()
	_, _, err := h.provider.IntrospectToken(t.Context(), token, use, newFositeSession())
	return err
}

// mustIssueTokens asserts a successful token response carrying both tokens.
func mustIssueTokens(t *testing.T, what string, resp tokenResponse) tokenResponse {
	t.Helper()
	if resp.Status != http.StatusOK || resp.AccessToken == "" || resp.RefreshToken == "" {
		t.Fatalf("%s: status %d error %q (%s), want 200 with access and refresh tokens",
			what, resp.Status, resp.Error, resp.Description)
	}
	return resp
}
