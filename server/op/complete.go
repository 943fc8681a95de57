package op

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// Client returns the application a flow is for (authflow.Authorizer).
func (p *Provider) Client(ctx context.Context, clientID string) (*storage.Application, error) {
	return p.Store.GetApplication(ctx, clientID)
}

// Complete issues the authorization response for a finished sign-in flow: the
// stored request is validated again by fosite (the client or its redirect URIs
// may have changed meanwhile), the flow's scopes are granted, and the code is
// sent by query or form_post with `iss` (RFC 9207).
func (p *Provider) Complete(w http.ResponseWriter, r *http.Request, flow *storage.Flow) {
	r, ar, err := p.resume(r, flow)
	if err != nil {
		p.writeAuthorizeError(w, r, ar, err)
		return
	}
	ctx := r.Context()
	user, err := p.Store.GetUser(ctx, flow.TenantID, flow.UserID)
	if err != nil || !user.AccountEnabled || flow.AuthTime == nil {
		p.writeAuthorizeError(w, r, ar, fosite.ErrAccessDenied.WithHint("The user cannot sign in."))
		return
	}
	for _, scope := range flow.GrantedScopes {
		if ar.GetRequestedScopes().Has(scope) {
			ar.GrantScope(scope)
		}
	}
	for _, aud := range ar.GetRequestedAudience() {
		ar.GrantAudience(aud)
	}
	app := applicationOf(ar.GetClient())
	sess := p.userSession(tenancy.FromContext(ctx), app, user, flow, ar.GetGrantedScopes())
	sess.Access.forResource(ar.GetGrantedAudience())
	if err := p.addUserClaims(ctx, sess, app, user); err != nil {
		p.writeAuthorizeError(w, r, ar, fosite.ErrServerError.WithWrap(err))
		return
	}
	resp, err := p.oauth.NewAuthorizeResponse(ctx, ar, sess)
	if err != nil {
		p.writeAuthorizeError(w, r, ar, err)
		return
	}
	if err := p.Store.DeleteFlow(ctx, flow.ID); err != nil && !errors.Is(err, storage.ErrNotFound) {
		p.Logger.WarnContext(ctx, "delete finished flow", "flow_id", flow.ID, "err", err)
	}
	resp.AddParameter("iss", p.config.issuer(ctx))
	if ar.GetResponseMode() == fosite.ResponseModeFormPost {
		setFormPostCSP(w, ar.GetRedirectURI())
	}
	p.Logger.InfoContext(ctx, "authorization code issued", "flow_id", flow.ID, "client_id", flow.ClientID, "user_id", user.ID)
	p.oauth.WriteAuthorizeResponse(ctx, w, ar, resp)
}

// Fail answers the flow's authorize request with an OAuth error
// (login_required, consent_required, interaction_required, access_denied).
func (p *Provider) Fail(w http.ResponseWriter, r *http.Request, flow *storage.Flow, code, description string) {
	r, ar, err := p.resume(r, flow)
	if err == nil {
		err = oauthError(code).WithHint(description)
		if derr := p.Store.DeleteFlow(r.Context(), flow.ID); derr != nil && !errors.Is(derr, storage.ErrNotFound) {
			p.Logger.WarnContext(r.Context(), "delete failed flow", "flow_id", flow.ID, "err", derr)
		}
	}
	p.writeAuthorizeError(w, r, ar, err)
}

// errUnmetAuthenticationRequirements is the OIDC error for an essential acr
// the sign-in could not meet (OpenID Connect Core 1.0 errata set 2, §3.1.2.6).
const errUnmetAuthenticationRequirements = "unmet_authentication_requirements"

var errUnmetAuthentication = &fosite.RFC6749Error{
	ErrorField:       errUnmetAuthenticationRequirements,
	DescriptionField: "The authorization server is unable to meet the requested authentication requirements.",
	CodeField:        http.StatusBadRequest,
}

func oauthError(code string) *fosite.RFC6749Error {
	switch code {
	case "login_required":
		return fosite.ErrLoginRequired
	case "consent_required":
		return fosite.ErrConsentRequired
	case "interaction_required":
		return fosite.ErrInteractionRequired
	case "access_denied":
		return fosite.ErrAccessDenied
	case errUnmetAuthenticationRequirements:
		return errUnmetAuthentication
	default:
		return fosite.ErrServerError
	}
}

// resume puts the flow's tenant in the context and re-validates the stored
// authorize request with fosite.
func (p *Provider) resume(r *http.Request, flow *storage.Flow) (*http.Request, fosite.AuthorizeRequester, error) {
	ctx := r.Context()
	t := tenancy.FromContext(ctx)
	if t == nil || t.ID != flow.TenantID {
		var err error
		if t, err = p.Store.GetTenant(ctx, flow.TenantID); err != nil {
			return r, nil, fosite.ErrServerError.WithWrap(err)
		}
		ctx = tenancy.WithTenant(ctx, t)
	}
	form, err := url.ParseQuery(flow.AuthorizeForm)
	if err != nil {
		return r, nil, fosite.ErrServerError.WithWrap(err)
	}
	replay, err := http.NewRequestWithContext(ctx, http.MethodGet, "/?"+form.Encode(), nil)
	if err != nil {
		return r, nil, fosite.ErrServerError.WithWrap(err)
	}
	replay.Header = r.Header.Clone()
	r = r.WithContext(ctx)
	ar, err := p.oauth.NewAuthorizeRequest(ctx, replay)
	if err == nil {
		// fosite re-read the client; check it still registers this exact URI.
		if problem := checkRedirect(applicationOf(ar.GetClient()), form); problem != "" {
			err = fosite.ErrInvalidRequest.WithHint(problem)
		}
	}
	return r, ar, err
}

// userSession builds the claims of a user's tokens (ARCHITECTURE.md "Tokens").
func (p *Provider) userSession(t *storage.Tenant, app *storage.Application, u *storage.User, flow *storage.Flow, scopes fosite.Arguments) *Session {
	s := newSession(t.ID, signingAlg(app))
	sub := pairwiseSubject(app.SubjectSalt, u.ID)
	s.User, s.Browser, s.Subject, s.Username = u.ID, flow.SessionID, sub, u.UserPrincipalName

	id := s.Claims
	id.Subject = sub
	id.AuthTime = flow.AuthTime.UTC()
	id.RequestedAt = flow.CreatedAt.UTC()
	id.AuthenticationMethodsReferences = append([]string(nil), flow.AMR...)
	id.AuthenticationContextClassReference = flow.ACR
	id.Extra["oid"] = u.ID
	id.Extra["tid"] = t.ID
	id.Extra["ver"] = "2.0"
	id.Extra["nbf"] = p.Now().Unix()
	if flow.SessionID != "" {
		id.Extra["sid"] = flow.SessionID
	}
	for k, v := range profileClaims(u, scopes) {
		id.Extra[k] = v
	}

	at := s.Access
	at.identify(t.ID, app.ID, sub, u.ID)
	at.Extra["auth_time"] = flow.AuthTime.Unix()
	at.Extra["amr"] = append([]string(nil), flow.AMR...)
	if flow.ACR != "" {
		at.Extra["acr"] = flow.ACR
	}
	if scopes.Has("profile") {
		at.Extra["name"] = u.DisplayName
		at.Extra["preferred_username"] = u.UserPrincipalName
	}
	return s
}

// profileClaims are the ID token and userinfo claims that the profile and email
// scopes release.
func profileClaims(u *storage.User, scopes fosite.Arguments) map[string]any {
	c := map[string]any{}
	if scopes.Has("profile") {
		c["name"] = u.DisplayName
		c["preferred_username"] = u.UserPrincipalName
		if u.GivenName != "" {
			c["given_name"] = u.GivenName
		}
		if u.Surname != "" {
			c["family_name"] = u.Surname
		}
	}
	if scopes.Has("email") && u.Mail != "" {
		c["email"] = strings.ToLower(u.Mail)
	}
	return c
}

func signingAlg(app *storage.Application) string {
	if app != nil && app.SigningAlg == "RS256" {
		return "RS256"
	}
	return "ES256"
}
