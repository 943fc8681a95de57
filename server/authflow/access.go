package authflow

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/storage"
)

// AccessEvaluator is security defaults and Conditional Access for the
// sign-in flow (server/access implements it).
type AccessEvaluator interface {
	// FirstFactor computes the risk facts of a verified first factor;
	// familiar is smart lockout's verdict for the client's network.
	FirstFactor(ctx context.Context, tenant *storage.Tenant, userID string, addr netip.Addr, familiar bool) (access.Facts, error)
	// Evaluate decides what the sign-in must do.
	Evaluate(ctx context.Context, a access.Attempt) (*access.Evaluation, error)
}

// Messages of the pages that end a sign-in for Conditional Access.
const (
	titleBlocked        = "You cannot access this right now"
	titlePasswordChange = "You need to change your password"
	msgPasswordChange   = "Your organization requires you to change your password before you go on. Change it on your account's password page, then sign in to the application again."
)

// accessPhase evaluates security defaults or Conditional Access once the
// user is known, after the first factor and again after every later step
// (ARCHITECTURE.md "policy evaluation #1 and #2"). A block ends the flow on
// a branded page; a sign-in frequency sends the user back to the password;
// MFA demands go to the MFA phase through the stored evaluation, terms of
// use and a password change to the phases after MFA.
func (h *Handler) accessPhase(ctx context.Context, r *http.Request, sr *stepRequest, _ string) (decision, bool, error) {
	if h.Access == nil || sr.flow.UserID == "" {
		return decision{}, false, nil
	}
	ev, err := h.evaluateAccess(ctx, r, sr)
	if err != nil {
		return decision{}, true, err
	}
	d := ev.Decision
	switch {
	case d.Block:
		h.logFlow(ctx, slog.LevelWarn, "sign-in blocked by access policy", sr.flow, "policy", d.BlockedBy)
		return decision{refusalTitle: titleBlocked, refusal: d.Reason, code: access.CodeBlocked}, true, nil
	case d.Reauthenticate:
		return h.reauthenticate(ctx, sr)
	}
	return decision{}, false, nil
}

// evaluateAccess evaluates the flow as it stands and keeps the evaluation on
// the request for the later phases and the sign-in log.
func (h *Handler) evaluateAccess(ctx context.Context, r *http.Request, sr *stepRequest) (*access.Evaluation, error) {
	flow := sr.flow
	user, reg, err := h.flowUser(ctx, sr)
	if err != nil {
		return nil, err
	}
	form, _ := url.ParseQuery(flow.AuthorizeForm)
	facts := access.DecodeFacts(flow.Facts)
	a := access.Attempt{Tenant: sr.tenant, User: user, AppID: flow.ClientID, UserAction: userAction(flow, form),
		AdminResource: requestsAdminResource(form), Addr: lockout.ClientAddr(r, h.TrustedProxies), UserAgent: r.UserAgent(),
		ClientAppType: policy.ClientBrowser, Level: flowLevel(flow), HasMethods: h.MFA != nil && h.MFA.Best(reg) >= mfa.LevelMFA,
		FreshAuth: facts.FreshAuth, Facts: facts}
	if flow.AuthTime != nil {
		a.AuthTime = *flow.AuthTime
	}
	ev, err := h.Access.Evaluate(ctx, a)
	if err != nil {
		return nil, err
	}
	sr.access = ev
	return ev, nil
}

// flowUser loads the flow's user and the methods they have registered.
func (h *Handler) flowUser(ctx context.Context, sr *stepRequest) (*storage.User, mfa.Registered, error) {
	user, err := h.Store.GetUser(ctx, sr.tenant.ID, sr.flow.UserID)
	if err != nil {
		return nil, mfa.Registered{}, fmt.Errorf("load user: %w", err)
	}
	reg, err := mfa.LoadRegistered(ctx, h.Store, sr.tenant.ID, sr.flow.UserID)
	return user, reg, err
}

// requestsAdminResource reports whether the authorize request asks for a
// token for Sigil's admin API (its audience or one of its scopes).
func requestsAdminResource(form url.Values) bool {
	for _, aud := range strings.Fields(form.Get("audience")) {
		if aud == storage.AdminResourceID {
			return true
		}
	}
	for _, s := range strings.Fields(form.Get("scope")) {
		if strings.HasPrefix(s, storage.AdminResourceID+"/") {
			return true
		}
	}
	return false
}

// reauthenticate forgets the single sign-on session's authentication so the
// user signs in again with their password (a sign-in frequency, G-11).
func (h *Handler) reauthenticate(ctx context.Context, sr *stepRequest) (decision, bool, error) {
	flow := sr.flow
	user, err := h.Store.GetUser(ctx, sr.tenant.ID, flow.UserID)
	if err != nil {
		return decision{}, true, fmt.Errorf("load user: %w", err)
	}
	h.logFlow(ctx, slog.LevelInfo, "sign-in frequency requires reauthentication", flow)
	flow.LoginHint = user.UserPrincipalName
	flow.UserID, flow.SessionID, flow.AMR, flow.ACR, flow.AuthTime = "", "", nil, "", nil
	return showPage(stepPassword), true, nil
}

// accessPolicyDemands raises the MFA phase's policy decision by what the
// access evaluation requires.
func accessPolicyDemands(sr *stepRequest, decided mfa.PolicyDecision, hasMethods bool) mfa.PolicyDecision {
	if sr.access == nil {
		return decided
	}
	d := sr.access.Decision
	decided.Require = max(decided.Require, d.RequireLevel)
	decided.RequireRegistration = decided.RequireRegistration || d.RequireRegistration && !hasMethods
	return decided
}

// afterMFAPhase handles what the access evaluation demands once the
// authentication is strong enough: terms of use to accept, a password to
// change.
func (h *Handler) afterMFAPhase(ctx context.Context, _ *http.Request, sr *stepRequest, _ string) (decision, bool, error) {
	if sr.access == nil {
		return decision{}, false, nil
	}
	d := sr.access.Decision
	if len(d.TermsOfUse) > 0 && h.Terms != nil {
		return showPage(stepTerms), true, nil
	}
	if d.PasswordChange {
		h.logFlow(ctx, slog.LevelInfo, "sign-in needs a password change", sr.flow)
		return decision{refusalTitle: titlePasswordChange, refusal: msgPasswordChange, refusalLink: h.passwordPageURL(sr),
			code: access.CodePasswordChange}, true, nil
	}
	return decision{}, false, nil
}

func (h *Handler) passwordPageURL(sr *stepRequest) string {
	return "/" + url.PathEscape(sr.segment) + "/account/password"
}

// SignInRecorder writes the sign-in log (server/access implements it).
type SignInRecorder interface {
	Record(ctx context.Context, rec access.SignInRecord) error
}

// recordSignIn writes the flow's sign-in log row: who, which application,
// from where, how, with what result and the access evaluation's trace
// (G-29). A failure to write is logged; it does not change the sign-in.
func (h *Handler) recordSignIn(r *http.Request, sr *stepRequest, code int, reason string) {
	if h.SignIns == nil {
		return
	}
	ctx, flow := r.Context(), sr.flow
	form, _ := url.ParseQuery(flow.AuthorizeForm)
	rec := access.SignInRecord{Tenant: sr.tenant, CorrelationID: flow.ID, RequestID: requestid.From(ctx),
		UserPrincipal: flow.LoginHint, AppID: flow.ClientID, Addr: lockout.ClientAddr(r, h.TrustedProxies),
		UserAgent: r.UserAgent(), ClientAppType: policy.ClientBrowser, Interactive: true, AMR: flow.AMR, ACR: flow.ACR,
		ErrorCode: code, FailureReason: reason, Evaluation: sr.access, Facts: access.DecodeFacts(flow.Facts)}
	if requestsAdminResource(form) {
		rec.ResourceID = storage.AdminResourceID
	}
	if flow.UserID != "" {
		if u, err := h.Store.GetUser(ctx, sr.tenant.ID, flow.UserID); err == nil {
			rec.User = u
		}
	}
	if flow.ClientID != "" {
		if app, err := h.Authorizer.Client(ctx, flow.ClientID); err == nil {
			rec.AppName = app.DisplayName
		}
	} else {
		rec.AppName = "Sigil account"
	}
	if err := h.SignIns.Record(ctx, rec); err != nil {
		h.logFlow(ctx, slog.LevelError, "write sign-in log", flow, "err", err)
	}
}

// failureCode maps an OAuth error of the flow to the sign-in log's code.
func failureCode(oauthError string) int {
	switch oauthError {
	case "interaction_required", "login_required", "consent_required":
		return access.CodeInteractionRequired
	case "unmet_authentication_requirements":
		return access.CodeUnmetRequirements
	}
	return access.CodeBlocked
}
