package claims

import "strings"

// Catalogue maps the optional claims Sigil offers (a subset of Entra's) to
// the user attribute each releases. An empty value is never emitted.
var Catalogue = map[string]func(User) any{
	"email":       func(u User) any { return strings.ToLower(u.Mail) },
	"given_name":  func(u User) any { return u.GivenName },
	"family_name": func(u User) any { return u.Surname },
	"upn":         func(u User) any { return u.UserPrincipalName },
	"ctry":        func(u User) any { return u.Country },
	// acct is 0 for a member of the tenant and 1 for a guest (Entra).
	"acct": func(u User) any {
		if u.UserType == "Guest" {
			return 1
		}
		return 0
	},
}

// optionalClaims evaluates a token kind's optional claims; `groups` (the
// group form), reserved names and unknown names produce nothing.
func optionalClaims(requested []OptionalClaim, u User) map[string]any {
	out := map[string]any{}
	for _, c := range requested {
		if Reserved[c.Name] || c.Name == "groups" {
			continue
		}
		if IsExtensionAttribute(c.Name) {
			if v := extensionValue(u, c.Name); v != "" {
				out[c.Name] = v
			}
			continue
		}
		value, ok := Catalogue[c.Name]
		if !ok {
			continue
		}
		if v := value(u); v != "" {
			out[c.Name] = v
		}
	}
	return out
}

// extensionValue reads an extension attribute; directory extension names are
// matched case-insensitively (the directory keeps them lower-case).
func extensionValue(u User, name string) string {
	if v, ok := u.Extensions[name]; ok {
		return v
	}
	return u.Extensions[strings.ToLower(name)]
}
