package rule

// Subject is the user a rule is evaluated against. Property names are the
// canonical whitelist spellings ("department", "extensionAttribute3") or
// lower-cased directory-extension names ("extension_<appid>_<name>").
type Subject interface {
	// Text returns a single-valued text property; "" when unset.
	Text(name string) string
	// Flag returns a boolean property; false when unset.
	Flag(name string) bool
	// List returns a multi-valued property; nil when unset.
	List(name string) []string
	// MemberOf reports whether the user is a direct member of the group with
	// this object ID (lower-case UUID).
	MemberOf(groupID string) bool
}

// Attributes is a Subject held in plain maps, for callers that already have a
// user's values at hand.
type Attributes struct {
	Texts  map[string]string
	Flags  map[string]bool
	Lists  map[string][]string
	Groups map[string]bool // direct memberships by lower-case object ID
}

// Text returns the text property name.
func (a Attributes) Text(name string) string { return a.Texts[name] }

// Flag returns the boolean property name.
func (a Attributes) Flag(name string) bool { return a.Flags[name] }

// List returns the multi-valued property name.
func (a Attributes) List(name string) []string { return a.Lists[name] }

// MemberOf reports direct membership of groupID.
func (a Attributes) MemberOf(groupID string) bool { return a.Groups[groupID] }
