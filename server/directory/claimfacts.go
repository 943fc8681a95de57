package directory

import (
	"context"
	"strconv"

	"github.com/sigil-idp/sigil/server/claims"
	"github.com/sigil-idp/sigil/storage"
)

// ClaimFacts loads, for one token, the directory facts that group and role
// claims are built from, and builds the claims with server/claims (it
// implements server/op's ClaimSource).
//
// A token costs four queries, whatever the number of groups: the user's
// groups (transitive, by one recursive query, when the token lists groups;
// direct only otherwise), the groups they own (group teams), the
// application's grants reaching the user or those groups, and the user's
// effective directory roles. App roles and `wids` follow the
// rules of Roles (EvaluateAppAccess: a group's app role reaches its direct
// members; role-assignable groups cannot nest).
type ClaimFacts struct {
	Store storage.Storage
	Roles *Roles
}

// Facts loads the directory facts about user u for a token of app.
func (c *ClaimFacts) Facts(ctx context.Context, app *storage.Application, u *storage.User) (claims.Facts, error) {
	sel, err := claims.ParseGroupMembershipClaims(app.GroupMembershipClaims)
	if err != nil {
		sel = claims.Selection{} // stored settings are validated; an invalid one emits no groups
	}
	memberships, err := c.memberships(ctx, u, sel.Groups())
	if err != nil {
		return claims.Facts{}, err
	}
	owned, err := c.Store.ListOwnedGroupIDs(ctx, u.TenantID, u.ID)
	if err != nil {
		return claims.Facts{}, err
	}
	links := groupLinks(memberships, owned)
	grants, err := c.Store.AppRoleGrants(ctx, u.TenantID, app.ID, grantPrincipals(u.ID, links, memberships, sel.ApplicationGroups))
	if err != nil {
		return claims.Facts{}, err
	}
	roleIDs, err := c.Roles.effectiveRoleIDs(ctx, u.TenantID, u.ID, links)
	if err != nil {
		return claims.Facts{}, err
	}
	facts := claims.Facts{
		User:           claimUser(u),
		AppRoles:       EvaluateAppAccess(grants, u.ID, u.UserType, links).Roles,
		DirectoryRoles: builtInOnly(roleIDs),
	}
	if sel.Groups() {
		facts.Groups = claimGroups(memberships, grants)
	}
	return facts, nil
}

// memberships reads the user's transitive groups when the token lists
// groups. Otherwise the cheaper direct memberships suffice: app roles reach
// direct members only, and directory roles are held only by role-assignable
// groups (C-09), which cannot nest (C-16); each direct group is passed on as
// a possible role holder.
func (c *ClaimFacts) memberships(ctx context.Context, u *storage.User, transitive bool) ([]storage.GroupMembership, error) {
	if transitive {
		return c.Store.TransitiveGroupsOfUser(ctx, u.TenantID, u.ID)
	}
	ids, err := c.Store.ListUserGroupIDs(ctx, u.TenantID, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]storage.GroupMembership, 0, len(ids))
	for _, id := range ids {
		out = append(out, storage.GroupMembership{GroupID: id, Direct: true, IsAssignableToRole: true})
	}
	return out, nil
}

// groupLinks are the user's direct memberships and ownerships, as Roles
// evaluates them.
func groupLinks(memberships []storage.GroupMembership, owned []string) []GroupLink {
	links := make([]GroupLink, 0, len(owned)+8)
	index := map[string]int{}
	for _, m := range memberships {
		if m.Direct {
			index[m.GroupID] = len(links)
			links = append(links, GroupLink{GroupID: m.GroupID, Member: true, AssignableToRole: m.IsAssignableToRole})
		}
	}
	for _, id := range owned {
		if i, ok := index[id]; ok {
			links[i].Owner = true
			continue
		}
		links = append(links, GroupLink{GroupID: id, Owner: true})
	}
	return links
}

// grantPrincipals are the principals whose grants a token reads: the user,
// their linked groups, and, for ApplicationGroup, every group they belong to.
func grantPrincipals(userID string, links []GroupLink, memberships []storage.GroupMembership, allGroups bool) []string {
	ids := make([]string, 0, 1+len(links)+len(memberships))
	ids = append(ids, userID)
	for _, l := range links {
		ids = append(ids, l.GroupID)
	}
	if allGroups {
		for _, m := range memberships {
			if !m.Direct {
				ids = append(ids, m.GroupID)
			}
		}
	}
	return ids
}

// claimGroups turns memberships into claim facts; a group is assigned to
// the application when an enabled grant (Default Access included) names it.
func claimGroups(memberships []storage.GroupMembership, grants []storage.AppRoleGrant) []claims.Group {
	assigned := map[string]bool{}
	for _, g := range grants {
		if g.PrincipalType == storage.PrincipalGroup && g.Enabled {
			assigned[g.PrincipalID] = true
		}
	}
	out := make([]claims.Group, 0, len(memberships))
	for _, m := range memberships {
		out = append(out, claims.Group{ID: m.GroupID, DisplayName: m.DisplayName,
			SecurityEnabled: m.SecurityEnabled, AssignedToApp: assigned[m.GroupID]})
	}
	return out
}

// UserClaims returns the directory claims of the user's ID token and access
// token for app (op.ClaimSource).
func (c *ClaimFacts) UserClaims(ctx context.Context, app *storage.Application, u *storage.User, overageEndpoint string) (id, access map[string]any, err error) {
	facts, err := c.Facts(ctx, app, u)
	if err != nil {
		return nil, nil, err
	}
	settings := ClaimSettings(app)
	return claims.Build(claims.IDToken, settings, facts, overageEndpoint),
		claims.Build(claims.AccessToken, settings, facts, overageEndpoint), nil
}

// ClientRoles returns the app roles an application holds on itself: the
// `roles` of its client-credentials tokens, whose audience is the
// application (op.ClaimSource).
func (c *ClaimFacts) ClientRoles(ctx context.Context, app *storage.Application) ([]string, error) {
	return c.Roles.ClientAppRoles(ctx, app.TenantID, app.ID, app.ID)
}

// MemberObjects returns the IDs of every group the user belongs to,
// transitively, or of the security-enabled ones: the group overage
// endpoint's answer (op.ClaimSource).
func (c *ClaimFacts) MemberObjects(ctx context.Context, tenantID, userID string, securityEnabledOnly bool) ([]string, error) {
	memberships, err := c.Store.TransitiveGroupsOfUser(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	groups := make([]claims.Group, 0, len(memberships))
	for _, m := range memberships {
		groups = append(groups, claims.Group{ID: m.GroupID, SecurityEnabled: m.SecurityEnabled})
	}
	return claims.MemberObjectIDs(groups, securityEnabledOnly), nil
}

// claimUser picks the user attributes optional claims may release.
func claimUser(u *storage.User) claims.User {
	ext := make(map[string]string, len(u.DirectoryExtensions)+len(u.ExtensionAttributes))
	for i, v := range u.ExtensionAttributes {
		if v != "" {
			ext["extensionAttribute"+strconv.Itoa(i+1)] = v
		}
	}
	for name, v := range u.DirectoryExtensions {
		ext[name] = v
	}
	return claims.User{
		UserPrincipalName: u.UserPrincipalName, GivenName: u.GivenName, Surname: u.Surname,
		Mail: u.Mail, UserType: u.UserType, Country: u.Country, Extensions: ext,
	}
}
