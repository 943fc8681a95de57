package claims

import (
	"slices"
)

// MaxJWTGroups is the most groups a JWT carries; with more, the overage
// claims replace `groups` (Entra's limit for JWTs).
const MaxJWTGroups = 200

// OverageSource is the name of the claim source the overage claims use.
const OverageSource = "src1"

// Reserved are the claims Sigil's token code owns. Optional claims can never
// produce them, whatever an application's settings say.
var Reserved = map[string]bool{
	"iss": true, "sub": true, "aud": true, "exp": true, "iat": true, "nbf": true,
	"jti": true, "scp": true, "scope": true, "client_id": true, "oid": true,
	"tid": true, "ver": true, "azp": true, "idtyp": true, "nonce": true,
	"auth_time": true, "amr": true, "acr": true, "sid": true, "at_hash": true,
	"c_hash": true, "roles": true, "wids": true, "_claim_names": true,
	"_claim_sources": true, "name": true, "preferred_username": true,
}

// Build returns the group, role and optional claims of a token of kind t for
// an application with settings s and a subject with facts f. overageEndpoint
// is the URL that lists the subject's groups when they exceed MaxJWTGroups.
// Settings are assumed valid (Settings.Validate); unknown or reserved
// optional claims are skipped.
func Build(t Token, s Settings, f Facts, overageEndpoint string) map[string]any {
	out := map[string]any{}
	sel, _ := ParseGroupMembershipClaims(s.GroupMembershipClaims)
	form := groupForm(s.optional(t))

	roles := slices.Clone(f.AppRoles)
	if sel.Groups() {
		groups := selectGroups(sel, form, f.Groups)
		switch {
		case len(groups) > MaxJWTGroups:
			out["_claim_names"] = map[string]any{"groups": OverageSource}
			out["_claim_sources"] = map[string]any{OverageSource: map[string]any{"endpoint": overageEndpoint}}
		case form.asRoles:
			roles = append(roles, groups...)
		case len(groups) > 0:
			out["groups"] = groups
		}
	}
	if roles = sortedUnique(roles); len(roles) > 0 {
		out["roles"] = roles
	}
	if sel.DirectoryRoles {
		if wids := sortedUnique(f.DirectoryRoles); len(wids) > 0 {
			out["wids"] = wids
		}
	}
	for name, v := range optionalClaims(s.optional(t), f.User) {
		out[name] = v
	}
	return out
}

// form is how groups are written in a token kind.
type form struct {
	sam, displayName, asRoles bool
}

func groupForm(optional []OptionalClaim) form {
	var f form
	for _, c := range optional {
		if c.Name != "groups" {
			continue
		}
		f.sam = slices.Contains(c.AdditionalProperties, FormSAMAccountName)
		f.displayName = slices.Contains(c.AdditionalProperties, FormCloudDisplayName)
		f.asRoles = slices.Contains(c.AdditionalProperties, FormEmitAsRoles)
	}
	return f
}

// selectGroups filters the memberships by the selection and writes each in
// the token's group form, sorted and de-duplicated.
func selectGroups(sel Selection, f form, groups []Group) []string {
	out := make([]string, 0, len(groups))
	for _, g := range groups {
		if !sel.AllGroups && !(sel.SecurityGroups && g.SecurityEnabled) && !(sel.ApplicationGroups && g.AssignedToApp) {
			continue
		}
		out = append(out, f.value(g))
	}
	return sortedUnique(out)
}

func (f form) value(g Group) string {
	switch {
	case f.sam && g.OnPremisesSAMAccountName != "":
		return g.OnPremisesSAMAccountName
	case f.displayName && g.OnPremisesSAMAccountName == "" && g.DisplayName != "":
		return g.DisplayName
	default:
		return g.ID
	}
}

// MemberObjectIDs is the answer of the overage endpoint (Graph's
// getMemberObjects): the IDs of every group the user is a transitive member
// of, or of the security-enabled ones only, sorted and de-duplicated.
func MemberObjectIDs(groups []Group, securityEnabledOnly bool) []string {
	sel := Selection{AllGroups: !securityEnabledOnly, SecurityGroups: securityEnabledOnly}
	return selectGroups(sel, form{}, groups)
}

func sortedUnique(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	v = slices.Clone(v)
	slices.Sort(v)
	return slices.Compact(v)
}
