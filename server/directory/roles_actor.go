package directory

// Actor is the caller of a directory operation, for permission checks: the
// signed-in user and their effective directory role template IDs, or System
// for the operator's CLI and bootstrap tasks.
type Actor struct {
	UserID          string
	RoleTemplateIDs []string
	System          bool
	// MayCreateGroups is set by the admin API when the tenant's default user
	// permissions let this user create the (non-role-assignable) group (I-02).
	MayCreateGroups bool
}
