package op

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// handleToken is the token endpoint (RFC 6749 §3.2): authorization_code (with
// PKCE), refresh_token (rotated; reuse revokes the family) and
// client_credentials. The password grant is not offered: it is legacy
// authentication.
func (p *Provider) handleToken(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := tenancy.FromContext(ctx)
	sess := newSession(t.ID, "ES256")
	if r.PostFormValue("grant_type") == "password" {
		p.recordLegacy(ctx, r)
	}
	ar, err := p.oauth.NewAccessRequest(ctx, r, sess)
	if err == nil {
		err = p.prepareGrant(ctx, r, ar)
	}
	if err != nil {
		p.writeAccessError(w, r, ar, err)
		return
	}
	resp, err := p.oauth.NewAccessResponse(ctx, ar)
	if err != nil {
		p.writeAccessError(w, r, ar, err)
		return
	}
	p.oauth.WriteAccessResponse(ctx, w, ar, resp)
}

// prepareGrant adds what fosite leaves to the application: the claims of an
// app-only token, and the check that the user behind a refresh token may still
// sign in (A-26: a disabled or deleted user loses access at the next refresh)
// under the tenant's security defaults or Conditional Access.
func (p *Provider) prepareGrant(ctx context.Context, r *http.Request, ar fosite.AccessRequester) error {
	switch {
	case ar.GetGrantTypes().ExactOne("client_credentials"):
		if err := p.clientAccess(ctx, r, ar); err != nil {
			return err
		}
		return p.appSession(ctx, ar)
	case ar.GetGrantTypes().ExactOne("refresh_token"):
		s, ok := ar.GetSession().(*Session)
		if !ok || s.User == "" {
			return nil
		}
		u, err := p.Store.GetUser(ctx, s.Tenant, s.User)
		if errors.Is(err, storage.ErrNotFound) || (err == nil && !u.AccountEnabled) {
			if p.Access != nil {
				p.record(ctx, r, access.SignInRecord{User: u, AppID: applicationOf(ar.GetClient()).ID,
					ErrorCode: access.CodeAccountDisabled, FailureReason: "The user account is disabled or no longer exists."})
			}
			return fosite.ErrInvalidGrant.WithHint("The user account is disabled or no longer exists.")
		}
		if err != nil {
			return fosite.ErrServerError.WithWrap(err)
		}
		if err := p.refreshAccess(ctx, r, ar, s, u); err != nil {
			return err
		}
		if err := p.refreshUserClaims(ctx, s, applicationOf(ar.GetClient()), u); err != nil {
			return fosite.ErrServerError.WithWrap(err)
		}
	}
	return nil
}

// appSession fills the claims of a client-credentials token: the application is
// the subject (`idtyp: app`, as in Entra) and `roles` holds the app roles
// assigned to the application's service principal.
func (p *Provider) appSession(ctx context.Context, ar fosite.AccessRequester) error {
	t := tenancy.FromContext(ctx)
	app := applicationOf(ar.GetClient())
	s := ar.GetSession().(*Session)
	s.Tenant = t.ID
	s.Subject = app.ID
	s.Header.Add("alg", signingAlg(app))
	s.Access.identify(t.ID, app.ID, app.ID, app.ID)
	s.Access.Extra["idtyp"] = "app"
	s.Access.forResource(ar.GetRequestedAudience())
	if p.Claims == nil {
		return nil
	}
	roles, err := p.Claims.ClientRoles(ctx, app)
	if err != nil {
		return fosite.ErrServerError.WithWrap(err)
	}
	if len(roles) > 0 {
		s.Access.Extra["roles"] = roles
	}
	return nil
}

func (p *Provider) writeAccessError(w http.ResponseWriter, r *http.Request, ar fosite.AccessRequester, err error) {
	rfc := fosite.ErrorToRFC6749Error(err)
	if rfc.CodeField >= 500 {
		p.Logger.ErrorContext(r.Context(), "token request failed", "err", rfc.WithExposeDebug(true).GetDescription())
	}
	p.oauth.WriteAccessError(r.Context(), w, ar, err)
}

// handleIntrospect is RFC 7662 introspection. The caller must be a confidential
// client of the tenant, authenticated like at the token endpoint
// (client_secret_basic, client_secret_post or private_key_jwt).
func (p *Provider) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		p.oauth.WriteIntrospectionError(ctx, w, fosite.ErrInvalidRequest.WithHint("The request body is malformed."))
		return
	}
	client, err := p.oauth.AuthenticateClient(ctx, r, r.PostForm)
	if err == nil && client.IsPublic() {
		err = fosite.ErrInvalidClient.WithHint("Public clients cannot introspect tokens.")
	}
	if err != nil {
		p.oauth.WriteIntrospectionError(ctx, w, fosite.ErrRequestUnauthorized.WithWrap(err))
		return
	}
	token := r.PostForm.Get("token")
	if token == "" {
		p.oauth.WriteIntrospectionError(ctx, w, fosite.ErrInvalidRequest.WithHint("The token parameter is missing."))
		return
	}
	t := tenancy.FromContext(ctx)
	use, ar, err := p.oauth.IntrospectToken(ctx, token, fosite.TokenUse(r.PostForm.Get("token_type_hint")), newSession(t.ID, "ES256"))
	writeJSON(w, http.StatusOK, introspection(ctx, p.BaseURL, use, ar, err))
}

// introspection renders the RFC 7662 answer; anything invalid, expired, revoked
// or of another tenant is just {"active": false}.
func introspection(ctx context.Context, base string, use fosite.TokenUse, ar fosite.AccessRequester, err error) map[string]any {
	t := tenancy.FromContext(ctx)
	s, ok := sessionOf(ar)
	if err != nil || !ok || s.Tenant != t.ID {
		return map[string]any{"active": false}
	}
	out := map[string]any{
		"active":    true,
		"client_id": ar.GetClient().GetID(),
		"scope":     strings.Join(ar.GetGrantedScopes(), " "),
		"sub":       s.Access.Subject,
		"iss":       issuerURL(base, t.ID),
		"iat":       ar.GetRequestedAt().Unix(),
		"tid":       t.ID,
	}
	if use == fosite.AccessToken {
		out["token_type"] = "Bearer"
		out["exp"] = s.GetExpiresAt(fosite.AccessToken).Unix()
		out["aud"] = s.Access.Audience
	} else {
		out["token_type"] = "refresh_token"
		if exp := s.GetExpiresAt(fosite.RefreshToken); !exp.IsZero() {
			out["exp"] = exp.Unix()
		}
	}
	if oid, ok := s.Access.Extra["oid"]; ok {
		out["oid"] = oid
	}
	if s.Username != "" {
		out["username"] = s.Username
	}
	return out
}

func sessionOf(ar fosite.Requester) (*Session, bool) {
	if ar == nil {
		return nil, false
	}
	s, ok := ar.GetSession().(*Session)
	return s, ok && s != nil && s.Access != nil
}

// handleRevoke is RFC 7009 revocation: a client revokes its own access or
// refresh token (and with a refresh token, the tokens issued with it).
func (p *Provider) handleRevoke(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	err := p.oauth.NewRevocationRequest(ctx, r)
	p.oauth.WriteRevocationResponse(ctx, w, err)
}

// writeJSON writes v as JSON. Protocol answers are not cached (no-store)
// unless the handler set its own Cache-Control first (discovery does).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
