package op

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// TokenAccess is security defaults and Conditional Access at the token
// endpoint (server/access implements it).
type TokenAccess interface {
	Evaluate(ctx context.Context, a access.Attempt) (*access.Evaluation, error)
	Record(ctx context.Context, rec access.SignInRecord) error
}

// refreshAccess evaluates a refresh as a non-interactive sign-in: a user now
// blocked, out of an included group's exemption, or asked for more than the
// original sign-in gave must sign in again (invalid_grant with the reason).
// Every refresh is written to the sign-in log.
func (p *Provider) refreshAccess(ctx context.Context, r *http.Request, ar fosite.AccessRequester, s *Session, u *storage.User) error {
	if p.Access == nil {
		return nil
	}
	t := tenancy.FromContext(ctx)
	app := applicationOf(ar.GetClient())
	reg, err := mfa.LoadRegistered(ctx, p.Store, t.ID, u.ID)
	if err != nil {
		return fosite.ErrServerError.WithWrap(err)
	}
	a := access.Attempt{Tenant: t, User: u, AppID: app.ID, Addr: lockout.ClientAddr(r, p.TrustedProxies), UserAgent: r.UserAgent(),
		AdminResource: slices.Contains(ar.GetGrantedAudience(), storage.AdminResourceID), ClientAppType: policy.ClientBrowser,
		Level: mfa.LevelOf(s.Claims.AuthenticationContextClassReference), HasMethods: reg.HasAny(), AuthTime: s.Claims.AuthTime}
	ev, err := p.Access.Evaluate(ctx, a)
	if err != nil {
		return fosite.ErrServerError.WithWrap(err)
	}
	reason := refreshRefusal(ev.Decision, a)
	code := access.CodeSuccess
	if reason != "" {
		code = access.CodeRefreshRevoked
		if ev.Decision.Block {
			code = access.CodeBlocked
		}
	}
	p.record(ctx, r, access.SignInRecord{User: u, AppID: app.ID, AppName: app.DisplayName, AMR: s.Claims.AuthenticationMethodsReferences,
		ACR: s.Claims.AuthenticationContextClassReference, ErrorCode: code, FailureReason: reason, Evaluation: ev,
		ClientAppType: policy.ClientBrowser, ResourceID: resourceOf(a.AdminResource)})
	if reason != "" {
		return fosite.ErrInvalidGrant.WithHint(reason)
	}
	return nil
}

// refreshRefusal says why a refresh cannot go on without the user ("" when
// it can): a refresh cannot ask for MFA, terms of use or a password.
func refreshRefusal(d policy.Decision, a access.Attempt) string {
	switch {
	case d.Block:
		return d.Reason
	case d.RequireRegistration && !a.HasMethods, d.RequireLevel > a.Level:
		return "Conditional Access now requires a stronger sign-in for this application; the user must sign in again."
	case len(d.TermsOfUse) > 0:
		return "Conditional Access requires the user to accept terms of use; the user must sign in again."
	case d.PasswordChange:
		return "Conditional Access requires the user to change their password; the user must sign in again."
	case d.Reauthenticate:
		return "The sign-in frequency set by Conditional Access has elapsed; the user must sign in again."
	}
	return ""
}

// clientAccess evaluates a client-credentials request against workload
// policies (block by location, G-26); a blocked application gets
// unauthorized_client with the reason. Every request is logged as a
// service-principal sign-in.
func (p *Provider) clientAccess(ctx context.Context, r *http.Request, ar fosite.AccessRequester) error {
	if p.Access == nil {
		return nil
	}
	t := tenancy.FromContext(ctx)
	app := applicationOf(ar.GetClient())
	admin := slices.Contains(ar.GetRequestedAudience(), storage.AdminResourceID)
	a := access.Attempt{Tenant: t, AppID: app.ID, AdminResource: admin, Addr: lockout.ClientAddr(r, p.TrustedProxies), UserAgent: r.UserAgent()}
	ev, err := p.Access.Evaluate(ctx, a)
	if err != nil {
		return fosite.ErrServerError.WithWrap(err)
	}
	code, reason := access.CodeSuccess, ""
	if ev.Decision.Block {
		code, reason = access.CodeBlocked, ev.Decision.Reason
	}
	p.record(ctx, r, access.SignInRecord{AppID: app.ID, AppName: app.DisplayName, ErrorCode: code, FailureReason: reason,
		Evaluation: ev, ResourceID: resourceOf(admin)})
	if reason != "" {
		return fosite.ErrUnauthorizedClient.WithHint(reason)
	}
	return nil
}

// recordLegacy logs a refused password grant: legacy authentication, which
// cannot do MFA (F-07, F-35).
func (p *Provider) recordLegacy(ctx context.Context, r *http.Request) {
	if p.Access == nil {
		return
	}
	clientID := r.PostForm.Get("client_id")
	if id, _, ok := r.BasicAuth(); ok {
		clientID, _ = url.QueryUnescape(id)
	}
	p.record(ctx, r, access.SignInRecord{UserPrincipal: truncateUPN(r.PostForm.Get("username")), AppID: truncateUPN(clientID),
		ClientAppType: policy.ClientOther, Interactive: false, ErrorCode: access.CodeLegacyAuthentication,
		FailureReason: "Legacy authentication (the resource owner password grant) is not supported: it cannot do multi-factor authentication."})
}

func truncateUPN(s string) string {
	if len(s) > 256 {
		return s[:256]
	}
	return s
}

func resourceOf(admin bool) string {
	if admin {
		return storage.AdminResourceID
	}
	return ""
}

// record fills in the request's tenant, address and IDs and writes the row;
// a failure is logged, never returned to the client.
func (p *Provider) record(ctx context.Context, r *http.Request, rec access.SignInRecord) {
	rec.Tenant = tenancy.FromContext(ctx)
	rec.RequestID = requestid.From(ctx)
	rec.CorrelationID = rec.RequestID
	rec.Addr = lockout.ClientAddr(r, p.TrustedProxies)
	rec.UserAgent = r.UserAgent()
	if err := p.Access.Record(ctx, rec); err != nil {
		p.Logger.ErrorContext(ctx, "write sign-in log", "request_id", rec.RequestID, "err", err)
	}
}
