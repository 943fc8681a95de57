package authflow

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore"
)

const (
	testPassword    = "correct horse battery staple"
	testMinResponse = 50 * time.Millisecond
)

// env is one test's Sigil: a real SQLite store, the Handler on a TLS server,
// and a recording Authorizer standing in for server/op.
type env struct {
	t      *testing.T
	store  *gormstore.Store
	h      *Handler
	az     *recordingAuthorizer
	srv    *httptest.Server
	clock  *testClock
	tenant *storage.Tenant
	logs   *lockedBuffer // everything the Handler logged, as JSON lines
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	store, err := gormstore.Open(ctx, filepath.Join(t.TempDir(), "sigil.db"), gormstore.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	pages, err := page.New(page.Options{Logger: quietLogger()})
	if err != nil {
		t.Fatalf("pages: %v", err)
	}
	e := &env{t: t, store: store, clock: &testClock{now: time.Now().UTC()}, logs: &lockedBuffer{}}
	e.az = &recordingAuthorizer{store: store}
	e.h = &Handler{
		Store:       store,
		Tenants:     tenancy.Resolver{Store: store},
		Authorizer:  e.az,
		Pages:       pages,
		Sessions:    NewSessionCookies(randomKey(64), randomKey(32)),
		Secret:      randomKey(32),
		Logger:      slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:         e.clock.Now,
		MinResponse: testMinResponse,
	}
	mux := http.NewServeMux()
	e.h.Mount(mux)
	mux.HandleFunc("GET /{tenant}/oauth2/v2.0/authorize", e.authorize)
	mux.HandleFunc("POST /{tenant}/test/signout", e.signOut)
	e.srv = httptest.NewTLSServer(mux)
	t.Cleanup(e.srv.Close)
	e.tenant = e.addTenant("contoso.example")
	return e
}

// authorize stands in for server/op's authorize endpoint: it stores a flow for
// the request as op does and hands it to Start.
func (e *env) authorize(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t, err := e.h.Tenants.Resolve(ctx, r.PathValue("tenant"))
	if err != nil {
		http.Error(w, "unknown tenant", http.StatusNotFound)
		return
	}
	q := r.URL.Query()
	maxAge := -1
	if v := q.Get("max_age"); v != "" {
		maxAge, _ = strconv.Atoi(v)
	}
	now := e.clock.Now()
	flow := &storage.Flow{
		ID: newID(), TenantID: t.ID, ClientID: q.Get("client_id"), AuthorizeForm: q.Encode(),
		Prompt: q.Get("prompt"), MaxAge: maxAge, LoginHint: q.Get("login_hint"),
		CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(DefaultFlowLifetime),
	}
	if err := e.store.CreateFlow(ctx, flow); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	e.h.Start(w, r.WithContext(tenancy.WithTenant(ctx, t)), flow)
}

// signOut stands in for server/op's logout endpoint.
func (e *env) signOut(w http.ResponseWriter, r *http.Request) {
	t, err := e.h.Tenants.Resolve(r.Context(), r.PathValue("tenant"))
	if err != nil {
		http.Error(w, "unknown tenant", http.StatusNotFound)
		return
	}
	sid, err := e.h.SignOut(w, r, t.ID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = io.WriteString(w, sid)
}

func (e *env) addTenant(domain string) *storage.Tenant {
	e.t.Helper()
	t := &storage.Tenant{ID: uuid.NewString(), DisplayName: domain}
	d := []storage.Domain{{Name: domain, TenantID: t.ID, Verified: true, Initial: true}}
	if err := e.store.CreateTenant(context.Background(), t, d); err != nil {
		e.t.Fatalf("create tenant: %v", err)
	}
	return t
}

func (e *env) addUser(upn string, enabled bool) *storage.User {
	e.t.Helper()
	hash, err := credential.HashPassword(testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	u := &storage.User{
		ID: uuid.NewString(), TenantID: e.tenant.ID, UserPrincipalName: upn, DisplayName: upn,
		UserType: storage.UserTypeMember, AccountEnabled: enabled, PasswordHash: hash,
	}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		e.t.Fatalf("create user: %v", err)
	}
	return u
}

func (e *env) addApp(name string, firstParty bool) *storage.Application {
	e.t.Helper()
	a := &storage.Application{
		ID: uuid.NewString(), TenantID: e.tenant.ID, DisplayName: name, Public: true, FirstParty: firstParty,
		RedirectURIs: []string{"https://app.example/callback"}, GrantTypes: []string{"authorization_code"},
		Scopes: []string{"openid", "profile", "email", "offline_access"}, TokenEndpointAuthMethod: storage.AuthMethodNone,
		SubjectSalt: randomKey(16),
	}
	if err := e.store.CreateApplication(context.Background(), a); err != nil {
		e.t.Fatalf("create application: %v", err)
	}
	return a
}

func (e *env) flow(id string) *storage.Flow {
	e.t.Helper()
	f, err := e.store.GetFlow(context.Background(), id)
	if err != nil {
		e.t.Fatalf("get flow %s: %v", id, err)
	}
	return f
}

// recordingAuthorizer records what the flow hands back to server/op.
type recordingAuthorizer struct {
	store     storage.Storage
	mu        sync.Mutex
	completed []storage.Flow
	failed    []failure
}

type failure struct {
	flow              storage.Flow
	code, description string
}

func (a *recordingAuthorizer) Complete(w http.ResponseWriter, r *http.Request, flow *storage.Flow) {
	a.mu.Lock()
	a.completed = append(a.completed, *flow)
	a.mu.Unlock()
	_ = a.store.DeleteFlow(r.Context(), flow.ID)
	_, _ = io.WriteString(w, "authorization complete")
}

func (a *recordingAuthorizer) Fail(w http.ResponseWriter, r *http.Request, flow *storage.Flow, code, description string) {
	a.mu.Lock()
	a.failed = append(a.failed, failure{flow: *flow, code: code, description: description})
	a.mu.Unlock()
	_ = a.store.DeleteFlow(r.Context(), flow.ID)
	_, _ = io.WriteString(w, "authorization failed: "+code)
}

func (a *recordingAuthorizer) Client(ctx context.Context, clientID string) (*storage.Application, error) {
	return a.store.GetApplication(ctx, clientID)
}

func (a *recordingAuthorizer) lastCompleted(t *testing.T) storage.Flow {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.completed) == 0 {
		t.Fatal("the flow was never completed")
	}
	return a.completed[len(a.completed)-1]
}

func (a *recordingAuthorizer) counts() (completed, failed int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.completed), len(a.failed)
}

func (a *recordingAuthorizer) lastFailure(t *testing.T) failure {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.failed) == 0 {
		t.Fatal("the flow never failed")
	}
	return a.failed[len(a.failed)-1]
}

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func randomKey(n int) []byte {
	b := make([]byte, n)
	randomBytes(b)
	return b
}

// lockedBuffer is an io.Writer safe for the server's concurrent handlers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func quietLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}

// authorizeParams are the query of an authorize request for the app.
func authorizeParams(app *storage.Application, scope string, extra ...string) url.Values {
	q := url.Values{
		"client_id": {app.ID}, "response_type": {"code"}, "redirect_uri": {app.RedirectURIs[0]},
		"scope": {scope}, "state": {"st"}, "code_challenge_method": {"S256"},
		"code_challenge": {"E9Melhoa2OwvFrEMTjguCUPL0tR3mwiM6jNdOTs3cQQ"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}
