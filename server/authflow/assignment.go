package authflow

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/storage"
)

// AssignmentChecker answers whether a user may sign in to an application
// as far as its "assignment required" setting goes (directory.Roles
// implements it).
type AssignmentChecker interface {
	// AssignedToApp reports false when the application requires an app role
	// assignment and none reaches the user, directly or through a group.
	AssignedToApp(ctx context.Context, tenantID, clientID, userID string) (bool, error)
}

// Message of the refusal page: Entra's AADSTS50105 in plain words.
const (
	titleNotAssigned = "You can't sign in to this application"
	msgNotAssigned   = "Your administrator has set this application so that only people who are assigned to it can sign in, and your account isn't assigned. Ask your administrator to give you access."
)

// assignment refuses, with a branded page and no authorization response, a
// user the application does not admit because its "assignment required"
// setting is on and no assignment reaches the user (directly or through a
// group). It runs once the user is known and before MFA and consent, so an
// unassigned user is neither asked for a second factor nor for consent.
func (h *Handler) assignment(ctx context.Context, _ *http.Request, sr *stepRequest, _ string) (decision, bool, error) {
	flow := sr.flow
	if h.Assignments == nil || flow.ClientID == "" || flow.UserID == "" {
		return decision{}, false, nil
	}
	assigned, err := h.Assignments.AssignedToApp(ctx, flow.TenantID, flow.ClientID, flow.UserID)
	if err != nil {
		return decision{}, true, fmt.Errorf("check app role assignment: %w", err)
	}
	if assigned {
		return decision{}, false, nil
	}
	h.recordNotAssigned(ctx, flow)
	return decision{refusalTitle: titleNotAssigned, refusal: msgNotAssigned, code: access.CodeNotAssigned}, true, nil
}

// recordNotAssigned logs a refused sign-in with a stable message and
// reason (the dispatcher writes its sign-in log row).
func (h *Handler) recordNotAssigned(ctx context.Context, flow *storage.Flow) {
	h.logFlow(ctx, slog.LevelWarn, "sign-in refused: user not assigned to application", flow,
		"signin_failure_reason", "app_role_assignment_required")
}

// refuse ends the flow with a branded error page: no authorization response
// goes to the client.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, d decision) {
	if d.refusalLink != "" {
		h.Pages.ErrorWithLink(w, r, http.StatusForbidden, d.refusalTitle, d.refusal, d.refusalLink, "Change your password")
		return
	}
	h.Pages.Error(w, r, http.StatusForbidden, d.refusalTitle, d.refusal)
}
