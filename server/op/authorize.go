package op

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// handleAuthorize validates an authorize request (RFC 6749 §4.1.1, OIDC Core
// §3.1.2.1), stores it as a sign-in flow and hands the browser to the sign-in.
//
// Until the client and its redirect URI are known to match exactly, errors are
// shown on Sigil's error page and never redirected (RFC 6749 §4.1.2.1).
func (p *Provider) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		p.Pages.Error(w, r, http.StatusBadRequest, "We couldn't sign you in", "The sign-in request is malformed.")
		return
	}
	app, problem := p.checkClientAndRedirect(ctx, r.Form)
	if problem != "" {
		p.Pages.Error(w, r, http.StatusBadRequest, "We couldn't sign you in", problem)
		return
	}
	ar, err := p.oauth.NewAuthorizeRequest(ctx, r)
	if err == nil {
		err = checkPKCE(ar.GetRequestForm(), app)
	}
	if err != nil {
		p.writeAuthorizeError(w, r, ar, err)
		return
	}
	flow := p.newFlow(ctx, r.Form, ar)
	if err := p.Store.CreateFlow(ctx, flow); err != nil {
		p.Logger.ErrorContext(ctx, "store sign-in flow", "err", err)
		p.writeAuthorizeError(w, r, ar, fosite.ErrServerError.WithWrap(err))
		return
	}
	p.SignIn.Start(w, r, flow)
}

// checkClientAndRedirect requires a client of this tenant and a redirect_uri that
// equals one of its registered URIs character for character: no default URI, no
// loopback port wildcard. A response mode Sigil does not offer is refused here
// too: there is no agreed way to deliver that error to the client.
func (p *Provider) checkClientAndRedirect(ctx context.Context, form url.Values) (*storage.Application, string) {
	clientID := form.Get("client_id")
	if clientID == "" {
		return nil, "The request has no client_id."
	}
	app, err := p.Store.GetApplication(ctx, clientID)
	t := tenancy.FromContext(ctx)
	if err != nil || t == nil || app.TenantID != t.ID {
		return nil, "The application is not registered in this directory."
	}
	return app, checkRedirect(app, form)
}

// checkRedirect is the part of checkClientAndRedirect that needs no lookup.
func checkRedirect(app *storage.Application, form url.Values) string {
	redirect := form.Get("redirect_uri")
	if redirect == "" {
		return "The request has no redirect_uri."
	}
	if !slices.Contains(app.RedirectURIs, redirect) {
		return "The redirect URI in the request does not match the redirect URIs registered for the application."
	}
	if mode := form.Get("response_mode"); mode != "" && mode != "query" && mode != "form_post" {
		return "The response_mode is not supported; use query or form_post."
	}
	return ""
}

// checkPKCE requires PKCE for public clients and allows only S256 (RFC 7636, RFC
// 9700 §2.1.1). fosite checks the same when issuing the code, but only after the
// user has signed in; checking here answers at once.
func checkPKCE(form url.Values, app *storage.Application) error {
	challenge, method := form.Get("code_challenge"), form.Get("code_challenge_method")
	if challenge == "" {
		if app.Public {
			return fosite.ErrInvalidRequest.WithHint("Public clients must use PKCE with code_challenge_method=S256.")
		}
		if method != "" {
			return fosite.ErrInvalidRequest.WithHint("code_challenge_method was given without code_challenge.")
		}
		return nil
	}
	if method != "S256" {
		return fosite.ErrInvalidRequest.WithHint("code_challenge_method must be S256; the plain method is not supported.")
	}
	if len(challenge) != 43 || strings.Trim(challenge, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return fosite.ErrInvalidRequest.WithHint("code_challenge must be the 43-character base64url SHA-256 of the code verifier.")
	}
	return nil
}

func (p *Provider) newFlow(ctx context.Context, form url.Values, ar fosite.AuthorizeRequester) *storage.Flow {
	now := p.Now()
	maxAge := -1
	if v := form.Get("max_age"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			maxAge = n
		}
	}
	return &storage.Flow{
		ID:            randomID(16),
		TenantID:      tenancy.FromContext(ctx).ID,
		ClientID:      ar.GetClient().GetID(),
		AuthorizeForm: form.Encode(),
		Prompt:        form.Get("prompt"),
		MaxAge:        maxAge,
		LoginHint:     form.Get("login_hint"),
		CreatedAt:     now,
		UpdatedAt:     now,
		ExpiresAt:     now.Add(p.FlowLifetime),
	}
}

// writeAuthorizeError redirects an RFC 6749 error to the validated redirect URI
// (with `iss`, RFC 9207), or shows the error page when there is none.
func (p *Provider) writeAuthorizeError(w http.ResponseWriter, r *http.Request, ar fosite.AuthorizeRequester, err error) {
	ctx := r.Context()
	rfc := fosite.ErrorToRFC6749Error(err)
	if rfc.CodeField >= 500 {
		p.Logger.ErrorContext(ctx, "authorize failed", "err", rfc.WithExposeDebug(true).GetDescription(), "cause", errors.Unwrap(err))
	}
	if ar == nil || !ar.IsRedirectURIValid() {
		p.Pages.Error(w, r, http.StatusBadRequest, "We couldn't sign you in", rfc.GetDescription())
		return
	}
	if ar.GetResponseMode() == fosite.ResponseModeFormPost {
		setFormPostCSP(w, ar.GetRedirectURI())
	}
	p.oauth.WriteAuthorizeError(ctx, &issWriter{ResponseWriter: w, issuer: p.config.issuer(ctx)}, ar, err)
}
