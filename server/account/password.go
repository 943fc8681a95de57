package account

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/server/password"
	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/storage"
)

// Messages of the password-change page (page catalogue keys).
const (
	msgPasswordMissing  = "Enter your current password and a new password."
	msgPasswordMismatch = "The new passwords don't match."
	msgCurrentWrong     = "Your current password is incorrect."
	msgPasswordLength   = "Your password must be between 8 and 256 characters long."
	msgPasswordBanned   = "This password has been used too many times. Choose a password that is harder for people to guess."
	msgPasswordSame     = "Your new password must be different from your current password."
	msgPasswordChanged  = "Your password was changed. You were signed out on your other devices."
)

// passwordView is the data of the account_password page.
type passwordView struct {
	Account, Action, Token, Error, Notice string
}

func (h *Handler) passwordPath(ar *request) string {
	return "/" + url.PathEscape(ar.segment) + "/account/password"
}

// showPassword shows the password-change form (I-02: members and guests
// change their own password).
func (h *Handler) showPassword(w http.ResponseWriter, r *http.Request, ar *request) {
	v := passwordView{}
	if r.URL.Query().Get("done") == "changed" {
		v.Notice = msgPasswordChanged
	}
	h.renderPassword(w, r, ar, http.StatusOK, v)
}

func (h *Handler) renderPassword(w http.ResponseWriter, r *http.Request, ar *request, status int, v passwordView) {
	v.Account, v.Action = ar.user.UserPrincipalName, h.passwordPath(ar)
	v.Token = h.token(ar, v.Action)
	w.Header().Set("Cache-Control", "no-store")
	h.Pages.Render(w, r, status, "account_password", v)
}

// submitPassword changes the password: the current one must verify (under
// smart lockout, F-30), the new one must be typed twice and pass the password
// policy (F-31, F-32). The change revokes the user's other sessions and their
// tokens; this session stays signed in.
func (h *Handler) submitPassword(w http.ResponseWriter, r *http.Request, ar *request) {
	current, next := r.PostForm.Get("current_password"), r.PostForm.Get("new_password")
	if current == "" || next == "" {
		h.renderPassword(w, r, ar, http.StatusBadRequest, passwordView{Error: msgPasswordMissing})
		return
	}
	if next != r.PostForm.Get("confirm_password") {
		h.renderPassword(w, r, ar, http.StatusBadRequest, passwordView{Error: msgPasswordMismatch})
		return
	}
	ok, err := h.verifyCurrent(r, ar, current)
	if err != nil {
		h.internal(w, r, "verify the current password", err)
		return
	}
	if !ok {
		h.renderPassword(w, r, ar, http.StatusBadRequest, passwordView{Error: msgCurrentWrong})
		return
	}
	if msg, err := h.newPasswordProblem(r.Context(), ar, current, next); err != nil || msg != "" {
		if err != nil {
			h.internal(w, r, "check the new password", err)
			return
		}
		h.renderPassword(w, r, ar, http.StatusBadRequest, passwordView{Error: msg})
		return
	}
	if err := h.replacePassword(r.Context(), ar, next); err != nil {
		h.internal(w, r, "store the new password", err)
		return
	}
	h.logger().InfoContext(r.Context(), "password changed by the user", "request_id", requestid.From(r.Context()),
		"tenant_id", ar.tenant.ID, "user_id", ar.user.ID)
	http.Redirect(w, r, h.passwordPath(ar)+"?done=changed", http.StatusSeeOther)
}

// verifyCurrent checks the current password through smart lockout, so a
// stolen session cannot be used to guess it.
func (h *Handler) verifyCurrent(r *http.Request, ar *request, current string) (bool, error) {
	ctx := r.Context()
	guard := h.lockout()
	attempt := lockout.Attempt{Tenant: ar.tenant, UserID: ar.user.ID, Addr: lockout.ClientAddr(r, h.SignIn.TrustedProxies)}
	verdict, err := guard.Check(ctx, attempt)
	if err != nil {
		return false, err
	}
	ok := false
	if !verdict.Allowed || ar.user.PasswordHash == "" {
		credential.VerifyDummy(current)
	} else if ok, err = credential.VerifyPassword(ar.user.PasswordHash, current); err != nil {
		return false, err
	}
	if !ok {
		_, err := guard.Failed(ctx, attempt, verdict)
		return false, err
	}
	return true, guard.Succeeded(ctx, attempt, verdict)
}

// newPasswordProblem returns the page message for a new password the policy
// refuses, or "".
func (h *Handler) newPasswordProblem(ctx context.Context, ar *request, current, next string) (string, error) {
	rules, err := password.RulesFor(ctx, h.Store, ar.tenant, ar.user)
	if err != nil {
		return "", err
	}
	switch err := password.Check(next, rules); {
	case errors.Is(err, password.ErrBanned):
		return msgPasswordBanned, nil
	case err != nil:
		return msgPasswordLength, nil
	case next == current:
		return msgPasswordSame, nil
	}
	return "", nil
}

// replacePassword stores the new hash and ends the user's other sessions and
// tokens in one transaction.
func (h *Handler) replacePassword(ctx context.Context, ar *request, next string) error {
	hash, err := credential.HashPassword(next)
	if err != nil {
		return err
	}
	return h.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := h.Store.GetUser(ctx, ar.tenant.ID, ar.user.ID)
		if err != nil {
			return err
		}
		u.PasswordHash, u.UpdatedAt = hash, h.now()
		if err := h.Store.UpdateUser(ctx, u); err != nil {
			return err
		}
		if _, err = h.Store.RevokeOtherSessions(ctx, ar.tenant.ID, u.ID, ar.session.ID, h.now()); err != nil {
			return err
		}
		return h.remediateRisk(ctx, ar)
	})
}

// remediateRisk clears a user risk the password change answers: a secure
// password change remediates it, as in Entra ID Protection (G-10), so a
// policy requiring it lets the user in again.
func (h *Handler) remediateRisk(ctx context.Context, ar *request) error {
	risk, err := h.Store.GetUserRisk(ctx, ar.tenant.ID, ar.user.ID)
	if errors.Is(err, storage.ErrNotFound) || err == nil && risk.Level == "none" {
		return nil
	}
	if err != nil {
		return err
	}
	return h.Store.SaveUserRisk(ctx, &storage.UserRisk{TenantID: ar.tenant.ID, UserID: ar.user.ID, Level: "none",
		State: "remediated", Detail: "userPerformedSecuredPasswordChange", UpdatedAt: h.now(), UpdatedBy: ar.user.UserPrincipalName})
}

func (h *Handler) lockout() *lockout.Service {
	if h.SignIn.Lockout != nil {
		return h.SignIn.Lockout
	}
	return &lockout.Service{Store: h.Store, Now: h.Now}
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}
