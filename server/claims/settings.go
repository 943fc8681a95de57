package claims

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Values of groupMembershipClaims (Entra's application manifest).
const (
	GroupsNone             = "None"
	GroupsSecurityGroup    = "SecurityGroup"
	GroupsDirectoryRole    = "DirectoryRole"
	GroupsApplicationGroup = "ApplicationGroup"
	GroupsAll              = "All"
)

// Additional properties of the `groups` optional claim (the group form).
const (
	FormSAMAccountName   = "sam_account_name"
	FormCloudDisplayName = "cloud_displayname"
	FormEmitAsRoles      = "emit_as_roles"
)

// Token is the kind of token claims are built for.
type Token int

// Token kinds: optional claims are configured per kind.
const (
	IDToken Token = iota
	AccessToken
)

// OptionalClaim is one entry of an application's optionalClaims for a token
// kind: a claim from Catalogue, an extension attribute, or `groups` to set
// the group form through AdditionalProperties.
type OptionalClaim struct {
	Name                 string
	AdditionalProperties []string
}

// Settings are an application's claim settings.
type Settings struct {
	// GroupMembershipClaims is a comma-separated set of the Groups* values;
	// empty means None.
	GroupMembershipClaims string
	IDToken               []OptionalClaim
	AccessToken           []OptionalClaim
}

// optional returns the optional claims configured for a token kind.
func (s Settings) optional(t Token) []OptionalClaim {
	if t == IDToken {
		return s.IDToken
	}
	return s.AccessToken
}

// Selection is a parsed groupMembershipClaims: which groups and whether
// directory roles are emitted.
type Selection struct {
	SecurityGroups    bool // security-enabled groups
	AllGroups         bool // every group, Microsoft 365 included
	ApplicationGroups bool // groups assigned to the application
	DirectoryRoles    bool // `wids`
}

// Groups reports whether the selection emits any group.
func (s Selection) Groups() bool { return s.SecurityGroups || s.AllGroups || s.ApplicationGroups }

// ParseGroupMembershipClaims reads a comma-separated groupMembershipClaims
// value; names are matched case-insensitively and "" means None. None cannot
// be combined with another value.
func ParseGroupMembershipClaims(v string) (Selection, error) {
	var sel Selection
	if strings.TrimSpace(v) == "" {
		return sel, nil
	}
	parts := strings.Split(v, ",")
	for _, part := range parts {
		switch strings.ToLower(strings.TrimSpace(part)) {
		case "none":
			if len(parts) > 1 {
				return Selection{}, fmt.Errorf("groupMembershipClaims: None cannot be combined with other values")
			}
		case "securitygroup":
			sel.SecurityGroups, sel.DirectoryRoles = true, true
		case "directoryrole":
			sel.DirectoryRoles = true
		case "applicationgroup":
			sel.ApplicationGroups = true
		case "all":
			sel.AllGroups, sel.DirectoryRoles = true, true
		default:
			return Selection{}, fmt.Errorf("groupMembershipClaims: %q is not one of None, SecurityGroup, DirectoryRole, ApplicationGroup, All", strings.TrimSpace(part))
		}
	}
	return sel, nil
}

// NormalizeGroupMembershipClaims returns the canonical spelling of a valid
// value ("None" for empty), or the parse error.
func NormalizeGroupMembershipClaims(v string) (string, error) {
	sel, err := ParseGroupMembershipClaims(v)
	if err != nil {
		return "", err
	}
	var out []string
	if sel.AllGroups {
		return GroupsAll, nil
	}
	if sel.SecurityGroups {
		out = append(out, GroupsSecurityGroup)
	} else if sel.DirectoryRoles {
		out = append(out, GroupsDirectoryRole)
	}
	if sel.ApplicationGroups {
		out = append(out, GroupsApplicationGroup)
	}
	if len(out) == 0 {
		return GroupsNone, nil
	}
	return strings.Join(out, ","), nil
}

// directoryExtension matches Entra's directory extension names:
// extension_<appId without dashes>_<attribute>.
var directoryExtension = regexp.MustCompile(`^extension_[0-9a-fA-F]{32}_[A-Za-z][A-Za-z0-9_]{0,99}$`)

// IsExtensionAttribute reports whether name is an extension attribute a token
// may carry (E-12): extensionAttribute1…15 or a directory extension.
func IsExtensionAttribute(name string) bool {
	if n, ok := strings.CutPrefix(name, "extensionAttribute"); ok {
		return slices.Contains(onPremisesExtensionNumbers, n)
	}
	return directoryExtension.MatchString(name)
}

var onPremisesExtensionNumbers = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"}

// Validate checks every optional claim of both token kinds and the
// groupMembershipClaims value, and reports all problems at once as a
// *SettingsError.
func (s Settings) Validate() error {
	var problems []SettingsProblem
	if _, err := ParseGroupMembershipClaims(s.GroupMembershipClaims); err != nil {
		problems = append(problems, SettingsProblem{"groupMembershipClaims", strings.TrimPrefix(err.Error(), "groupMembershipClaims: ")})
	}
	for _, kind := range []struct {
		name   string
		claims []OptionalClaim
	}{{"idToken", s.IDToken}, {"accessToken", s.AccessToken}} {
		seen := map[string]bool{}
		for i, c := range kind.claims {
			field := fmt.Sprintf("optionalClaims.%s[%d]", kind.name, i)
			if p := validateOptional(c); p != "" {
				problems = append(problems, SettingsProblem{field, p})
			}
			if seen[c.Name] {
				problems = append(problems, SettingsProblem{field, fmt.Sprintf("%q is listed twice", c.Name)})
			}
			seen[c.Name] = true
		}
	}
	if len(problems) > 0 {
		return &SettingsError{Problems: problems}
	}
	return nil
}

func validateOptional(c OptionalClaim) string {
	switch {
	case Reserved[c.Name]:
		return fmt.Sprintf("%q is a reserved claim and cannot be an optional claim", c.Name)
	case c.Name == "groups":
		for _, p := range c.AdditionalProperties {
			if p != FormSAMAccountName && p != FormCloudDisplayName && p != FormEmitAsRoles {
				return fmt.Sprintf("groups: additional property %q is not one of %s, %s, %s", p, FormSAMAccountName, FormCloudDisplayName, FormEmitAsRoles)
			}
		}
		if slices.Contains(c.AdditionalProperties, FormSAMAccountName) && slices.Contains(c.AdditionalProperties, FormCloudDisplayName) {
			return fmt.Sprintf("groups: %s and %s cannot both be set", FormSAMAccountName, FormCloudDisplayName)
		}
		return ""
	case len(c.AdditionalProperties) > 0:
		return fmt.Sprintf("%q takes no additional properties", c.Name)
	case Catalogue[c.Name] != nil || IsExtensionAttribute(c.Name):
		return ""
	default:
		return fmt.Sprintf("%q is not a known optional claim or extension attribute", c.Name)
	}
}

// SettingsProblem is one invalid field of claim settings.
type SettingsProblem struct {
	Field   string // groupMembershipClaims or optionalClaims.<kind>[i]
	Message string
}

// SettingsError lists every problem of invalid claim settings.
type SettingsError struct {
	Problems []SettingsProblem
}

func (e *SettingsError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		parts = append(parts, p.Field+": "+p.Message)
	}
	return "invalid claim settings: " + strings.Join(parts, "; ")
}
