package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func TestAppClaimsShowsAndChangesTheClaimSettings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var app appJSON
	h.mustJSON(&app, "app", "create", "--tenant", "contoso.example", "--name", "Payroll",
		"--redirect-uri", "https://payroll.example/callback")

	var got appClaimsJSON
	h.mustJSON(&got, "app", "claims", "--tenant", "contoso.example", "--client-id", app.ClientID)
	if got.GroupMembershipClaims != "None" || len(got.OptionalClaims.IDToken)+len(got.OptionalClaims.AccessToken) != 0 {
		t.Fatalf("a new application's claims: %+v", got)
	}
	h.mustJSON(&got, "app", "claims", "--tenant", "contoso.example", "--client-id", app.ClientID,
		"--group-membership-claims", "securitygroup,applicationgroup",
		"--id-token-claim", "groups:cloud_displayname", "--id-token-claim", "extensionAttribute3",
		"--access-token-claim", "upn")
	want := storage.OptionalClaims{
		IDToken:     []storage.OptionalClaim{{Name: "groups", AdditionalProperties: []string{"cloud_displayname"}}, {Name: "extensionAttribute3"}},
		AccessToken: []storage.OptionalClaim{{Name: "upn"}},
	}
	if got.GroupMembershipClaims != "SecurityGroup,ApplicationGroup" || !reflect.DeepEqual(got.OptionalClaims, want) {
		t.Fatalf("after the change: %+v", got)
	}

	got = appClaimsJSON{}
	h.mustJSON(&got, "app", "claims", "--tenant", "contoso.example", "--client-id", app.ClientID, "--clear-id-token-claims")
	if len(got.OptionalClaims.IDToken) != 0 || got.GroupMembershipClaims != "SecurityGroup,ApplicationGroup" ||
		!reflect.DeepEqual(got.OptionalClaims.AccessToken, want.AccessToken) {
		t.Fatalf("clearing the ID token claims changed more: %+v", got)
	}
	text := h.mustRun("app", "claims", "--tenant", "contoso.example", "--client-id", app.ClientID)
	if !strings.Contains(text, "groupMembershipClaims: SecurityGroup,ApplicationGroup") || !strings.Contains(text, "Access token optional claims: upn") {
		t.Errorf("text output: %q", text)
	}
}

func TestAppClaimsListsEveryInputProblem(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var app appJSON
	h.mustJSON(&app, "app", "create", "--tenant", "contoso.example", "--name", "Payroll",
		"--redirect-uri", "https://payroll.example/callback")
	r := h.run("app", "claims", "--tenant", "contoso.example", "--client-id", app.ClientID,
		"--group-membership-claims", "Everything", "--access-token-claim", "iss", "--id-token-claim", "groups:netbios")
	if r.code != exitError {
		t.Fatalf("exit %d, want %d; stdout %q", r.code, exitError, r.stdout)
	}
	for _, want := range []string{"groupMembershipClaims", `"iss" is a reserved claim`, `additional property "netbios"`} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r := h.run("app", "claims", "--tenant", "contoso.example", "--client-id", "no-such-app"); r.code != exitError || !strings.Contains(r.stderr, "not found") {
		t.Errorf("unknown application: exit %d, stderr %q", r.code, r.stderr)
	}
}
