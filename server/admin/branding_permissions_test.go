package admin

import (
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

// TestBrandingPermissionMatrix: Organizational Branding Administrators and
// Global Administrators change company branding (H-02), Global Readers read
// it, other administrators do neither; apps need
// OrganizationalBranding.ReadWrite.All to change it and Organization.Read.All
// (or a branding permission) to read it. Written by hand, not computed from
// the table.
func TestBrandingPermissionMatrix(t *testing.T) {
	member := Caller{UserID: "u", UserType: storage.UserTypeMember, Policy: storage.DefaultAuthorizationPolicy("t")}
	guest := Caller{UserID: "g", UserType: storage.UserTypeGuest, Policy: storage.DefaultAuthorizationPolicy("t")}
	app := func(perms ...string) Caller { return Caller{App: true, ClientID: "c", AppPermissions: perms} }
	cases := []struct {
		name        string
		caller      Caller
		read, write Decision
	}{
		{"Global Administrator", roleCaller(t, "Global Administrator"), A, A},
		{"Organizational Branding Administrator", roleCaller(t, "Organizational Branding Administrator"), A, A},
		{"Global Reader", roleCaller(t, "Global Reader"), A, D},
		{"User Administrator", roleCaller(t, "User Administrator"), D, D},
		{"Billing Administrator (organization/basic/update)", roleCaller(t, "Billing Administrator"), D, D},
		{"Security Administrator", roleCaller(t, "Security Administrator"), D, D},
		{"member", member, D, D},
		{"guest", guest, D, D},
		{"app with OrganizationalBranding.ReadWrite.All", app("OrganizationalBranding.ReadWrite.All"), A, A},
		{"app with OrganizationalBranding.Read.All", app("OrganizationalBranding.Read.All"), A, D},
		{"app with Organization.Read.All", app("Organization.Read.All"), A, D},
		{"app with Organization.ReadWrite.All", app("Organization.ReadWrite.All"), A, A},
		{"app with Directory.ReadWrite.All", app("Directory.ReadWrite.All"), D, D},
	}
	for _, tc := range cases {
		if got := Decide(OpReadBranding, tc.caller); got != tc.read {
			t.Errorf("%s read: %v, want %v", tc.name, got, tc.read)
		}
		if got := Decide(OpWriteBranding, tc.caller); got != tc.write {
			t.Errorf("%s write: %v, want %v", tc.name, got, tc.write)
		}
	}
}

// TestSubEntityWildcards: a role action's wildcard on a sub-entity
// ("organization/branding/allProperties/allTasks") grants that sub-entity's
// actions and nothing else of the entity.
func TestSubEntityWildcards(t *testing.T) {
	const branding = "microsoft.directory/organization/branding/allProperties/allTasks"
	cases := []struct {
		held, want string
		grants     bool
	}{
		{branding, "microsoft.directory/organization/branding/basic/update", true},
		{branding, "microsoft.directory/organization/branding/standard/read", true},
		{branding, "microsoft.directory/organization/basic/update", false},
		{branding, "microsoft.directory/organization/brandingX/basic/update", false},
		{"microsoft.directory/organization/branding/allProperties/read", "microsoft.directory/organization/branding/standard/read", true},
		{"microsoft.directory/organization/branding/allProperties/read", "microsoft.directory/organization/branding/basic/update", false},
		{"microsoft.directory/organization/basic/update", "microsoft.directory/organization/branding/basic/update", false},
	}
	for _, tc := range cases {
		if got := actionGrants(tc.held, tc.want); got != tc.grants {
			t.Errorf("%s grants %s: %v, want %v", tc.held, tc.want, got, tc.grants)
		}
	}
}
