package rule

import (
	"regexp"
	"strconv"
	"strings"
)

// kind is the value shape of a user property.
type kind int

const (
	kindString kind = iota
	kindBool
	kindMulti
)

// property is a whitelisted user property: name is the spelling a Subject
// receives and the canonical form prints as "user." + name.
type property struct {
	name string
	kind kind
}

// knownProperties maps lower-cased names to the user properties a rule may
// reference (B-10, B-47).
var knownProperties = func() map[string]property {
	props := map[string]property{}
	for _, name := range []string{
		"displayName", "givenName", "surname", "mail", "userPrincipalName",
		"userType", "department", "jobTitle", "companyName", "employeeId",
		"city", "country", "usageLocation", "mobilePhone",
	} {
		props[strings.ToLower(name)] = property{name: name, kind: kindString}
	}
	for i := 1; i <= 15; i++ {
		name := "extensionAttribute" + strconv.Itoa(i)
		props[strings.ToLower(name)] = property{name: name, kind: kindString}
	}
	props["accountenabled"] = property{name: "accountEnabled", kind: kindBool}
	props["othermails"] = property{name: "otherMails", kind: kindMulti}
	props["proxyaddresses"] = property{name: "proxyAddresses", kind: kindMulti}
	return props
}()

// directoryExtension matches extension_<application ID without dashes>_<name>.
var directoryExtension = regexp.MustCompile(`^extension_[0-9a-f]{32}_[a-z0-9_]+$`)

// lookupProperty resolves a "user.<name>" path, case-insensitively.
func lookupProperty(path string) (property, bool) {
	lower := strings.ToLower(path)
	name, ok := strings.CutPrefix(lower, "user.")
	if !ok {
		return property{}, false
	}
	if prop, known := knownProperties[name]; known {
		return prop, true
	}
	if directoryExtension.MatchString(name) {
		return property{name: name, kind: kindString}, true
	}
	return property{}, false
}
