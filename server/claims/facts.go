package claims

// Group is one group the user is a transitive member of, as the claims need
// it.
type Group struct {
	ID              string
	DisplayName     string
	SecurityEnabled bool // security groups (and mail-enabled security groups)
	// OnPremisesSAMAccountName is set only for groups synced from on-premises.
	OnPremisesSAMAccountName string
	// AssignedToApp is true when the group holds an app role assignment
	// (Default Access included) on the token's application.
	AssignedToApp bool
}

// User holds the user attributes optional claims can release.
type User struct {
	UserPrincipalName string
	GivenName         string
	Surname           string
	Mail              string
	UserType          string // storage.UserTypeMember or storage.UserTypeGuest
	Country           string
	// Extensions holds extensionAttribute1…15 and directory extension values
	// by attribute name (directory extensions lower-case); empty values are
	// not emitted.
	Extensions map[string]string
}

// Facts are the directory facts about the token's subject, loaded once per
// token (server/directory ClaimFacts).
type Facts struct {
	User User
	// Groups are the user's transitive group memberships, in any order.
	Groups []Group
	// AppRoles are the app role values of the application the user holds,
	// directly or through groups; duplicates are allowed.
	AppRoles []string
	// DirectoryRoles are the template IDs of the built-in directory roles the
	// user holds (assigned, through a role-assignable group, or PIM-active);
	// duplicates are allowed.
	DirectoryRoles []string
}
