package op

import (
	"context"
	"net/url"
	"slices"

	"github.com/sigil-idp/sigil/storage"
)

// ClaimSource builds the directory claims of tokens — `groups`, `roles`,
// `wids`, the group overage claims, optional claims and extension
// attributes — from the directory (server/directory.ClaimFacts, over the
// pure server/claims).
type ClaimSource interface {
	// UserClaims returns the directory claims of a user's ID token and
	// access token for app. overageEndpoint is where a relying party reads
	// the full group list when it does not fit the token.
	UserClaims(ctx context.Context, app *storage.Application, u *storage.User, overageEndpoint string) (id, access map[string]any, err error)
	// ClientRoles returns the `roles` of an app-only (client credentials)
	// token: the app roles of app assigned to app's own service principal.
	ClientRoles(ctx context.Context, app *storage.Application) ([]string, error)
	// MemberObjects returns the IDs of the groups a user belongs to,
	// transitively (the overage endpoint's answer).
	MemberObjects(ctx context.Context, tenantID, userID string, securityEnabledOnly bool) ([]string, error)
}

// memberObjectsURL is the overage endpoint of a user: Graph's
// getMemberObjects under the tenant.
func (p *Provider) memberObjectsURL(tenantID, userID string) string {
	return p.BaseURL + "/" + url.PathEscape(tenantID) + "/v1.0/users/" + url.PathEscape(userID) + "/getMemberObjects"
}

// addUserClaims puts the directory claims into a user's session. Claims the
// session already holds (op's own identity and profile claims) win; the
// names added are remembered so a refresh can replace them.
func (p *Provider) addUserClaims(ctx context.Context, s *Session, app *storage.Application, u *storage.User) error {
	if p.Claims == nil {
		return nil
	}
	id, access, err := p.Claims.UserClaims(ctx, app, u, p.memberObjectsURL(s.Tenant, u.ID))
	if err != nil {
		return err
	}
	s.IDDirectoryClaims = mergeNew(s.Claims.Extra, id)
	s.AccessDirectoryClaims = mergeNew(s.Access.Extra, access)
	return nil
}

// refreshUserClaims replaces the directory claims of a refreshed session,
// so membership and role changes show in the next token.
func (p *Provider) refreshUserClaims(ctx context.Context, s *Session, app *storage.Application, u *storage.User) error {
	if s.DefaultSession == nil || s.Claims == nil || s.Access == nil {
		return nil
	}
	for _, name := range s.IDDirectoryClaims {
		delete(s.Claims.Extra, name)
	}
	for _, name := range s.AccessDirectoryClaims {
		delete(s.Access.Extra, name)
	}
	s.IDDirectoryClaims, s.AccessDirectoryClaims = nil, nil
	return p.addUserClaims(ctx, s, app, u)
}

// mergeNew copies the claims dst does not hold yet and returns their names,
// sorted.
func mergeNew(dst, src map[string]any) []string {
	var added []string
	for k, v := range src {
		if _, taken := dst[k]; taken || reservedClaims[k] {
			continue
		}
		dst[k] = v
		added = append(added, k)
	}
	slices.Sort(added)
	return added
}
