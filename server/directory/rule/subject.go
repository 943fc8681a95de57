package rule

// Subject is the user a rule is evaluated against. Property names are the
// canonical whitelist spellings ("department", "extensionAttribute3") or
// lower-cased directory-extension names ("extension_<appid>_<name>").
type Subject interface {
	// String returns a single-valued string property; "" when unset.
	String(name string) string
	// Bool returns a boolean property; false when unset.
	Bool(name string) bool
	// Strings returns a multi-valued property; nil when unset.
	Strings(name string) []string
	// MemberOf reports whether the user is a direct member of the group with
	// this object ID (lower-case UUID).
	MemberOf(groupID string) bool
}

// Attributes is a Subject held in plain maps, for callers that already have a
// user's values at hand.
type Attributes struct {
	Text   map[string]string
	Flags  map[string]bool
	Lists  map[string][]string
	Groups map[string]bool // direct memberships by lower-case object ID
}

// String returns the text property name.
func (a Attributes) String(name string) string { return a.Text[name] }

// Bool returns the boolean property name.
func (a Attributes) Bool(name string) bool { return a.Flags[name] }

// Strings returns the multi-valued property name.
func (a Attributes) Strings(name string) []string { return a.Lists[name] }

// MemberOf reports direct membership of groupID.
func (a Attributes) MemberOf(groupID string) bool { return a.Groups[groupID] }
