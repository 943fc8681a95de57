package op

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// memberObjectsPermissions are the app roles that let an application (a
// client-credentials token) read any user's memberships, as Graph's
// application permissions of the same names do.
var memberObjectsPermissions = []string{"GroupMember.Read.All", "Directory.Read.All"}

// handleMemberObjects is the group overage endpoint, shaped like Graph's
// POST /users/{id}/getMemberObjects: a token whose groups did not fit
// points here (`_claim_sources`). The caller presents an access token of the
// tenant that is either the user's own (its `oid` is the path's user) or an
// app-only token holding GroupMember.Read.All or Directory.Read.All. The
// body is {"securityEnabledOnly": bool}; the answer {"value": [group IDs]}.
// Errors are Graph-style JSON: 401 for a missing or invalid token, 403 for
// a token that may not read this user, 400 for a malformed body, 404 for an
// unknown user.
func (p *Provider) handleMemberObjects(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := tenancy.FromContext(ctx)
	s, status, msg := p.bearerSession(r)
	if status == http.StatusOK && !mayReadMemberships(s, r.PathValue("user")) {
		status, msg = http.StatusForbidden, "The access token may read only its own user's memberships; an application needs GroupMember.Read.All or Directory.Read.All."
	}
	if status != http.StatusOK {
		graphError(w, status, msg)
		return
	}
	var body struct {
		SecurityEnabledOnly *bool `json:"securityEnabledOnly"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || body.SecurityEnabledOnly == nil {
		graphError(w, http.StatusBadRequest, `The body must be a JSON object {"securityEnabledOnly": true|false}.`)
		return
	}
	userID := r.PathValue("user")
	u, err := p.Store.GetUser(ctx, t.ID, userID)
	if errors.Is(err, storage.ErrNotFound) {
		graphError(w, http.StatusNotFound, "The user does not exist in this tenant.")
		return
	}
	var ids []string
	if err == nil {
		ids, err = p.Claims.MemberObjects(ctx, t.ID, u.ID, *body.SecurityEnabledOnly)
	}
	if err != nil {
		p.Logger.ErrorContext(ctx, "member objects", "user_id", userID, "err", err)
		graphError(w, http.StatusServiceUnavailable, "The directory is temporarily unavailable.")
		return
	}
	if ids == nil {
		ids = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"value": ids})
}

// bearerSession validates the request's bearer access token for the
// request's tenant; the status is 200 when it is valid.
func (p *Provider) bearerSession(r *http.Request) (*Session, int, string) {
	ctx := r.Context()
	t := tenancy.FromContext(ctx)
	token := fosite.AccessTokenFromRequest(r)
	if token == "" {
		return nil, http.StatusUnauthorized, "An access token is required (Authorization: Bearer)."
	}
	_, ar, err := p.oauth.IntrospectToken(ctx, token, fosite.AccessToken, newSession(t.ID, "ES256"))
	s, ok := sessionOf(ar)
	if err != nil || !ok || s.Tenant != t.ID {
		return nil, http.StatusUnauthorized, "The access token is invalid, expired, revoked or of another tenant."
	}
	if s.User != "" {
		if u, err := p.Store.GetUser(ctx, t.ID, s.User); err != nil || !u.AccountEnabled {
			return nil, http.StatusUnauthorized, "The token's user no longer exists or is disabled."
		}
	}
	return s, http.StatusOK, ""
}

// mayReadMemberships lets a user's token read that user, and an app-only
// token with a directory read permission read anyone.
func mayReadMemberships(s *Session, userID string) bool {
	if s.User != "" {
		return s.User == userID
	}
	roles, _ := s.Access.Extra["roles"].([]string)
	if roles == nil {
		if raw, ok := s.Access.Extra["roles"].([]any); ok {
			for _, v := range raw {
				if str, ok := v.(string); ok {
					roles = append(roles, str)
				}
			}
		}
	}
	return slices.ContainsFunc(roles, func(r string) bool { return slices.Contains(memberObjectsPermissions, r) })
}

// graphError writes a Microsoft Graph error body.
func graphError(w http.ResponseWriter, status int, message string) {
	code := map[int]string{
		http.StatusBadRequest:         "BadRequest",
		http.StatusUnauthorized:       "InvalidAuthenticationToken",
		http.StatusForbidden:          "Authorization_RequestDenied",
		http.StatusNotFound:           "Request_ResourceNotFound",
		http.StatusServiceUnavailable: "ServiceNotAvailable",
	}[status]
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="sigil", error="invalid_token"`)
	}
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": message}})
}
