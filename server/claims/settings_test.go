package claims

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeGroupMembershipClaims(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "", want: "None"},
		{in: "none", want: "None"},
		{in: "SecurityGroup", want: "SecurityGroup"},
		{in: "directoryrole", want: "DirectoryRole"},
		{in: "ApplicationGroup,DirectoryRole", want: "DirectoryRole,ApplicationGroup"},
		{in: "SecurityGroup, DirectoryRole", want: "SecurityGroup"},
		{in: "All,SecurityGroup", want: "All"},
		{in: "Everything", err: `"Everything" is not one of`},
		{in: "None,All", err: "None cannot be combined"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := NormalizeGroupMembershipClaims(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestSettingsValidate(t *testing.T) {
	tests := []struct {
		name     string
		settings Settings
		problems []string
	}{
		{"accepts catalogue claims, extension attributes and a group form", Settings{
			GroupMembershipClaims: "All",
			IDToken: []OptionalClaim{{Name: "email"}, {Name: "extensionAttribute15"},
				{Name: "extension_0123456789abcdef0123456789abcdef_costCentre"},
				{Name: "groups", AdditionalProperties: []string{FormSAMAccountName, FormEmitAsRoles}}},
		}, nil},
		{"refuses a reserved claim", Settings{AccessToken: []OptionalClaim{{Name: "iss"}}},
			[]string{`optionalClaims.accessToken[0]: "iss" is a reserved claim`}},
		{"refuses an unknown claim and extensionAttribute16", Settings{IDToken: []OptionalClaim{{Name: "shoe_size"}, {Name: "extensionAttribute16"}}},
			[]string{`"shoe_size" is not a known optional claim`, `"extensionAttribute16" is not a known optional claim`}},
		{"refuses schema-less extension names (E-12: only directory extensions)", Settings{IDToken: []OptionalClaim{{Name: "extension_badge"}}},
			[]string{`"extension_badge" is not a known`}},
		{"refuses an unknown group form and two forms at once", Settings{
			IDToken:     []OptionalClaim{{Name: "groups", AdditionalProperties: []string{"netbios"}}},
			AccessToken: []OptionalClaim{{Name: "groups", AdditionalProperties: []string{FormSAMAccountName, FormCloudDisplayName}}},
		}, []string{`additional property "netbios"`, "cannot both be set"}},
		{"refuses duplicates and properties on plain claims", Settings{IDToken: []OptionalClaim{{Name: "upn"}, {Name: "upn", AdditionalProperties: []string{"x"}}}},
			[]string{`"upn" takes no additional properties`, `"upn" is listed twice`}},
		{"reports a bad groupMembershipClaims with the rest", Settings{GroupMembershipClaims: "Some", IDToken: []OptionalClaim{{Name: "nope"}}},
			[]string{`"Some" is not one of`, `"nope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.settings.Validate()
			if tt.problems == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var se *SettingsError
			if !errors.As(err, &se) || len(se.Problems) != len(tt.problems) {
				t.Fatalf("Validate() = %v, want %d problems", err, len(tt.problems))
			}
			for i, p := range tt.problems {
				if got := se.Problems[i].Field + ": " + se.Problems[i].Message; !strings.Contains(got, p) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got, p)
				}
			}
		})
	}
}
