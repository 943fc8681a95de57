package policy

import (
	"errors"
	"fmt"
	"slices"
)

// ErrSecurityDefaultsOn refuses enabling a policy while security defaults
// are on (F-16, F-17).
var ErrSecurityDefaultsOn = errors.New("Conditional Access policies cannot be enabled while security defaults are on; turn security defaults off first, or save the policy as report-only")

// CheckCoexistence refuses an enabled policy while security defaults are on.
// Report-only and disabled policies may be prepared beforehand, so that the
// switch from security defaults to Conditional Access leaves no gap (F-17).
func CheckCoexistence(securityDefaults bool, state string) error {
	if securityDefaults && state == StateEnabled {
		return ErrSecurityDefaultsOn
	}
	return nil
}

// Admin is a Global Administrator as the lockout guardrail sees them.
type Admin struct {
	UserID   string
	Guest    bool
	GroupIDs []string
	RoleIDs  []string
}

// LockoutError refuses a policy that would lock every Global Administrator
// out; the admin API lets the caller force it.
type LockoutError struct {
	Reason string
}

func (e *LockoutError) Error() string { return e.Reason }

// CheckLockout refuses an enabled policy that blocks access to every
// application or to the admin resource for every Global Administrator, unless
// at least one of them — an emergency-access account — is excluded. Other
// conditions (locations, platforms, client apps) do not make a block safe:
// an administrator cannot always choose where they sign in from.
func CheckLockout(p Policy, admins []Admin) error {
	if p.State != StateEnabled || !blocks(p) || !targetsAdminAccess(p) || p.Conditions.Users == nil {
		return nil
	}
	if len(admins) == 0 {
		return nil
	}
	u := p.Conditions.Users
	for _, a := range admins {
		e := newEvaluation(Input{Signals: Signals{UserID: a.UserID, Guest: a.Guest, GroupIDs: a.GroupIDs, RoleIDs: a.RoleIDs}})
		if kind, _ := e.userMatch(u.ExcludeUsers, u.ExcludeGroups, u.ExcludeRoles); kind != "" {
			return nil
		}
		if kind, _ := e.userMatch(u.IncludeUsers, u.IncludeGroups, u.IncludeRoles); kind == "" {
			return nil
		}
	}
	return &LockoutError{Reason: fmt.Sprintf("The policy %q blocks every Global Administrator (%d of them) and excludes none. "+
		"Exclude an emergency-access account, or save it with force to accept the risk of locking everyone out.", p.DisplayName, len(admins))}
}

func blocks(p Policy) bool {
	return p.GrantControls != nil && slices.Contains(p.GrantControls.BuiltInControls, ControlBlock)
}

func targetsAdminAccess(p Policy) bool {
	a := p.Conditions.Applications
	if a == nil || len(a.IncludeUserActions) > 0 {
		return false
	}
	return slices.ContainsFunc(a.IncludeApplications, func(id string) bool { return appMatches(id, AdminResourceID) }) &&
		!slices.ContainsFunc(a.ExcludeApplications, func(id string) bool { return appMatches(id, AdminResourceID) })
}
