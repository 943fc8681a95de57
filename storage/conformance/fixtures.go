package conformance

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/storage"
)

// farOffZone is a non-UTC location used to check that times come back in UTC.
var farOffZone = time.FixedZone("UTC+05:30", 5*3600+30*60)

// newID returns a fresh UUID string.
func newID() string { return uuid.NewString() }

// ctxFor returns a context cancelled when the test ends.
func ctxFor(t *testing.T) context.Context {
	t.Helper()
	return t.Context()
}

// mustNil fails the test now when err is not nil.
func mustNil(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", what, err)
	}
}

// mustIs fails the test now unless errors.Is(err, want).
func mustIs(t *testing.T, err, want error, what string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: got error %v, want %v", what, err, want)
	}
}

// sameTime fails unless got is in UTC and equal to want at microsecond precision.
func sameTime(t *testing.T, got, want time.Time, what string) {
	t.Helper()
	if got.Location() != time.UTC {
		t.Errorf("%s: location %v, want UTC", what, got.Location())
	}
	if !got.Equal(want.Truncate(time.Microsecond)) {
		t.Errorf("%s: got %s, want %s", what, got.Format(time.RFC3339Nano), want.UTC().Format(time.RFC3339Nano))
	}
}

// sameStrings fails unless the lists hold the same elements in the same order
// (nil and empty are equal).
func sameStrings(t *testing.T, got, want []string, what string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// seedTenant creates a tenant with a verified domain "<label>.example" and an
// unverified one "pending-<label>.example".
func seedTenant(t *testing.T, s storage.Storage, label string) *storage.Tenant {
	t.Helper()
	tenant := &storage.Tenant{ID: newID(), DisplayName: "Tenant " + label}
	domains := []storage.Domain{
		{Name: strings.ToLower(label) + ".example", Verified: true, Initial: true},
		{Name: "pending-" + strings.ToLower(label) + ".example"},
	}
	mustNil(t, s.CreateTenant(ctxFor(t), tenant, domains), "CreateTenant")
	return tenant
}

// seedUser creates a member user in the tenant.
func seedUser(t *testing.T, s storage.Storage, tenantID, upn string) *storage.User {
	t.Helper()
	u := &storage.User{
		ID:                newID(),
		TenantID:          tenantID,
		UserPrincipalName: upn,
		DisplayName:       "User " + upn,
		UserType:          storage.UserTypeMember,
		AccountEnabled:    true,
	}
	mustNil(t, s.CreateUser(ctxFor(t), u), "CreateUser")
	return u
}

// seedApp creates a confidential application in the tenant.
func seedApp(t *testing.T, s storage.Storage, tenantID string) *storage.Application {
	t.Helper()
	a := &storage.Application{
		ID:                      newID(),
		TenantID:                tenantID,
		DisplayName:             "App",
		RedirectURIs:            []string{"https://app.example/callback"},
		GrantTypes:              []string{"authorization_code", "refresh_token"},
		Scopes:                  []string{"openid", "profile"},
		TokenEndpointAuthMethod: storage.AuthMethodClientSecretBasic,
		SigningAlg:              "ES256",
	}
	mustNil(t, s.CreateApplication(ctxFor(t), a), "CreateApplication")
	return a
}

// seedRecord creates an active OAuth record of the kind in the tenant.
func seedRecord(t *testing.T, s storage.Storage, tenantID, kind string, mutate func(*storage.OAuthRecord)) *storage.OAuthRecord {
	t.Helper()
	now := time.Now().UTC()
	r := &storage.OAuthRecord{
		Kind:        kind,
		Signature:   newID(),
		RequestID:   newID(),
		TenantID:    tenantID,
		ClientID:    "client-" + tenantID,
		Subject:     "subject",
		Active:      true,
		Data:        []byte(`{"scopes":["openid"]}`),
		RequestedAt: now,
		ExpiresAt:   now.Add(time.Hour),
	}
	if mutate != nil {
		mutate(r)
	}
	mustNil(t, s.CreateOAuthRecord(ctxFor(t), r), "CreateOAuthRecord")
	return r
}

// seedFlow creates a sign-in flow in the tenant expiring in ten minutes.
func seedFlow(t *testing.T, s storage.Storage, tenantID string) *storage.Flow {
	t.Helper()
	f := &storage.Flow{
		ID:            newID(),
		TenantID:      tenantID,
		ClientID:      "client",
		AuthorizeForm: "client_id=client&response_type=code",
		Step:          "username",
		StepNonce:     newID(),
		MaxAge:        -1,
		ExpiresAt:     time.Now().Add(10 * time.Minute),
	}
	mustNil(t, s.CreateFlow(ctxFor(t), f), "CreateFlow")
	return f
}
