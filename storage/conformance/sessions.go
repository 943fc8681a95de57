package conformance

import (
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("sessions_and_consent", testSessionsAndConsent) }

func testSessionsAndConsent(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates a browser session and reads it back", sessionRoundTrip},
		{"revokes a session once and accepts a second revocation", sessionRevokeTwice},
		{"reports a missing session as not found", sessionNotFound},
		{"removes a user's sessions and consents with the user", sessionCascadeFromUser},
		{"reports consent never granted as not found", consentNotFound},
		{"saves consent and replaces it on a second save", consentReplace},
		{"keeps consent per tenant, user and application", consentIsolation},
	})
}

func newSession(tenantID, userID string) *storage.BrowserSession {
	return &storage.BrowserSession{
		ID: newID(), TenantID: tenantID, UserID: userID,
		AuthTime:  time.Now().In(farOffZone),
		AMR:       []string{"pwd", "mfa"},
		ExpiresAt: time.Now().In(farOffZone).Add(8 * time.Hour),
	}
}

func sessionRoundTrip(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	in := newSession(tenant.ID, user.ID)
	mustNil(t, s.CreateBrowserSession(ctxFor(t), in), "CreateBrowserSession")
	got, err := s.GetBrowserSession(ctxFor(t), in.ID)
	mustNil(t, err, "GetBrowserSession")
	if got.TenantID != in.TenantID || got.UserID != in.UserID || got.RevokedAt != nil {
		t.Errorf("got %+v, want %+v", got, in)
	}
	sameStrings(t, got.AMR, in.AMR, "AMR")
	sameTime(t, got.AuthTime, in.AuthTime, "AuthTime")
	sameTime(t, got.CreatedAt, in.CreatedAt, "CreatedAt")
	sameTime(t, got.ExpiresAt, in.ExpiresAt, "ExpiresAt")
}

func sessionRevokeTwice(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	sess := newSession(tenant.ID, user.ID)
	mustNil(t, s.CreateBrowserSession(ctx, sess), "CreateBrowserSession")
	first := time.Now().In(farOffZone)
	mustNil(t, s.RevokeBrowserSession(ctx, sess.ID, first), "RevokeBrowserSession")
	mustNil(t, s.RevokeBrowserSession(ctx, sess.ID, first.Add(time.Minute)), "second RevokeBrowserSession")
	got, err := s.GetBrowserSession(ctx, sess.ID)
	mustNil(t, err, "GetBrowserSession")
	if got.RevokedAt == nil {
		t.Fatal("RevokedAt not set")
	}
	sameTime(t, *got.RevokedAt, first, "RevokedAt keeps the first revocation")
}

func sessionNotFound(t *testing.T, s storage.Storage) {
	_, err := s.GetBrowserSession(ctxFor(t), newID())
	mustIs(t, err, storage.ErrNotFound, "GetBrowserSession")
	mustIs(t, s.RevokeBrowserSession(ctxFor(t), newID(), time.Now()), storage.ErrNotFound, "RevokeBrowserSession")
}

func sessionCascadeFromUser(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	app := seedApp(t, s, tenant.ID)
	sess := newSession(tenant.ID, user.ID)
	mustNil(t, s.CreateBrowserSession(ctx, sess), "CreateBrowserSession")
	mustNil(t, s.SaveConsent(ctx, &storage.Consent{TenantID: tenant.ID, UserID: user.ID, ClientID: app.ID,
		Scopes: []string{"openid"}}), "SaveConsent")
	mustNil(t, s.DeleteUser(ctx, tenant.ID, user.ID), "DeleteUser")
	_, err := s.GetBrowserSession(ctx, sess.ID)
	mustIs(t, err, storage.ErrNotFound, "session of a deleted user")
	_, err = s.GetConsent(ctx, tenant.ID, user.ID, app.ID)
	mustIs(t, err, storage.ErrNotFound, "consent of a deleted user")
}

func consentNotFound(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	app := seedApp(t, s, tenant.ID)
	_, err := s.GetConsent(ctxFor(t), tenant.ID, user.ID, app.ID)
	mustIs(t, err, storage.ErrNotFound, "GetConsent")
}

func consentReplace(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	app := seedApp(t, s, tenant.ID)
	c := &storage.Consent{TenantID: tenant.ID, UserID: user.ID, ClientID: app.ID,
		Scopes: []string{"openid", "profile"}, GrantedAt: time.Now().In(farOffZone).Add(-time.Hour)}
	mustNil(t, s.SaveConsent(ctx, c), "SaveConsent")
	got, err := s.GetConsent(ctx, tenant.ID, user.ID, app.ID)
	mustNil(t, err, "GetConsent")
	sameStrings(t, got.Scopes, c.Scopes, "Scopes")
	sameTime(t, got.GrantedAt, c.GrantedAt, "GrantedAt")

	again := &storage.Consent{TenantID: tenant.ID, UserID: user.ID, ClientID: app.ID,
		Scopes: []string{"openid", "email"}, GrantedAt: time.Now()}
	mustNil(t, s.SaveConsent(ctx, again), "second SaveConsent")
	got, err = s.GetConsent(ctx, tenant.ID, user.ID, app.ID)
	mustNil(t, err, "GetConsent")
	sameStrings(t, got.Scopes, again.Scopes, "replaced Scopes")
	sameTime(t, got.GrantedAt, again.GrantedAt, "replaced GrantedAt")
}

func consentIsolation(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a := seedTenant(t, s, "alpha")
	b := seedTenant(t, s, "beta")
	ann := seedUser(t, s, a.ID, "ann@alpha.example")
	bob := seedUser(t, s, a.ID, "bob@alpha.example")
	app := seedApp(t, s, a.ID)
	other := seedApp(t, s, a.ID)
	mustNil(t, s.SaveConsent(ctx, &storage.Consent{TenantID: a.ID, UserID: ann.ID, ClientID: app.ID,
		Scopes: []string{"openid"}}), "SaveConsent")
	for _, probe := range []struct{ what, tenant, user, client string }{
		{"another tenant", b.ID, ann.ID, app.ID},
		{"another user", a.ID, bob.ID, app.ID},
		{"another application", a.ID, ann.ID, other.ID},
	} {
		_, err := s.GetConsent(ctx, probe.tenant, probe.user, probe.client)
		mustIs(t, err, storage.ErrNotFound, "GetConsent through "+probe.what)
	}
}
