package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// api is a test client of the admin API with one caller's token.
type api struct {
	t     *testing.T
	env   *servertest.Env
	token string
}

// onBackends runs test on a fresh server over SQLite and over Postgres.
func onBackends(t *testing.T, test func(t *testing.T, env *servertest.Env)) {
	for _, b := range gormstoretest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, servertest.New(t, b.Open(t), servertest.Options{}))
		})
	}
}

// appCaller registers an application, grants it the application
// permissions and gets an app-only token for the admin resource through
// the real token endpoint (client credentials with the audience parameter).
func appCaller(t *testing.T, env *servertest.Env, permissions ...string) *api {
	t.Helper()
	app, secret := env.App(directory.NewApplication{DisplayName: "Automation"})
	for _, p := range permissions {
		must(t, env.Store.GrantAppPermission(context.Background(), &storage.AppPermissionGrant{TenantID: env.Tenant.ID, ClientID: app.ID, Permission: p}))
	}
	conf := clientcredentials.Config{ClientID: app.ID, ClientSecret: secret, TokenURL: env.OAuth2(app, secret).Endpoint.TokenURL,
		EndpointParams: map[string][]string{"audience": {storage.AdminResourceID}}, AuthStyle: oauth2.AuthStyleInHeader}
	tok, err := conf.Token(env.ClientContext(context.Background()))
	must(t, err)
	return &api{t: t, env: env, token: tok.AccessToken}
}

// userCaller signs the user in through the real pages and returns a
// delegated token for the admin resource.
func userCaller(t *testing.T, env *servertest.Env, upn string) *api {
	t.Helper()
	conf := env.OAuth2(env.Web, env.WebSecret)
	verifier := oauth2.GenerateVerifier()
	q, err := env.NewBrowser().SignIn(conf.AuthCodeURL("state-admin-api", oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("audience", storage.AdminResourceID)), upn, servertest.Password)
	must(t, err)
	tok, err := conf.Exchange(env.ClientContext(context.Background()), q.Get("code"), oauth2.VerifierOption(verifier))
	must(t, err)
	return &api{t: t, env: env, token: tok.AccessToken}
}

// response is a decoded answer.
type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

func (a *api) do(method, path string, body any, header ...string) response {
	a.t.Helper()
	var rd io.Reader
	if s, ok := body.(string); ok {
		rd = bytes.NewBufferString(s)
	} else if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.env.Server.URL+path, rd)
	must(a.t, err)
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.env.Server.Client().Do(req)
	must(a.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &out.Body)
	}
	return out
}

// expect fails unless the status is want; for errors it checks Graph's body.
func (r response) expect(t *testing.T, want int, what string) response {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d: %s", what, r.Status, want, r.Raw)
	}
	if want >= 400 {
		e, _ := r.Body["error"].(map[string]any)
		inner, _ := e["innerError"].(map[string]any)
		if e["code"] == "" || e["message"] == "" || inner["request-id"] == "" || inner["date"] == "" {
			t.Errorf("%s: not a Graph error body: %s", what, r.Raw)
		}
	}
	return r
}

func (r response) code() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
