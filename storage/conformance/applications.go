package conformance

import (
	"bytes"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("applications", testApplications) }

func testApplications(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates an application with secrets and reads it back", appRoundTrip},
		{"keeps empty lists empty", appEmptyLists},
		{"rejects a client ID already used in any tenant", appDuplicateClientID},
		{"lists only the tenant's applications", appList},
		{"updates an application and replaces its secrets", appUpdate},
		{"does not update or delete through another tenant (A-02)", appTenantIsolation},
		{"deletes an application", appDelete},
	})
}

func fullApp(tenantID string) *storage.Application {
	expires := time.Now().In(farOffZone).Add(90 * 24 * time.Hour)
	return &storage.Application{
		ID: newID(), TenantID: tenantID, DisplayName: "Portal",
		Public: false, FirstParty: true,
		RedirectURIs:            []string{"https://portal.example/cb", "http://localhost:8080/cb"},
		PostLogoutRedirectURIs:  []string{"https://portal.example/bye"},
		GrantTypes:              []string{"authorization_code", "refresh_token", "client_credentials"},
		Scopes:                  []string{"openid", "profile", "email", "offline_access"},
		TokenEndpointAuthMethod: storage.AuthMethodPrivateKeyJWT,
		JWKS:                    `{"keys":[]}`,
		SigningAlg:              "RS256",
		SubjectSalt:             []byte{0, 1, 2, 250, 255},
		Secrets: []storage.ClientSecret{
			{ID: newID(), Hint: "abc", Digest: bytes.Repeat([]byte{7}, 32), ExpiresAt: &expires},
			{ID: newID(), Hint: "def", Digest: bytes.Repeat([]byte{9}, 32)},
		},
	}
}

func sameApp(t *testing.T, got, want *storage.Application) {
	t.Helper()
	if got.ID != want.ID || got.TenantID != want.TenantID || got.DisplayName != want.DisplayName ||
		got.Public != want.Public || got.FirstParty != want.FirstParty ||
		got.TokenEndpointAuthMethod != want.TokenEndpointAuthMethod || got.JWKS != want.JWKS ||
		got.SigningAlg != want.SigningAlg || !bytes.Equal(got.SubjectSalt, want.SubjectSalt) {
		t.Errorf("application fields: got %+v, want %+v", got, want)
	}
	sameStrings(t, got.RedirectURIs, want.RedirectURIs, "RedirectURIs")
	sameStrings(t, got.PostLogoutRedirectURIs, want.PostLogoutRedirectURIs, "PostLogoutRedirectURIs")
	sameStrings(t, got.GrantTypes, want.GrantTypes, "GrantTypes")
	sameStrings(t, got.Scopes, want.Scopes, "Scopes")
	sameTime(t, got.CreatedAt, want.CreatedAt, "CreatedAt")
	sameTime(t, got.UpdatedAt, want.UpdatedAt, "UpdatedAt")
	if len(got.Secrets) != len(want.Secrets) {
		t.Fatalf("got %d secrets, want %d", len(got.Secrets), len(want.Secrets))
	}
	wantByID := map[string]storage.ClientSecret{}
	for _, sec := range want.Secrets {
		wantByID[sec.ID] = sec
	}
	for _, sec := range got.Secrets {
		w, ok := wantByID[sec.ID]
		if !ok || sec.Hint != w.Hint || !bytes.Equal(sec.Digest, w.Digest) {
			t.Errorf("secret %s: got %+v, want %+v", sec.ID, sec, w)
			continue
		}
		sameTime(t, sec.CreatedAt, w.CreatedAt, "secret CreatedAt")
		switch {
		case (sec.ExpiresAt == nil) != (w.ExpiresAt == nil):
			t.Errorf("secret %s ExpiresAt: got %v, want %v", sec.ID, sec.ExpiresAt, w.ExpiresAt)
		case sec.ExpiresAt != nil:
			sameTime(t, *sec.ExpiresAt, *w.ExpiresAt, "secret ExpiresAt")
		}
	}
}

func appRoundTrip(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	in := fullApp(tenant.ID)
	mustNil(t, s.CreateApplication(ctxFor(t), in), "CreateApplication")
	got, err := s.GetApplication(ctxFor(t), in.ID)
	mustNil(t, err, "GetApplication")
	sameApp(t, got, in)
}

func appEmptyLists(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	in := &storage.Application{ID: newID(), TenantID: tenant.ID, Public: true,
		RedirectURIs: []string{}, TokenEndpointAuthMethod: storage.AuthMethodNone}
	mustNil(t, s.CreateApplication(ctxFor(t), in), "CreateApplication")
	got, err := s.GetApplication(ctxFor(t), in.ID)
	mustNil(t, err, "GetApplication")
	if len(got.RedirectURIs)+len(got.PostLogoutRedirectURIs)+len(got.GrantTypes)+len(got.Scopes)+len(got.Secrets) != 0 {
		t.Errorf("empty lists came back non-empty: %+v", got)
	}
	if !got.Public {
		t.Error("Public flag lost")
	}
}

func appDuplicateClientID(t *testing.T, s storage.Storage) {
	a := seedTenant(t, s, "alpha")
	b := seedTenant(t, s, "beta")
	app := seedApp(t, s, a.ID)
	dup := &storage.Application{ID: app.ID, TenantID: b.ID}
	mustIs(t, s.CreateApplication(ctxFor(t), dup), storage.ErrAlreadyExists, "CreateApplication with a taken client ID")
}

func appList(t *testing.T, s storage.Storage) {
	a := seedTenant(t, s, "alpha")
	b := seedTenant(t, s, "beta")
	first := fullApp(a.ID)
	mustNil(t, s.CreateApplication(ctxFor(t), first), "CreateApplication")
	seedApp(t, s, a.ID)
	seedApp(t, s, b.ID)
	apps, err := s.ListApplications(ctxFor(t), a.ID)
	mustNil(t, err, "ListApplications")
	if len(apps) != 2 {
		t.Fatalf("ListApplications(A) returned %d apps, want 2", len(apps))
	}
	for i := range apps {
		if apps[i].TenantID != a.ID {
			t.Errorf("ListApplications(A) returned an app of tenant %s", apps[i].TenantID)
		}
		if apps[i].ID == first.ID {
			sameApp(t, &apps[i], first)
		}
	}
}

func appUpdate(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app := fullApp(tenant.ID)
	mustNil(t, s.CreateApplication(ctx, app), "CreateApplication")
	app.DisplayName = "Portal v2"
	app.RedirectURIs = []string{"https://portal.example/v2/cb"}
	app.Scopes = nil
	app.Secrets = []storage.ClientSecret{app.Secrets[1], {ID: newID(), Hint: "new", Digest: []byte("digest")}}
	mustNil(t, s.UpdateApplication(ctx, app), "UpdateApplication")
	got, err := s.GetApplication(ctx, app.ID)
	mustNil(t, err, "GetApplication")
	sameApp(t, got, app)
}

func appTenantIsolation(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a := seedTenant(t, s, "alpha")
	b := seedTenant(t, s, "beta")
	app := seedApp(t, s, a.ID)
	hijack := *app
	hijack.TenantID = b.ID
	hijack.RedirectURIs = []string{"https://evil.example/cb"}
	mustIs(t, s.UpdateApplication(ctx, &hijack), storage.ErrNotFound, "UpdateApplication through tenant B")
	mustIs(t, s.DeleteApplication(ctx, b.ID, app.ID), storage.ErrNotFound, "DeleteApplication through tenant B")
	got, err := s.GetApplication(ctx, app.ID)
	mustNil(t, err, "GetApplication")
	sameStrings(t, got.RedirectURIs, app.RedirectURIs, "RedirectURIs after hijack attempt")
}

func appDelete(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app := fullApp(tenant.ID)
	mustNil(t, s.CreateApplication(ctx, app), "CreateApplication")
	mustNil(t, s.DeleteApplication(ctx, tenant.ID, app.ID), "DeleteApplication")
	_, err := s.GetApplication(ctx, app.ID)
	mustIs(t, err, storage.ErrNotFound, "GetApplication after delete")
	mustIs(t, s.DeleteApplication(ctx, tenant.ID, app.ID), storage.ErrNotFound, "DeleteApplication twice")
	again := fullApp(tenant.ID)
	again.ID, again.Secrets = app.ID, app.Secrets
	mustNil(t, s.CreateApplication(ctx, again), "recreate with the same client and secret IDs")
}
