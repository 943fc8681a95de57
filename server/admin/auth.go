package admin

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/sigil-idp/sigil/storage"
)

// tokenClaims are the access token claims the API reads.
type tokenClaims struct {
	jwt.Claims
	TenantID string `json:"tid"`
	ObjectID string `json:"oid"`
	AppID    string `json:"azp"`
	IDType   string `json:"idtyp"`
}

var errBadToken = &apiError{Status: http.StatusUnauthorized, Code: codeUnauthorized,
	Message: "Access token is missing, invalid or expired, or not issued for this API."}

// authenticate verifies the bearer token (signature by the tenant's
// published key, issuer, audience, lifetime) and builds the Caller with its
// directory roles, permissions and the tenant's policy read now.
func (h *Handler) authenticate(r *http.Request) (Caller, *apiError) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		return Caller{}, errBadToken
	}
	claims, err := h.verify(r.Context(), strings.TrimSpace(raw))
	if err != nil {
		return Caller{}, errBadToken
	}
	return h.callerFor(r.Context(), claims)
}

func (h *Handler) verify(ctx context.Context, raw string) (*tokenClaims, error) {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.ES256, jose.RS256})
	if err != nil || len(tok.Headers) != 1 {
		return nil, errors.New("malformed token")
	}
	var unverified tokenClaims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil || unverified.TenantID == "" {
		return nil, errors.New("no tenant")
	}
	key, _, err := h.Keys.PublicKey(ctx, unverified.TenantID, tok.Headers[0].KeyID)
	if err != nil {
		return nil, err
	}
	var c tokenClaims
	if err := tok.Claims(key, &c); err != nil {
		return nil, err
	}
	err = c.ValidateWithLeeway(jwt.Expected{
		Issuer:      h.BaseURL + "/" + c.TenantID + "/v2.0",
		AnyAudience: jwt.Audience{storage.AdminResourceID},
		Time:        time.Now(),
	}, time.Minute)
	if err != nil || c.TenantID != unverified.TenantID {
		return nil, errors.New("claims")
	}
	return &c, nil
}

func (h *Handler) callerFor(ctx context.Context, c *tokenClaims) (Caller, *apiError) {
	policy, err := h.Store.GetAuthorizationPolicy(ctx, c.TenantID)
	if err != nil {
		return Caller{}, errBadToken
	}
	caller := Caller{TenantID: c.TenantID, ClientID: c.AppID, Policy: *policy}
	if c.IDType == "app" {
		caller.App = true
		if caller.AppPermissions, err = h.Store.ListAppPermissions(ctx, c.TenantID, c.AppID); err != nil {
			return Caller{}, errBadToken
		}
		return caller, nil
	}
	u, err := h.Store.GetUser(ctx, c.TenantID, c.ObjectID)
	if err != nil || !u.AccountEnabled {
		return Caller{}, errBadToken
	}
	caller.UserID, caller.UserName, caller.UserType = u.ID, u.UserPrincipalName, u.UserType
	if caller.RoleIDs, err = h.Roles.EffectiveRoleIDs(ctx, c.TenantID, u.ID); err != nil {
		return Caller{}, errBadToken
	}
	for _, id := range caller.RoleIDs {
		if role, err := h.Roles.FindRole(ctx, c.TenantID, id); err == nil {
			caller.Actions = append(caller.Actions, role.Permissions...)
		}
	}
	slices.Sort(caller.Actions)
	caller.Actions = slices.Compact(caller.Actions)
	return caller, nil
}
