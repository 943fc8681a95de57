package directory

import (
	"slices"

	"github.com/sigil-idp/sigil/storage"
)

// AppAccess is what an application's assignments give one user: whether any
// enabled assignment reaches the user (what "assignment required" checks)
// and the values of the enabled app roles that do, sorted and de-duplicated
// (the `roles` claim, D-01).
type AppAccess struct {
	Assigned bool
	Roles    []string
}

// EvaluateAppAccess decides, without I/O, which of an application's grants
// reach a user of the given type related to groups by links:
//
//   - an assignment to the user reaches the user;
//   - an assignment to a group (no team type) reaches its direct members,
//     members and guests alike, as in Entra: members of nested groups do not
//     inherit app role assignments;
//   - a Dataverse-style group team reaches the group's direct members of the
//     team's membership type: MembersAndGuests all of them, Members only
//     userType Member, Guests only userType Guest, Owners the group's owners
//     (D-14, D-18, D-20);
//   - a disabled app role reaches nobody.
func EvaluateAppAccess(grants []storage.AppRoleGrant, userID, userType string, links []GroupLink) AppAccess {
	byGroup := make(map[string]GroupLink, len(links))
	for _, l := range links {
		byGroup[l.GroupID] = l
	}
	var out AppAccess
	for _, g := range grants {
		if !g.Enabled || !grantReaches(g, userID, userType, byGroup) {
			continue
		}
		out.Assigned = true
		if g.Value != "" {
			out.Roles = append(out.Roles, g.Value)
		}
	}
	slices.Sort(out.Roles)
	out.Roles = slices.Compact(out.Roles)
	return out
}

// grantReaches applies the reach rules of EvaluateAppAccess to one grant.
func grantReaches(g storage.AppRoleGrant, userID, userType string, byGroup map[string]GroupLink) bool {
	switch g.PrincipalType {
	case storage.PrincipalUser:
		return g.PrincipalID == userID
	case storage.PrincipalGroup:
		l, ok := byGroup[g.PrincipalID]
		if !ok {
			return false
		}
		switch g.TeamType {
		case "", storage.GroupTeamMembersAndGuests:
			return l.Member
		case storage.GroupTeamMembers:
			return l.Member && userType != storage.UserTypeGuest
		case storage.GroupTeamGuests:
			return l.Member && userType == storage.UserTypeGuest
		case storage.GroupTeamOwners:
			return l.Owner
		}
	}
	return false
}

// needsUserType reports whether any grant's reach depends on the user's type,
// so the user is read only when it matters.
func needsUserType(grants []storage.AppRoleGrant) bool {
	return slices.ContainsFunc(grants, func(g storage.AppRoleGrant) bool {
		return g.TeamType == storage.GroupTeamMembers || g.TeamType == storage.GroupTeamGuests
	})
}

// builtInOnly keeps the IDs of built-in roles: `wids` carries role template
// IDs only, not custom role IDs.
func builtInOnly(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, ok := builtInByID[id]; ok {
			out = append(out, id)
		}
	}
	return out
}
