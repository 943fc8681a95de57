package account

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/storage"
)

// Messages of the roles page (page catalogue keys).
const (
	msgRoleActive      = "Your role is active."
	msgRolePending     = "Your request is waiting for an approver."
	msgRoleNeedsMFA    = "Activating a role needs multifactor authentication. Add a sign-in method on the Security info page first."
	msgRoleUnknown     = "That role isn't one you can activate."
	msgRoleBadDuration = "Choose how long you need the role."
)

// activationDurations are the durations the page offers, up to each
// eligibility's maximum.
var activationDurations = []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 24 * time.Hour}

// rolesView is the data of the account_roles page.
type rolesView struct {
	Account, Action, Token, Error, Notice string
	Roles                                 []roleView
}

// roleView is one eligible role on the page.
type roleView struct {
	EligibilityID, Name, Description string
	MaxDuration                      string
	ApprovalRequired                 bool
	// State is "Active", "PendingApproval" or "" (can be activated); Until
	// the end of an active role.
	State, Until string
	Durations    []durationOption
	Selected     bool // the form the error is about
}

type durationOption struct {
	Minutes int
	Label   string
}

func (h *Handler) rolesPath(ar *request) string {
	return "/" + url.PathEscape(ar.segment) + "/account/roles"
}

// showRoles lists the roles the user may activate through PIM (C-20..C-22),
// with their state.
func (h *Handler) showRoles(w http.ResponseWriter, r *http.Request, ar *request) {
	v := rolesView{}
	switch r.URL.Query().Get("done") {
	case "active":
		v.Notice = msgRoleActive
	case "pending":
		v.Notice = msgRolePending
	}
	h.renderRoles(w, r, ar, http.StatusOK, v, "")
}

func (h *Handler) renderRoles(w http.ResponseWriter, r *http.Request, ar *request, status int, v rolesView, selected string) {
	roles, err := h.Roles.EligibleRolesOf(r.Context(), ar.tenant.ID, ar.user.ID)
	if err != nil {
		h.internal(w, r, "list eligible roles", err)
		return
	}
	for _, er := range roles {
		v.Roles = append(v.Roles, newRoleView(er, selected))
	}
	v.Account, v.Action = ar.user.UserPrincipalName, h.rolesPath(ar)+"/activate"
	v.Token = h.token(ar, v.Action)
	w.Header().Set("Cache-Control", "no-store")
	h.Pages.Render(w, r, status, "account_roles", v)
}

func newRoleView(er directory.EligibleRole, selected string) roleView {
	e := er.Eligibility
	rv := roleView{EligibilityID: e.ID, Name: er.Role.DisplayName, Description: er.Role.Description,
		MaxDuration: humanDuration(e.MaxDuration), ApprovalRequired: e.ApprovalRequired, Selected: e.ID == selected}
	switch er.State {
	case storage.ActivationActive:
		rv.State, rv.Until = er.State, er.Latest.EndAt.UTC().Format("2006-01-02 15:04 UTC")
	case storage.ActivationPendingApproval:
		rv.State = er.State
	}
	for _, d := range activationDurations {
		if d <= e.MaxDuration {
			rv.Durations = append(rv.Durations, durationOption{Minutes: int(d / time.Minute), Label: humanDuration(d)})
		}
	}
	return rv
}

func humanDuration(d time.Duration) string {
	if d < time.Hour {
		return fmt.Sprintf("%d min", int(d/time.Minute))
	}
	if d%time.Hour == 0 {
		return fmt.Sprintf("%d h", int(d/time.Hour))
	}
	return d.Round(time.Minute).String()
}

// submitActivation activates an eligible role: it needs a recent sign-in
// with MFA (C-22, C-27), a justification and a duration up to the
// eligibility's maximum; with approval required it waits for an approver
// (C-25). The request is audited by the directory.
func (h *Handler) submitActivation(w http.ResponseWriter, r *http.Request, ar *request) {
	eligibility := r.PostForm.Get("eligibility")
	if !ar.registered.HasAny() {
		h.renderRoles(w, r, ar, http.StatusBadRequest, rolesView{Error: msgRoleNeedsMFA}, eligibility)
		return
	}
	if !h.fresh(ar) || !directory.SessionDidMFA(ar.session.AMR) {
		h.SignIn.StartAction(w, r, mfa.ActionRegisterSecurityInfo, h.rolesPath(ar), h.freshFor())
		return
	}
	minutes, err := strconv.Atoi(r.PostForm.Get("duration"))
	if err != nil || minutes <= 0 || minutes > 24*60 {
		h.renderRoles(w, r, ar, http.StatusBadRequest, rolesView{Error: msgRoleBadDuration}, eligibility)
		return
	}
	ctx := directory.WithAuditActor(r.Context(), directory.AuditActor{Type: storage.AuditActorUser, ID: ar.user.ID, Name: ar.user.UserPrincipalName})
	a, err := h.Roles.RequestActivation(ctx, ar.tenant.ID, ar.user.ID, directory.ActivationRequest{
		EligibilityID: eligibility, Justification: r.PostForm.Get("justification"),
		Duration: time.Duration(minutes) * time.Minute, MFADone: true})
	if err != nil {
		h.activationFailed(w, r, ar, eligibility, err)
		return
	}
	h.logger().InfoContext(r.Context(), "role activation requested", "request_id", requestid.From(r.Context()),
		"tenant_id", ar.tenant.ID, "user_id", ar.user.ID, "role", a.RoleDefinitionID, "status", a.Status)
	done := "active"
	if a.Status == storage.ActivationPendingApproval {
		done = "pending"
	}
	http.Redirect(w, r, h.rolesPath(ar)+"?done="+done, http.StatusSeeOther)
}

// activationFailed shows why the directory refused the request.
func (h *Handler) activationFailed(w http.ResponseWriter, r *http.Request, ar *request, eligibility string, err error) {
	var verr *directory.ValidationError
	var cerr *directory.ConflictError
	switch {
	case errors.As(err, &verr):
		msg := ""
		for i, p := range verr.Problems {
			if i > 0 {
				msg += " "
			}
			msg += p.Field + ": " + p.Message + "."
		}
		h.renderRoles(w, r, ar, http.StatusBadRequest, rolesView{Error: msg}, eligibility)
	case errors.As(err, &cerr):
		h.renderRoles(w, r, ar, http.StatusConflict, rolesView{Error: cerr.Message}, eligibility)
	case errors.Is(err, directory.ErrEligibilityNotFound):
		h.renderRoles(w, r, ar, http.StatusNotFound, rolesView{Error: msgRoleUnknown}, "")
	case errors.Is(err, directory.ErrMFARequired):
		h.renderRoles(w, r, ar, http.StatusBadRequest, rolesView{Error: msgRoleNeedsMFA}, eligibility)
	default:
		h.internal(w, r, "request a role activation", err)
	}
}
