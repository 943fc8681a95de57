package op

import (
	"net/http"

	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/server/tenancy"
)

// handleUserinfo is the OIDC UserInfo endpoint (OIDC Core §5.3): a bearer access
// token of this tenant with the openid scope returns the user's claims, as far
// as the granted scopes release them. Errors follow RFC 6750 §3.
func (p *Provider) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	t := tenancy.FromContext(ctx)
	token := fosite.AccessTokenFromRequest(r)
	if token == "" {
		bearerError(w, http.StatusUnauthorized, "", "")
		return
	}
	_, ar, err := p.oauth.IntrospectToken(ctx, token, fosite.AccessToken, newSession(t.ID, "ES256"))
	s, ok := sessionOf(ar)
	if err != nil || !ok || s.Tenant != t.ID || s.User == "" {
		bearerError(w, http.StatusUnauthorized, "invalid_token", "The access token is invalid, expired or revoked.")
		return
	}
	if !ar.GetGrantedScopes().Has("openid") {
		bearerError(w, http.StatusForbidden, "insufficient_scope", "The access token was not granted the openid scope.")
		return
	}
	u, err := p.Store.GetUser(ctx, t.ID, s.User)
	if err != nil || !u.AccountEnabled {
		bearerError(w, http.StatusUnauthorized, "invalid_token", "The user no longer exists or is disabled.")
		return
	}
	claims := profileClaims(u, ar.GetGrantedScopes())
	claims["sub"] = s.Subject
	claims["oid"] = u.ID
	claims["tid"] = t.ID
	writeJSON(w, http.StatusOK, claims)
}

func bearerError(w http.ResponseWriter, status int, code, description string) {
	v := `Bearer realm="sigil"`
	if code != "" {
		v += `, error="` + code + `", error_description="` + description + `"`
	}
	w.Header().Set("WWW-Authenticate", v)
	w.Header().Set("Cache-Control", "no-store")
	if code == "" {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}
