package authflow

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/storage"
)

// Step names of the MFA phase.
const (
	stepMFA         = "mfa"
	stepMFARegister = "mfa_register"
)

// paramUserAction names, in an internal flow's AuthorizeForm, the user action
// the flow is for (mfa.ActionRegisterSecurityInfo).
const paramUserAction = "user_action"

// mfaContext is what the MFA phase and its pages know about the signed-in
// user: the user, what they have registered, their MFA state and the plan.
type mfaContext struct {
	user       *storage.User
	registered mfa.Registered
	state      *storage.MFAState
	current    mfa.Level
	plan       mfa.Plan
}

// mfaPhase settles whether the authentication is strong enough for the
// tenant's policy and the client's acr request; if not, it shows the MFA
// challenge, or registration when the user must register a method first.
func (h *Handler) mfaPhase(ctx context.Context, _ *http.Request, sr *stepRequest, _ string) (decision, bool, error) {
	flow := sr.flow
	if h.MFA == nil || flow.UserID == "" {
		return decision{}, false, nil
	}
	mc, err := h.loadMFA(ctx, sr)
	if err != nil {
		return decision{}, true, err
	}
	switch mc.plan.Step {
	case mfa.StepContinue:
		flow.ACR = mc.current.ACR()
		return decision{}, false, nil
	case mfa.StepFail:
		return decision{failCode: mc.plan.FailCode, failReason: "The sign-in does not meet the requested authentication requirements."}, true, nil
	}
	if parsePrompt(flow.Prompt).none {
		return decision{failCode: "interaction_required", failReason: "The user must complete multi-factor authentication."}, true, nil
	}
	if mc.plan.Step == mfa.StepRegister {
		return showPage(stepMFARegister), true, nil
	}
	return showPage(stepMFA), true, nil
}

// loadMFA reads the user's methods and state and plans the MFA phase.
func (h *Handler) loadMFA(ctx context.Context, sr *stepRequest) (*mfaContext, error) {
	flow := sr.flow
	user, reg, err := h.flowUser(ctx, sr)
	if err != nil {
		return nil, err
	}
	st, err := h.Store.GetMFAState(ctx, sr.tenant.ID, flow.UserID)
	if err != nil {
		return nil, fmt.Errorf("load MFA state: %w", err)
	}
	form, _ := url.ParseQuery(flow.AuthorizeForm)
	policy := h.MFAPolicy
	if policy == nil {
		policy = mfa.BaselinePolicy
	}
	decided := policy(mfa.PolicyInput{
		TenantRequiresMFA:    sr.tenant.Settings.RequireMFA,
		RegistrationRequired: st.RegistrationRequired,
		HasMethods:           reg.HasAny(),
		UserAction:           userAction(flow, form),
	})
	decided = accessPolicyDemands(sr, decided, reg.HasAny())
	current := flowLevel(flow)
	plan := mfa.NextStep(decided, mfa.Requested(form.Get("acr_values"), form.Get("claims")), mfa.Reach{
		Current: current, Usable: h.MFA.Best(reg), Registrable: h.MFA.BestRegistrable(),
	})
	return &mfaContext{user: user, registered: reg, state: st, current: current, plan: plan}, nil
}

// flowLevel is the strength of the flow's authentication so far: its ACR,
// or single factor once a user is signed in without one (a password).
func flowLevel(flow *storage.Flow) mfa.Level {
	if l := mfa.LevelOf(flow.ACR); l != mfa.LevelNone {
		return l
	}
	if flow.UserID != "" {
		return mfa.LevelSingleFactor
	}
	return mfa.LevelNone
}

// mfaSucceeded raises the flow and its SSO session to the method's strength:
// amr gains the method's values and "mfa", acr the new level, auth_time now.
func (h *Handler) mfaSucceeded(w http.ResponseWriter, r *http.Request, sr *stepRequest, mc *mfaContext, info mfa.Info) {
	ctx := r.Context()
	flow := sr.flow
	now := h.now()
	level := max(mc.current, info.Level)
	prev := flow.UpdatedAt
	flow.AMR = mfa.AMR(flow.AMR, info.AMR, level)
	flow.ACR = level.ACR()
	flow.AuthTime = &now
	if err := h.Store.ResetMFAFailures(ctx, sr.tenant.ID, flow.UserID); err != nil {
		h.internalError(w, r, flow, "reset MFA failures", err)
		return
	}
	if flow.SessionID != "" {
		if err := h.Store.UpdateBrowserSessionAuth(ctx, flow.SessionID, now, flow.AMR, flow.ACR); err != nil {
			h.internalError(w, r, flow, "record MFA in the browser session", err)
			return
		}
	}
	if !h.saveFlow(w, r, flow, prev) {
		return
	}
	h.logFlow(ctx, slog.LevelInfo, "second factor verified", flow, "method", info.Kind, "acr", flow.ACR)
	h.finishStep(w, r, sr)
}

// userAction is the user action an internal flow performs (the security-info
// pages start one with ActionRegisterSecurityInfo). A client's authorize
// request cannot name one.
func userAction(flow *storage.Flow, form url.Values) string {
	if flow.ClientID != "" {
		return ""
	}
	return form.Get(paramUserAction)
}
