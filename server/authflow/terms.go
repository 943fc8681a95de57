package authflow

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strconv"

	"github.com/sigil-idp/sigil/server/access"
)

// stepTerms is the terms-of-use page a Conditional Access policy requires
// (G-25).
const stepTerms = "terms"

const msgChooseTerms = "Choose Accept or Decline."

// TermsOfUse shows and records the terms of use a policy requires
// (server/access implements it over storage).
type TermsOfUse interface {
	// Terms returns the current versions of the named terms of use.
	Terms(ctx context.Context, tenantID string, ids []string) ([]access.Terms, error)
	// Accept records that the user accepted these versions.
	Accept(ctx context.Context, tenantID, userID string, accepted []access.Terms) error
}

type termsView struct {
	formView
	Terms []access.Terms
}

func (h *Handler) showTerms(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	h.renderTerms(w, r, sr, http.StatusOK, "")
}

// pendingTerms lists the terms the flow still has to accept, evaluated afresh.
func (h *Handler) pendingTerms(r *http.Request, sr *stepRequest) ([]access.Terms, error) {
	ev, err := h.evaluateAccess(r.Context(), r, sr)
	if err != nil {
		return nil, err
	}
	return h.Terms.Terms(r.Context(), sr.tenant.ID, ev.Decision.TermsOfUse)
}

func (h *Handler) renderTerms(w http.ResponseWriter, r *http.Request, sr *stepRequest, status int, message string) {
	terms, err := h.pendingTerms(r, sr)
	if err != nil {
		h.internalError(w, r, sr.flow, "load terms of use", err)
		return
	}
	v := termsView{formView: h.newFormView(w, r, sr, stepTerms), Terms: terms}
	v.Error = message
	if u, err := h.Store.GetUser(r.Context(), sr.tenant.ID, sr.flow.UserID); err == nil {
		v.Username = u.UserPrincipalName
	}
	h.Pages.Render(w, r, status, stepTerms, v)
}

// submitTerms records the acceptance of the versions the page showed and
// returns to the dispatcher, or fails the sign-in when the user declines.
func (h *Handler) submitTerms(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	flow := sr.flow
	switch r.PostForm.Get("decision") {
	case "accept":
	case "decline":
		h.declined(w, r, sr, "The user declined the terms of use.")
		return
	default:
		h.renderTerms(w, r, sr, http.StatusBadRequest, msgChooseTerms)
		return
	}
	terms, err := h.pendingTerms(r, sr)
	if err != nil {
		h.internalError(w, r, flow, "load terms of use", err)
		return
	}
	if !sameVersions(terms, r.PostForm["version"]) {
		h.renderTerms(w, r, sr, http.StatusConflict, "The terms of use changed while you read them. Read them again.")
		return
	}
	if err := h.Terms.Accept(r.Context(), sr.tenant.ID, flow.UserID, terms); err != nil {
		h.internalError(w, r, flow, "record terms of use acceptance", err)
		return
	}
	h.logFlow(r.Context(), slog.LevelInfo, "terms of use accepted", flow, "terms", len(terms))
	h.finishStep(w, r, sr)
}

// sameVersions reports whether the form's id:version pairs are exactly the
// current terms, so that a user never accepts a version they did not see.
func sameVersions(terms []access.Terms, posted []string) bool {
	if len(terms) != len(posted) {
		return false
	}
	for _, t := range terms {
		if !slices.Contains(posted, t.ID+":"+strconv.Itoa(t.Version)) {
			return false
		}
	}
	return true
}
