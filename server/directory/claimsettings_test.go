package directory

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func TestSetClaimSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		app, _, err := s.CreateApplication(ctx, tenant, NewApplication{DisplayName: "Payroll",
			RedirectURIs: []string{"https://payroll.contoso.com/cb"}})
		if err != nil {
			t.Fatal(err)
		}
		gmc := "directoryrole, securitygroup"
		id := []storage.OptionalClaim{{Name: "groups", AdditionalProperties: []string{"cloud_displayname"}}, {Name: "extensionAttribute2"}}
		if _, err := s.SetClaimSettings(ctx, tenant, app.ID, ClaimSettingsChange{GroupMembershipClaims: &gmc, IDToken: &id}); err != nil {
			t.Fatal(err)
		}
		access := []storage.OptionalClaim{{Name: "upn"}}
		if _, err := s.SetClaimSettings(ctx, tenant, app.ID, ClaimSettingsChange{AccessToken: &access}); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetApplication(ctx, tenant, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := storage.OptionalClaims{IDToken: id, AccessToken: access}
		if got.GroupMembershipClaims != "SecurityGroup" || !reflect.DeepEqual(got.OptionalClaims, want) {
			t.Fatalf("stored %q %+v; want SecurityGroup %+v", got.GroupMembershipClaims, got.OptionalClaims, want)
		}
	})
}

func TestSetClaimSettingsRefusesInvalidSettingsAndWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newService(t)
	tenant := mustTenant(t, s, "contoso.com")
	app, _, err := s.CreateApplication(ctx, tenant, NewApplication{DisplayName: "Payroll",
		RedirectURIs: []string{"https://payroll.contoso.com/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	gmc := "Everyone"
	access := []storage.OptionalClaim{{Name: "iss"}}
	_, err = s.SetClaimSettings(ctx, tenant, app.ID, ClaimSettingsChange{GroupMembershipClaims: &gmc, AccessToken: &access})
	assertProblem(t, err, "groupMembershipClaims", `"Everyone" is not one of`)
	assertProblem(t, err, "optionalClaims.accessToken[0]", "reserved claim")
	got, err := s.GetApplication(ctx, tenant, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.GroupMembershipClaims != "" || len(got.OptionalClaims.AccessToken) != 0 {
		t.Fatalf("invalid settings were written: %q %+v", got.GroupMembershipClaims, got.OptionalClaims)
	}
	other := mustTenant(t, s, "fabrikam.com")
	if _, err := s.SetClaimSettings(ctx, other, app.ID, ClaimSettingsChange{}); !errors.Is(err, ErrApplicationNotFound) {
		t.Fatalf("another tenant's application: %v; want ErrApplicationNotFound", err)
	}
}
