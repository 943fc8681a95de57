package claims

import (
	"fmt"
	"reflect"
	"testing"
)

var (
	engineering = Group{ID: "g-eng", DisplayName: "Engineering", SecurityEnabled: true}
	platform    = Group{ID: "g-platform", DisplayName: "Platform", SecurityEnabled: true, AssignedToApp: true}
	m365        = Group{ID: "g-m365", DisplayName: "Team Chat", SecurityEnabled: false, AssignedToApp: true}
	synced      = Group{ID: "g-synced", DisplayName: "Synced Admins", SecurityEnabled: true, OnPremisesSAMAccountName: "SyncedAdmins"}
	allGroups   = []Group{m365, synced, engineering, platform}
)

const globalReader = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"

// TestBuildGroupMembershipClaims covers groupMembershipClaims (E-08: the
// token carries the principal's groups and roles; B-05: memberships are
// transitive, so the facts' groups are emitted whatever their depth).
func TestBuildGroupMembershipClaims(t *testing.T) {
	facts := Facts{Groups: allGroups, DirectoryRoles: []string{globalReader, globalReader}}
	tests := []struct {
		setting    string
		wantGroups any
		wantWids   any
	}{
		{"", nil, nil},
		{"None", nil, nil},
		{"SecurityGroup", []string{"g-eng", "g-platform", "g-synced"}, []string{globalReader}},
		{"DirectoryRole", nil, []string{globalReader}},
		{"ApplicationGroup", []string{"g-m365", "g-platform"}, nil},
		{"All", []string{"g-eng", "g-m365", "g-platform", "g-synced"}, []string{globalReader}},
		{"DirectoryRole, ApplicationGroup", []string{"g-m365", "g-platform"}, []string{globalReader}},
		{"securitygroup", []string{"g-eng", "g-platform", "g-synced"}, []string{globalReader}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q emits the selected groups and wids", tt.setting), func(t *testing.T) {
			t.Parallel()
			got := Build(AccessToken, Settings{GroupMembershipClaims: tt.setting}, facts, "https://sigil/overage")
			assertClaim(t, got, "groups", tt.wantGroups)
			assertClaim(t, got, "wids", tt.wantWids)
		})
	}
}

// TestBuildRoles covers `roles` (D-01: the union of app roles assigned
// directly and through groups; C-17: a role held through a group).
func TestBuildRoles(t *testing.T) {
	tests := []struct {
		name     string
		settings Settings
		facts    Facts
		want     any
	}{
		{"de-duplicates and sorts roles held directly and through groups (D-01)", Settings{},
			Facts{AppRoles: []string{"Writer", "Admin", "Writer", "Reader"}}, []string{"Admin", "Reader", "Writer"}},
		{"leaves roles out when the user holds none", Settings{}, Facts{}, nil},
		{"roles do not depend on groupMembershipClaims", Settings{GroupMembershipClaims: "None"},
			Facts{AppRoles: []string{"Reader"}}, []string{"Reader"}},
		{"emit_as_roles moves groups into roles", Settings{GroupMembershipClaims: "SecurityGroup",
			AccessToken: []OptionalClaim{{Name: "groups", AdditionalProperties: []string{FormEmitAsRoles}}}},
			Facts{AppRoles: []string{"Reader"}, Groups: []Group{engineering}}, []string{"Reader", "g-eng"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Build(AccessToken, tt.settings, tt.facts, "")
			assertClaim(t, got, "roles", tt.want)
			if _, ok := got["groups"]; ok && tt.settings.AccessToken != nil {
				t.Errorf("groups emitted although emit_as_roles is set: %v", got["groups"])
			}
		})
	}
}

func TestBuildGroupForm(t *testing.T) {
	groups := []Group{engineering, synced}
	withForm := func(props ...string) Settings {
		return Settings{GroupMembershipClaims: "SecurityGroup",
			IDToken: []OptionalClaim{{Name: "groups", AdditionalProperties: props}}}
	}
	tests := []struct {
		name     string
		token    Token
		settings Settings
		want     []string
	}{
		{"object IDs by default", IDToken, withForm(), []string{"g-eng", "g-synced"}},
		{"sam_account_name for synced groups, IDs for cloud groups", IDToken, withForm(FormSAMAccountName),
			[]string{"SyncedAdmins", "g-eng"}},
		{"cloud_displayname for cloud groups, IDs for synced groups", IDToken, withForm(FormCloudDisplayName),
			[]string{"Engineering", "g-synced"}},
		{"the form applies only to the token kind that asks for it", AccessToken, withForm(FormCloudDisplayName),
			[]string{"g-eng", "g-synced"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertClaim(t, Build(tt.token, tt.settings, Facts{Groups: groups}, ""), "groups", tt.want)
		})
	}
}

func TestBuildOverage(t *testing.T) {
	many := func(n int) []Group {
		gs := make([]Group, n)
		for i := range gs {
			gs[i] = Group{ID: fmt.Sprintf("g-%04d", i), SecurityEnabled: true}
		}
		return gs
	}
	const endpoint = "https://sigil.example/t1/v1.0/users/u1/getMemberObjects"
	tests := []struct {
		name    string
		groups  int
		overage bool
	}{
		{"200 groups still fit a JWT", MaxJWTGroups, false},
		{"201 groups are replaced by the overage claims", MaxJWTGroups + 1, true},
		{"250 groups are replaced by the overage claims", 250, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Build(IDToken, Settings{GroupMembershipClaims: "All"}, Facts{Groups: many(tt.groups)}, endpoint)
			if !tt.overage {
				if n := len(got["groups"].([]string)); n != tt.groups {
					t.Fatalf("groups has %d entries, want %d", n, tt.groups)
				}
				assertClaim(t, got, "_claim_names", nil)
				return
			}
			assertClaim(t, got, "groups", nil)
			assertClaim(t, got, "_claim_names", map[string]any{"groups": "src1"})
			assertClaim(t, got, "_claim_sources", map[string]any{"src1": map[string]any{"endpoint": endpoint}})
		})
	}
}

// TestBuildOptionalClaims covers optional claims per token kind (E-01: what
// the ID token and the access token carry is configured separately) and
// extension attributes (E-12, J-38).
func TestBuildOptionalClaims(t *testing.T) {
	u := User{UserPrincipalName: "ada@contoso.example", GivenName: "Ada", Surname: "Lovelace",
		Mail: "Ada@Contoso.Example", UserType: "Guest", Country: "GB",
		Extensions: map[string]string{"extensionAttribute3": "cost-centre-7", "extension_0123456789abcdef0123456789abcdef_badge": "B-42",
			"extension_0123456789abcdef0123456789abcdef_costcentre": "CC-9"}}
	settings := Settings{
		IDToken: []OptionalClaim{{Name: "email"}, {Name: "given_name"}, {Name: "acct"}, {Name: "extensionAttribute3"},
			{Name: "extension_0123456789abcdef0123456789abcdef_badge"}, {Name: "extensionAttribute4"},
			{Name: "extension_0123456789ABCDEF0123456789abcdef_costCentre"}},
		AccessToken: []OptionalClaim{{Name: "upn"}, {Name: "ctry"}, {Name: "family_name"}},
	}
	tests := []struct {
		name  string
		token Token
		want  map[string]any
	}{
		{"the ID token carries its optional claims and extension attributes (E-12)", IDToken, map[string]any{
			"email": "ada@contoso.example", "given_name": "Ada", "acct": 1, "extensionAttribute3": "cost-centre-7",
			"extension_0123456789abcdef0123456789abcdef_badge":      "B-42",
			"extension_0123456789ABCDEF0123456789abcdef_costCentre": "CC-9"}},
		{"the access token carries only its own optional claims (E-01)", AccessToken, map[string]any{
			"upn": "ada@contoso.example", "ctry": "GB", "family_name": "Lovelace"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Build(tt.token, settings, Facts{User: u}, ""); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("claims = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBuildNeverLetsOptionalClaimsOverwriteReservedOnes(t *testing.T) {
	t.Parallel()
	settings := Settings{GroupMembershipClaims: "DirectoryRole",
		AccessToken: []OptionalClaim{{Name: "iss"}, {Name: "roles"}, {Name: "wids"}, {Name: "oid"}, {Name: "_claim_names"}}}
	got := Build(AccessToken, settings, Facts{AppRoles: []string{"Reader"}, DirectoryRoles: []string{globalReader}}, "")
	want := map[string]any{"roles": []string{"Reader"}, "wids": []string{globalReader}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("claims = %v, want %v", got, want)
	}
}

func TestMemberObjectIDs(t *testing.T) {
	t.Parallel()
	if got, want := MemberObjectIDs(allGroups, false), []string{"g-eng", "g-m365", "g-platform", "g-synced"}; !reflect.DeepEqual(got, want) {
		t.Errorf("all member objects = %v, want %v", got, want)
	}
	if got, want := MemberObjectIDs(allGroups, true), []string{"g-eng", "g-platform", "g-synced"}; !reflect.DeepEqual(got, want) {
		t.Errorf("security-enabled member objects = %v, want %v", got, want)
	}
}

func assertClaim(t *testing.T, claims map[string]any, name string, want any) {
	t.Helper()
	got, ok := claims[name]
	if want == nil {
		if ok {
			t.Errorf("%s = %v, want no such claim", name, got)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", name, got, want)
	}
}
