package op

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/ory/fosite/token/jwt"

	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// logoutRequest is a validated RP-initiated logout (OIDC RP-Initiated Logout 1.0).
type logoutRequest struct {
	clientID string
	redirect string // exact registered post_logout_redirect_uri, or empty
	state    string
	hinted   bool // a valid id_token_hint of this tenant was presented
}

// handleLogout ends the browser's SSO session in the tenant, revokes the tokens
// issued in that session, and returns to the client's registered
// post_logout_redirect_uri (exact match) or shows the signed-out page.
// Without an id_token_hint a GET only asks for confirmation: the sign-out itself
// is a POST carrying the form's CSRF token, so a third-party page cannot sign
// the user out.
func (p *Provider) handleLogout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		p.Pages.Error(w, r, http.StatusBadRequest, "We couldn't sign you out", "The sign-out request is malformed.")
		return
	}
	req, problem := p.parseLogout(ctx, r.Form)
	if problem != "" {
		p.Pages.Error(w, r, http.StatusBadRequest, "We couldn't sign you out", problem)
		return
	}
	t := tenancy.FromContext(ctx)
	if !req.hinted && r.Method != http.MethodPost {
		form := url.Values{}
		for k, v := range r.Form {
			if k != "csrf_token" {
				form[k] = v
			}
		}
		token := p.SignIn.LogoutToken(w, r, t.ID)
		page.AllowFormTargets(w, req.redirect) // the confirmed POST redirects there
		p.Pages.Render(w, r, http.StatusOK, "logout_confirm", map[string]any{"Form": form, "CSRFToken": token})
		return
	}
	if !req.hinted && !p.SignIn.CheckLogoutToken(r, t.ID) {
		p.Pages.Error(w, r, http.StatusForbidden, "We couldn't sign you out", "Your session could not be verified. Go back and try again.")
		return
	}
	sid, err := p.SignIn.SignOut(w, r, t.ID)
	if err != nil {
		p.Logger.ErrorContext(ctx, "sign out", "err", err)
		p.Pages.Error(w, r, http.StatusInternalServerError, "We couldn't sign you out", "Please try again.")
		return
	}
	if sid != "" {
		p.revokeSessionTokens(ctx, sid)
	}
	if req.redirect == "" {
		p.Pages.Render(w, r, http.StatusOK, "logged_out", nil)
		return
	}
	target, _ := url.Parse(req.redirect)
	if req.state != "" {
		q := target.Query()
		q.Set("state", req.state)
		target.RawQuery = q.Encode()
	}
	http.Redirect(w, r, target.String(), http.StatusSeeOther)
}

func (p *Provider) parseLogout(ctx context.Context, form url.Values) (logoutRequest, string) {
	req := logoutRequest{clientID: form.Get("client_id"), state: form.Get("state")}
	if hint := form.Get("id_token_hint"); hint != "" {
		aud, ok := p.verifyIDTokenHint(ctx, hint)
		if !ok {
			return req, "The id_token_hint is not a valid ID token issued by this directory."
		}
		if req.clientID != "" && !slices.Contains(aud, req.clientID) {
			return req, "The client_id does not match the audience of the id_token_hint."
		}
		if req.clientID == "" && len(aud) > 0 {
			req.clientID = aud[0]
		}
		req.hinted = true
	}
	redirect := form.Get("post_logout_redirect_uri")
	if redirect == "" {
		return req, ""
	}
	if req.clientID == "" {
		return req, "A post_logout_redirect_uri needs an id_token_hint or a client_id."
	}
	app, err := p.Store.GetApplication(ctx, req.clientID)
	if err != nil || app.TenantID != tenancy.FromContext(ctx).ID {
		return req, "The application is not registered in this directory."
	}
	if !slices.Contains(app.PostLogoutRedirectURIs, redirect) {
		return req, "The post_logout_redirect_uri is not registered for the application."
	}
	req.redirect = redirect
	return req, ""
}

// verifyIDTokenHint checks the signature and issuer of an ID token this tenant
// issued. An expired token is acceptable as a hint (OIDC RP-Initiated Logout §2).
func (p *Provider) verifyIDTokenHint(ctx context.Context, hint string) ([]string, bool) {
	tok, err := p.signer.Decode(ctx, hint)
	var ve *jwt.ValidationError
	if err != nil && !(errors.As(err, &ve) && ve.Errors == jwt.ValidationErrorExpired) {
		return nil, false
	}
	if tok == nil || tok.Claims == nil {
		return nil, false
	}
	if iss, _ := tok.Claims["iss"].(string); iss != p.config.issuer(ctx) {
		return nil, false
	}
	return audience(tok.Claims["aud"]), true
}

func audience(v any) []string {
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		out := make([]string, 0, len(a))
		for _, s := range a {
			if str, ok := s.(string); ok {
				out = append(out, str)
			}
		}
		return out
	case []string:
		return a
	}
	return nil
}

// revokeSessionTokens ends every grant made in the browser session.
func (p *Provider) revokeSessionTokens(ctx context.Context, sid string) {
	for _, kind := range []string{storage.KindRefreshToken, storage.KindAccessToken} {
		if err := p.Store.DeactivateOAuthRecordsBySession(ctx, kind, sid); err != nil {
			p.Logger.ErrorContext(ctx, "revoke session tokens", "kind", kind, "err", err)
		}
	}
}
