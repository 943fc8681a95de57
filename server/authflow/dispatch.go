package authflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/storage"
)

// decision is what the dispatcher does next: show a page, fail the authorize
// request, or (the zero value) hand the finished flow to the Authorizer.
type decision struct {
	page       string
	failCode   string
	failReason string
	// refusal ends the flow on a branded error page instead of answering
	// the client (a user the application does not admit).
	refusal      string
	refusalTitle string
	// refusalLink, when set, is where the refusal page sends the user on.
	refusalLink string
	// code is the sign-in log's error code of a refusal (access.Code...).
	code int
}

func showPage(step string) decision { return decision{page: step} }

// phase is one stage of the dispatcher's decision. It either settles what
// happens next or returns settled=false to let the following phase decide; it
// may fill in the flow (an adopted session, granted scopes), which dispatch
// then saves. completed is the step whose verifier brought the browser here
// ("" at Start).
type phase func(ctx context.Context, r *http.Request, sr *stepRequest, completed string) (d decision, settled bool, err error)

// phases lists the dispatcher's stages in order. The access phase evaluates
// security defaults and Conditional Access before MFA and, since decide runs
// every phase again after each step, after it too (ARCHITECTURE.md "The
// sign-in flow"); terms of use and a password change follow MFA.
func (h *Handler) phases() []phase {
	return []phase{h.authenticate, h.assignment, h.accessPhase, h.mfaPhase, h.afterMFAPhase, h.consent}
}

// handleDispatch is GET /{tenant}/login?flow=…&v=…: a step finished and proves
// it with its verifier.
func (h *Handler) handleDispatch(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	flow := sr.flow
	if !h.verifierValid(flow.ID, flow.Step, flow.StepNonce, r.URL.Query().Get("v")) {
		h.logFlow(r.Context(), slog.LevelInfo, "sign-in step verifier refused", flow, "flow_step", flow.Step)
		h.Pages.Error(w, r, http.StatusBadRequest, titleSignIn, msgStale)
		return
	}
	h.dispatch(w, r, sr, flow.Step)
}

// dispatch is the one place that decides the flow's next step. It records the
// decision together with a fresh step nonce in one optimistic write, so a
// verifier is spent before anything happens and of two racing requests only
// one goes on; then it acts.
func (h *Handler) dispatch(w http.ResponseWriter, r *http.Request, sr *stepRequest, completed string) {
	flow := sr.flow
	prev := flow.UpdatedAt
	d, err := h.decide(r.Context(), r, sr, completed)
	if err != nil {
		h.internalError(w, r, flow, "decide the next sign-in step", err)
		return
	}
	flow.Step = stepDone
	if d.page != "" {
		flow.Step = d.page
	}
	flow.StepNonce = newID()
	if !h.saveFlow(w, r, flow, prev) {
		return
	}
	switch {
	case d.failCode != "":
		h.logFlow(r.Context(), slog.LevelInfo, "sign-in failed", flow, "error", d.failCode)
		h.recordSignIn(r, sr, failureCode(d.failCode), d.failReason)
		h.authorizerFor(flow).Fail(w, r, flow, d.failCode, d.failReason)
	case d.page != "":
		http.Redirect(w, r, pageURL(sr, d.page), http.StatusSeeOther)
	case d.refusal != "":
		h.recordSignIn(r, sr, d.code, d.refusal)
		h.refuse(w, r, d)
	default:
		h.logFlow(r.Context(), slog.LevelInfo, "sign-in completed", flow, "amr", flow.AMR)
		h.recordSignIn(r, sr, access.CodeSuccess, "")
		h.authorizerFor(flow).Complete(w, r, flow)
	}
}

func (h *Handler) decide(ctx context.Context, r *http.Request, sr *stepRequest, completed string) (decision, error) {
	for _, p := range h.phases() {
		d, settled, err := p(ctx, r, sr, completed)
		if err != nil || settled {
			return d, err
		}
	}
	return decision{}, nil
}

// authenticate settles who is signing in: by the SSO session of this browser
// when it satisfies the request, otherwise through the username and password
// pages.
func (h *Handler) authenticate(ctx context.Context, r *http.Request, sr *stepRequest, completed string) (decision, bool, error) {
	flow := sr.flow
	if flow.UserID != "" {
		return decision{}, false, nil
	}
	switch completed {
	case stepUsername:
		return showPage(stepPassword), true, nil
	case stepPassword: // finished without a user: "Not you?"
		return showPage(stepUsername), true, nil
	}
	sess, user, err := h.currentSession(r, sr.tenant.ID)
	if err != nil && !errors.Is(err, ErrNoSession) {
		return decision{}, true, err
	}
	p := parsePrompt(flow.Prompt)
	if sess != nil && sessionSatisfies(flow, p, sess, user.UserPrincipalName, h.now()) {
		flow.UserID, flow.SessionID, flow.AMR, flow.ACR = sess.UserID, sess.ID, slices.Clone(sess.AMR), sess.ACR
		authTime := sess.AuthTime
		flow.AuthTime = &authTime
		return decision{}, false, nil
	}
	if p.none {
		return decision{failCode: "login_required", failReason: "The user must sign in."}, true, nil
	}
	if sess != nil && flow.LoginHint == "" {
		flow.LoginHint = user.UserPrincipalName
	}
	return showPage(stepUsername), true, nil
}

// consent settles which scopes the application gets, asking the user when no
// earlier grant covers them.
func (h *Handler) consent(ctx context.Context, _ *http.Request, sr *stepRequest, completed string) (decision, bool, error) {
	flow := sr.flow
	if completed == stepConsent || flow.ClientID == "" { // "": an internal flow has no client to consent to
		return decision{}, false, nil // the consent page set GrantedScopes
	}
	app, err := h.Authorizer.Client(ctx, flow.ClientID)
	if err != nil {
		return decision{}, true, fmt.Errorf("load application: %w", err)
	}
	requested := requestedScopes(flow.AuthorizeForm)
	p := parsePrompt(flow.Prompt)
	var granted []string
	if !app.FirstParty && !p.consent {
		if granted, err = h.grantedScopes(ctx, flow); err != nil {
			return decision{}, true, err
		}
	}
	if !consentNeeded(app.FirstParty, p.consent, requested, granted) {
		flow.GrantedScopes = requested
		return decision{}, false, nil
	}
	if p.none {
		return decision{failCode: "consent_required", failReason: "The user has not granted the application the requested permissions."}, true, nil
	}
	return showPage(stepConsent), true, nil
}

// grantedScopes returns the scopes the user granted the flow's client before.
func (h *Handler) grantedScopes(ctx context.Context, flow *storage.Flow) ([]string, error) {
	c, err := h.Store.GetConsent(ctx, flow.TenantID, flow.UserID, flow.ClientID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load consent: %w", err)
	}
	return c.Scopes, nil
}

// prompt is the parsed OIDC prompt parameter (space-separated values).
type prompt struct {
	none, login, consent, selectAccount bool
}

func parsePrompt(s string) prompt {
	var p prompt
	for _, v := range strings.Fields(s) {
		switch v {
		case "none":
			p.none = true
		case "login":
			p.login = true
		case "consent":
			p.consent = true
		case "select_account":
			p.selectAccount = true
		}
	}
	return p
}

// sessionSatisfies reports whether an SSO session (already checked against
// storage) may sign in this flow without asking for credentials. prompt=login
// and prompt=select_account (there is no account picker: the username page
// serves) ask again; so does an authentication older than max_age, where
// max_age=0 always asks; so does a login_hint naming someone else.
func sessionSatisfies(flow *storage.Flow, p prompt, sess *storage.BrowserSession, upn string, now time.Time) bool {
	if p.login || p.selectAccount || flow.MaxAge == 0 {
		return false
	}
	if flow.MaxAge > 0 && now.Sub(sess.AuthTime) > time.Duration(flow.MaxAge)*time.Second {
		return false
	}
	return flow.LoginHint == "" || strings.EqualFold(flow.LoginHint, upn)
}

// consentNeeded reports whether the user must be asked: prompt=consent always
// asks; first-party apps never otherwise; others when an earlier grant misses
// a requested scope.
func consentNeeded(firstParty, forced bool, requested, granted []string) bool {
	if forced {
		return true
	}
	if firstParty {
		return false
	}
	for _, s := range requested {
		if !slices.Contains(granted, s) {
			return true
		}
	}
	return false
}

// requestedScopes returns the distinct scopes of the stored authorize request,
// in request order.
func requestedScopes(authorizeForm string) []string {
	form, err := url.ParseQuery(authorizeForm)
	if err != nil {
		return nil
	}
	var scopes []string
	for _, s := range strings.Fields(form.Get("scope")) {
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	return scopes
}
