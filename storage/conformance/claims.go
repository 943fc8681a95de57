package conformance

import (
	"reflect"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("application claim settings", testClaimSettings) }

func testClaimSettings(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"stores groupMembershipClaims and optional claims per token type", claimSettingsRoundTrip},
		{"reads an application without claim settings as None and no optional claims", claimSettingsEmpty},
		{"updates the claim settings", claimSettingsUpdate},
	})
}

func claimSettings() (string, storage.OptionalClaims) {
	return "SecurityGroup,ApplicationGroup", storage.OptionalClaims{
		IDToken: []storage.OptionalClaim{
			{Name: "groups", AdditionalProperties: []string{"sam_account_name", "emit_as_roles"}},
			{Name: "extensionAttribute7"},
		},
		AccessToken: []storage.OptionalClaim{{Name: "upn"}},
	}
}

func claimSettingsRoundTrip(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	app := fullApp(tenant.ID)
	app.GroupMembershipClaims, app.OptionalClaims = claimSettings()
	mustNil(t, s.CreateApplication(ctxFor(t), app), "CreateApplication")
	got, err := s.GetApplication(ctxFor(t), app.ID)
	mustNil(t, err, "GetApplication")
	sameClaimSettings(t, got, app)
	apps, err := s.ListApplications(ctxFor(t), tenant.ID)
	mustNil(t, err, "ListApplications")
	sameClaimSettings(t, &apps[0], app)
}

func claimSettingsEmpty(t *testing.T, s storage.Storage) {
	app := seedApp(t, s, seedTenant(t, s, "contoso").ID)
	got, err := s.GetApplication(ctxFor(t), app.ID)
	mustNil(t, err, "GetApplication")
	if got.GroupMembershipClaims != "" || len(got.OptionalClaims.IDToken)+len(got.OptionalClaims.AccessToken) != 0 {
		t.Errorf("claim settings of a plain application: %q %+v", got.GroupMembershipClaims, got.OptionalClaims)
	}
}

func claimSettingsUpdate(t *testing.T, s storage.Storage) {
	app := seedApp(t, s, seedTenant(t, s, "contoso").ID)
	app.GroupMembershipClaims, app.OptionalClaims = claimSettings()
	mustNil(t, s.UpdateApplication(ctxFor(t), app), "UpdateApplication")
	got, err := s.GetApplication(ctxFor(t), app.ID)
	mustNil(t, err, "GetApplication")
	sameClaimSettings(t, got, app)

	app.GroupMembershipClaims, app.OptionalClaims = "All", storage.OptionalClaims{}
	mustNil(t, s.UpdateApplication(ctxFor(t), app), "UpdateApplication")
	got, err = s.GetApplication(ctxFor(t), app.ID)
	mustNil(t, err, "GetApplication")
	sameClaimSettings(t, got, app)
}

func sameClaimSettings(t *testing.T, got, want *storage.Application) {
	t.Helper()
	if got.GroupMembershipClaims != want.GroupMembershipClaims {
		t.Errorf("GroupMembershipClaims = %q, want %q", got.GroupMembershipClaims, want.GroupMembershipClaims)
	}
	norm := func(o storage.OptionalClaims) storage.OptionalClaims {
		if len(o.IDToken) == 0 {
			o.IDToken = nil
		}
		if len(o.AccessToken) == 0 {
			o.AccessToken = nil
		}
		return o
	}
	if !reflect.DeepEqual(norm(got.OptionalClaims), norm(want.OptionalClaims)) {
		t.Errorf("OptionalClaims = %+v, want %+v", got.OptionalClaims, want.OptionalClaims)
	}
}
