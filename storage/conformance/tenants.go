package conformance

import (
	"slices"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("tenants", testTenants) }

func testTenants(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates a tenant and reads it back by ID", tenantRoundTrip},
		{"resolves a verified domain case-insensitively", tenantByVerifiedDomain},
		{"does not resolve an unverified or unknown domain", tenantByUnverifiedDomain},
		{"rejects a domain another tenant holds and writes nothing", tenantDuplicateDomain},
		{"rejects a duplicate tenant ID", tenantDuplicateID},
		{"lists tenants and a tenant's domains", tenantLists},
		{"updates display name and settings", tenantUpdate},
		{"reports a missing tenant as not found", tenantNotFound},
		{"deletes a tenant with everything it owns (A-17)", tenantCascadeDelete},
	})
}

func tenantRoundTrip(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	in := &storage.Tenant{
		ID:          newID(),
		DisplayName: "Contoso",
		Settings: storage.TenantSettings{AccessTokenLifetime: 30 * time.Minute, SessionLifetime: 8 * time.Hour,
			LockoutThreshold: 7, LockoutDuration: 2 * time.Minute},
	}
	mustNil(t, s.CreateTenant(ctx, in, nil), "CreateTenant")
	if in.CreatedAt.IsZero() || in.UpdatedAt.IsZero() {
		t.Fatalf("CreateTenant left timestamps zero: %+v", in)
	}
	got, err := s.GetTenant(ctx, in.ID)
	mustNil(t, err, "GetTenant")
	if got.DisplayName != in.DisplayName || got.Settings != in.Settings {
		t.Errorf("got %+v, want %+v", got, in)
	}
	sameTime(t, got.CreatedAt, in.CreatedAt, "CreatedAt")
	sameTime(t, got.UpdatedAt, in.UpdatedAt, "UpdatedAt")
}

func tenantByVerifiedDomain(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "Contoso")
	for _, name := range []string{"contoso.example", "CONTOSO.Example"} {
		got, err := s.GetTenantByDomain(ctxFor(t), name)
		mustNil(t, err, "GetTenantByDomain "+name)
		if got.ID != tenant.ID {
			t.Errorf("%s resolved tenant %s, want %s", name, got.ID, tenant.ID)
		}
	}
}

func tenantByUnverifiedDomain(t *testing.T, s storage.Storage) {
	seedTenant(t, s, "contoso")
	for _, name := range []string{"pending-contoso.example", "nowhere.example", ""} {
		_, err := s.GetTenantByDomain(ctxFor(t), name)
		mustIs(t, err, storage.ErrNotFound, "GetTenantByDomain "+name)
	}
}

func tenantDuplicateDomain(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	seedTenant(t, s, "contoso")
	second := &storage.Tenant{ID: newID(), DisplayName: "Impostor"}
	err := s.CreateTenant(ctx, second, []storage.Domain{{Name: "Contoso.Example", Verified: true}})
	mustIs(t, err, storage.ErrAlreadyExists, "CreateTenant with a taken domain")
	_, err = s.GetTenant(ctx, second.ID)
	mustIs(t, err, storage.ErrNotFound, "tenant of the failed create")
}

func tenantDuplicateID(t *testing.T, s storage.Storage) {
	first := seedTenant(t, s, "contoso")
	dup := &storage.Tenant{ID: first.ID, DisplayName: "Again"}
	mustIs(t, s.CreateTenant(ctxFor(t), dup, nil), storage.ErrAlreadyExists, "CreateTenant with a taken ID")
}

func tenantLists(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a := seedTenant(t, s, "alpha")
	b := seedTenant(t, s, "beta")
	tenants, err := s.ListTenants(ctx)
	mustNil(t, err, "ListTenants")
	var ids []string
	for _, tn := range tenants {
		ids = append(ids, tn.ID)
	}
	if len(ids) != 2 || !slices.Contains(ids, a.ID) || !slices.Contains(ids, b.ID) {
		t.Errorf("ListTenants = %v, want %s and %s", ids, a.ID, b.ID)
	}
	domains, err := s.ListDomains(ctx, a.ID)
	mustNil(t, err, "ListDomains")
	if len(domains) != 2 {
		t.Fatalf("ListDomains returned %d domains, want 2: %+v", len(domains), domains)
	}
	byName := map[string]storage.Domain{}
	for _, d := range domains {
		byName[d.Name] = d
	}
	if d := byName["alpha.example"]; !d.Verified || !d.Initial || d.TenantID != a.ID {
		t.Errorf("alpha.example = %+v, want verified initial domain of %s", d, a.ID)
	}
	if d := byName["pending-alpha.example"]; d.Verified || d.Initial {
		t.Errorf("pending-alpha.example = %+v, want unverified, not initial", d)
	}
}

func tenantUpdate(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	tenant.DisplayName = "Contoso Ltd"
	tenant.Settings.RefreshTokenLifetime = 48 * time.Hour
	mustNil(t, s.UpdateTenant(ctx, tenant), "UpdateTenant")
	got, err := s.GetTenant(ctx, tenant.ID)
	mustNil(t, err, "GetTenant")
	if got.DisplayName != "Contoso Ltd" || got.Settings.RefreshTokenLifetime != 48*time.Hour {
		t.Errorf("after update got %+v", got)
	}
	sameTime(t, got.UpdatedAt, tenant.UpdatedAt, "UpdatedAt written back")
}

func tenantNotFound(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	missing := newID()
	_, err := s.GetTenant(ctx, missing)
	mustIs(t, err, storage.ErrNotFound, "GetTenant")
	mustIs(t, s.UpdateTenant(ctx, &storage.Tenant{ID: missing}), storage.ErrNotFound, "UpdateTenant")
	mustIs(t, s.DeleteTenant(ctx, missing), storage.ErrNotFound, "DeleteTenant")
	domains, err := s.ListDomains(ctx, missing)
	mustNil(t, err, "ListDomains")
	if len(domains) != 0 {
		t.Errorf("ListDomains of a missing tenant = %+v", domains)
	}
}

func tenantCascadeDelete(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	doomed := seedTenant(t, s, "doomed")
	kept := seedTenant(t, s, "kept")
	user := seedUser(t, s, doomed.ID, "ann@doomed.example")
	app := seedApp(t, s, doomed.ID)
	keptUser := seedUser(t, s, kept.ID, "bob@kept.example")
	rec := seedRecord(t, s, doomed.ID, storage.KindAccessToken, nil)
	flow := seedFlow(t, s, doomed.ID)
	sess := &storage.BrowserSession{ID: newID(), TenantID: doomed.ID, UserID: user.ID,
		AuthTime: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}
	mustNil(t, s.CreateBrowserSession(ctx, sess), "CreateBrowserSession")
	mustNil(t, s.SaveConsent(ctx, &storage.Consent{TenantID: doomed.ID, UserID: user.ID,
		ClientID: app.ID, Scopes: []string{"openid"}}), "SaveConsent")
	mustNil(t, s.CreateSigningKey(ctx, &storage.SigningKey{ID: newID(), TenantID: doomed.ID,
		Algorithm: "ES256", State: storage.KeyStateActive, PrivateKeyCiphertext: []byte{1}, PublicJWK: []byte("{}")}),
		"CreateSigningKey")

	mustNil(t, s.DeleteTenant(ctx, doomed.ID), "DeleteTenant")

	_, err := s.GetTenantByDomain(ctx, "doomed.example")
	mustIs(t, err, storage.ErrNotFound, "domain of deleted tenant")
	_, err = s.GetUser(ctx, doomed.ID, user.ID)
	mustIs(t, err, storage.ErrNotFound, "user of deleted tenant")
	_, err = s.GetApplication(ctx, app.ID)
	mustIs(t, err, storage.ErrNotFound, "application of deleted tenant")
	_, err = s.GetOAuthRecord(ctx, rec.Kind, rec.Signature)
	mustIs(t, err, storage.ErrNotFound, "OAuth record of deleted tenant")
	_, err = s.GetFlow(ctx, flow.ID)
	mustIs(t, err, storage.ErrNotFound, "flow of deleted tenant")
	_, err = s.GetBrowserSession(ctx, sess.ID)
	mustIs(t, err, storage.ErrNotFound, "session of deleted tenant")
	_, err = s.GetConsent(ctx, doomed.ID, user.ID, app.ID)
	mustIs(t, err, storage.ErrNotFound, "consent of deleted tenant")
	keys, err := s.ListSigningKeys(ctx, doomed.ID)
	mustNil(t, err, "ListSigningKeys")
	if len(keys) != 0 {
		t.Errorf("signing keys survived tenant deletion: %d", len(keys))
	}
	_, err = s.GetUser(ctx, kept.ID, keptUser.ID)
	mustNil(t, err, "user of the other tenant")
}
