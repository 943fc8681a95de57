package authflow

import (
	"github.com/sigil-idp/sigil/server/access"
	"log/slog"
	"net/http"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/storage"
)

// paramPasskey, on the username page's URL, shows the passwordless prompt.
const paramPasskey = "passkey"

// showPasswordless renders the passwordless prompt of the username step: its
// form posts back to the username step with the step's CSRF token.
func (h *Handler) showPasswordless(w http.ResponseWriter, r *http.Request, sr *stepRequest, problem string, status int) {
	h.Passwordless.ShowPasswordless(w, r, &mfa.Passwordless{
		Tenant: sr.tenant, FlowID: sr.flow.ID, Form: h.mfaForm(w, r, sr, stepUsername, mfa.KindPasskey),
		Alternatives: []mfa.Alternative{{Label: "Sign in with a username and password", URL: pageURL(sr, stepUsername)}},
		Error:        problem, Status: status,
	})
}

// submitPasswordless signs the user in with a passkey alone: an SSO session
// at the method's strength (phishing-resistant MFA: amr hwk user mfa), then
// the remaining phases. A refused passkey shows the prompt again.
func (h *Handler) submitPasswordless(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	ctx := r.Context()
	pl := &mfa.Passwordless{Tenant: sr.tenant, FlowID: sr.flow.ID}
	user, res, err := h.Passwordless.VerifyPasswordless(ctx, r, pl)
	if err != nil {
		h.internalError(w, r, sr.flow, "verify passwordless sign-in", err)
		return
	}
	if !res.Verified {
		h.logFlow(ctx, slog.LevelInfo, "passwordless sign-in refused", sr.flow)
		h.showPasswordless(w, r, sr, res.Message, http.StatusBadRequest)
		return
	}
	h.passwordlessVerified(w, r, sr, user)
}

func (h *Handler) passwordlessVerified(w http.ResponseWriter, r *http.Request, sr *stepRequest, user *storage.User) {
	ctx := r.Context()
	flow := sr.flow
	info := h.Passwordless.Info()
	now := h.now()
	lifetime := sr.tenant.Settings.Effective().SessionLifetime
	amr := mfa.AMR(nil, info.AMR, info.Level)
	sess := &storage.BrowserSession{
		ID: newID(), TenantID: sr.tenant.ID, UserID: user.ID, AuthTime: now, AMR: amr, ACR: info.Level.ACR(),
		CreatedAt: now, ExpiresAt: now.Add(lifetime),
	}
	if err := h.Store.CreateBrowserSession(ctx, sess); err != nil {
		h.internalError(w, r, flow, "create browser session", err)
		return
	}
	prev := flow.UpdatedAt
	flow.UserID, flow.SessionID, flow.AMR, flow.ACR = user.ID, sess.ID, amr, sess.ACR
	flow.LoginHint, flow.AuthTime = user.UserPrincipalName, &sess.AuthTime
	flow.Facts = access.Facts{FreshAuth: true}.Encode()
	if !h.saveFlow(w, r, flow, prev) {
		if err := h.Store.RevokeBrowserSession(ctx, sess.ID, now); err != nil {
			h.logFlow(ctx, slog.LevelWarn, "revoke unused browser session", flow, "err", err)
		}
		return
	}
	if err := h.rememberSession(w, r, sess, lifetime); err != nil {
		h.internalError(w, r, flow, "write session cookie", err)
		return
	}
	h.logFlow(ctx, slog.LevelInfo, "passwordless sign-in verified", flow, "method", info.Kind)
	h.finishStep(w, r, sr)
}
