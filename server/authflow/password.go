package authflow

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/storage"
)

const (
	// msgBadCredentials is the one answer for an unknown user, a disabled user
	// and a wrong password.
	msgBadCredentials = "Your account or password is incorrect."
	msgNoPassword     = "Enter your password."
)

// showPassword asks for the password of the name typed on the username page.
// After a failed attempt (?attempt=N with N the flow's failure count) it shows
// the error.
func (h *Handler) showPassword(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	v := h.newFormView(w, r, sr, stepPassword)
	n := sr.flow.Failures
	if n > 0 && r.URL.Query().Get("attempt") == strconv.Itoa(n) {
		v.Error = msgBadCredentials
	}
	h.Pages.Render(w, r, http.StatusOK, stepPassword, v)
}

// submitPassword checks the password ("sign_in") or goes back to the username
// page ("switch_user", the "Not you?" button).
func (h *Handler) submitPassword(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	if r.PostForm.Get("action") == "switch_user" {
		flow := sr.flow
		prev := flow.UpdatedAt
		flow.LoginHint = ""
		if h.saveFlow(w, r, flow, prev) {
			h.finishStep(w, r, sr)
		}
		return
	}
	password := r.PostForm.Get("password")
	if password == "" {
		v := h.newFormView(w, r, sr, stepPassword)
		v.Error = msgNoPassword
		h.Pages.Render(w, r, http.StatusBadRequest, stepPassword, v)
		return
	}
	user, familiar, err := h.checkPassword(r, sr, password)
	padUntil(r.Context(), sr.started.Add(h.minResponse()))
	switch {
	case err != nil:
		h.internalError(w, r, sr.flow, "look up user", err)
	case user == nil:
		h.passwordFailed(w, r, sr)
	default:
		h.passwordVerified(w, r, sr, user, familiar)
	}
}

// checkPassword returns the user when smart lockout lets the attempt through,
// the password is theirs and the account is enabled, and nil otherwise. Every
// path runs the password KDF once, so the outcome cannot be read from the time
// it takes; a locked account's password is not checked at all (F-30).
// familiar is smart lockout's verdict on the client's network, taken before a
// success makes it familiar (a risk signal for Conditional Access).
func (h *Handler) checkPassword(r *http.Request, sr *stepRequest, password string) (user *storage.User, familiar bool, err error) {
	ctx, flow := r.Context(), sr.flow
	user, err = h.Store.GetUserByUPN(ctx, sr.tenant.ID, flow.LoginHint)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		credential.VerifyDummy(password)
		return nil, false, err
	}
	attempt := lockout.Attempt{Tenant: sr.tenant, Addr: lockout.ClientAddr(r, h.TrustedProxies)}
	if user != nil {
		attempt.UserID = user.ID
	}
	verdict, err := h.Lockout.Check(ctx, attempt)
	if err != nil {
		credential.VerifyDummy(password)
		return nil, false, err
	}
	if !verdict.Allowed {
		credential.VerifyDummy(password)
		h.logFlow(ctx, slog.LevelWarn, "password sign-in refused", flow, "user_id", attempt.UserID,
			"reason", verdict.Reason, "until", verdict.Until)
		user = nil
	} else {
		user = h.verifyUser(ctx, flow, user, password)
	}
	if user == nil {
		locked, err := h.Lockout.Failed(ctx, attempt, verdict)
		if locked {
			h.logFlow(ctx, slog.LevelWarn, "account locked by smart lockout", flow, "user_id", attempt.UserID, "familiar", verdict.Familiar)
		}
		return nil, false, err
	}
	return user, verdict.Familiar, h.Lockout.Succeeded(ctx, attempt, verdict)
}

// verifyUser returns the user when the password is theirs and the account is
// enabled, and nil otherwise, running the KDF once either way.
func (h *Handler) verifyUser(ctx context.Context, flow *storage.Flow, user *storage.User, password string) *storage.User {
	if user == nil || user.PasswordHash == "" {
		credential.VerifyDummy(password)
		h.logFlow(ctx, slog.LevelInfo, "password sign-in refused", flow, "reason", "unknown user or no password")
		return nil
	}
	ok, err := credential.VerifyPassword(user.PasswordHash, password)
	switch {
	case err != nil:
		h.logFlow(ctx, slog.LevelWarn, "stored password hash is unusable", flow, "user_id", user.ID, "err", err)
		return nil
	case !ok:
		h.logFlow(ctx, slog.LevelInfo, "password sign-in refused", flow, "user_id", user.ID, "reason", "wrong password")
		return nil
	case !user.AccountEnabled:
		h.logFlow(ctx, slog.LevelInfo, "password sign-in refused", flow, "user_id", user.ID, "reason", "account disabled")
		return nil
	}
	return user
}

// passwordFailed shows the password page again with the error. The flow
// counts its failures only to show the error once per attempt; smart lockout
// (server/lockout) counts them across flows, browsers and replicas.
func (h *Handler) passwordFailed(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	flow := sr.flow
	prev := flow.UpdatedAt
	flow.Failures++
	if !h.saveFlow(w, r, flow, prev) {
		return
	}
	h.recordSignIn(r, sr, access.CodeBadCredentials, "Invalid username or password, or the account is locked or disabled.")
	target := pageURL(sr, stepPassword) + "&attempt=" + url.QueryEscape(strconv.Itoa(flow.Failures))
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// passwordVerified starts an SSO session for the user, records the sign-in in
// the flow and returns to the dispatcher.
func (h *Handler) passwordVerified(w http.ResponseWriter, r *http.Request, sr *stepRequest, user *storage.User, familiar bool) {
	ctx := r.Context()
	flow := sr.flow
	now := h.now()
	facts := access.Facts{FreshAuth: true}
	if h.Access != nil {
		var err error
		facts, err = h.Access.FirstFactor(ctx, sr.tenant, user.ID, lockout.ClientAddr(r, h.TrustedProxies), familiar)
		if err != nil {
			h.internalError(w, r, flow, "assess sign-in risk", err)
			return
		}
		facts.FreshAuth = true
	}
	lifetime := sr.tenant.Settings.Effective().SessionLifetime
	sess := &storage.BrowserSession{
		ID: newID(), TenantID: sr.tenant.ID, UserID: user.ID,
		AuthTime: now, AMR: []string{"pwd"}, CreatedAt: now, ExpiresAt: now.Add(lifetime),
	}
	if err := h.Store.CreateBrowserSession(ctx, sess); err != nil {
		h.internalError(w, r, flow, "create browser session", err)
		return
	}
	prev := flow.UpdatedAt
	flow.UserID, flow.SessionID, flow.AMR = user.ID, sess.ID, []string{"pwd"}
	flow.AuthTime = &sess.AuthTime
	flow.Facts = facts.Encode()
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
	h.logFlow(ctx, slog.LevelInfo, "password verified", flow)
	h.finishStep(w, r, sr)
}

// padUntil sleeps until the deadline (or until the request is abandoned).
func padUntil(ctx context.Context, deadline time.Time) {
	wait := time.Until(deadline)
	if wait <= 0 {
		return
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
