package authflow

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/storage"
)

const msgChooseConsent = "Choose Accept or Cancel."

// scopeView is one requested permission as the consent page lists it.
type scopeView struct {
	Name        string
	Description string
}

type consentView struct {
	formView
	Scopes []scopeView
}

// scopeDescriptions say in plain words what a standard scope lets the app do.
var scopeDescriptions = map[string]string{
	"openid":         "Sign you in",
	"profile":        "View your basic profile",
	"email":          "View your email address",
	"offline_access": "Maintain access to data you have given it access to",
}

func describeScopes(scopes []string) []scopeView {
	views := make([]scopeView, 0, len(scopes))
	for _, s := range scopes {
		d, ok := scopeDescriptions[s]
		if !ok {
			d = "Use the permission " + s
		}
		views = append(views, scopeView{Name: s, Description: d})
	}
	return views
}

// showConsent lists the application and the scopes it asks for.
func (h *Handler) showConsent(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	h.renderConsent(w, r, sr, http.StatusOK, "")
}

func (h *Handler) renderConsent(w http.ResponseWriter, r *http.Request, sr *stepRequest, status int, message string) {
	v := consentView{formView: h.newFormView(w, r, sr, stepConsent)}
	v.Error = message
	if u, err := h.Store.GetUser(r.Context(), sr.tenant.ID, sr.flow.UserID); err == nil {
		v.Username = u.UserPrincipalName
	}
	v.Scopes = describeScopes(requestedScopes(sr.flow.AuthorizeForm))
	h.Pages.Render(w, r, status, stepConsent, v)
}

// submitConsent records an acceptance and returns to the dispatcher, or fails
// the authorize request with access_denied when the user cancels.
func (h *Handler) submitConsent(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	flow := sr.flow
	if flow.UserID == "" {
		h.Pages.Error(w, r, http.StatusConflict, titleSignIn, msgStale)
		return
	}
	switch r.PostForm.Get("decision") {
	case "accept":
		h.acceptConsent(w, r, sr)
	case "cancel":
		h.declined(w, r, sr, "The user declined consent.")
	default:
		h.renderConsent(w, r, sr, http.StatusBadRequest, msgChooseConsent)
	}
}

// acceptConsent stores the grant (added to any earlier one) and grants the
// requested scopes to this flow.
func (h *Handler) acceptConsent(w http.ResponseWriter, r *http.Request, sr *stepRequest) {
	ctx := r.Context()
	flow := sr.flow
	requested := requestedScopes(flow.AuthorizeForm)
	prior, err := h.Store.GetConsent(ctx, flow.TenantID, flow.UserID, flow.ClientID)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		h.internalError(w, r, flow, "load consent", err)
		return
	}
	scopes := slices.Clone(requested)
	if prior != nil {
		for _, s := range prior.Scopes {
			if !slices.Contains(scopes, s) {
				scopes = append(scopes, s)
			}
		}
	}
	grant := &storage.Consent{TenantID: flow.TenantID, UserID: flow.UserID, ClientID: flow.ClientID, Scopes: scopes, GrantedAt: h.now()}
	if err := h.Store.SaveConsent(ctx, grant); err != nil {
		h.internalError(w, r, flow, "save consent", err)
		return
	}
	prev := flow.UpdatedAt
	flow.GrantedScopes = requested
	if !h.saveFlow(w, r, flow, prev) {
		return
	}
	h.logFlow(ctx, slog.LevelInfo, "consent granted", flow, "scopes", requested)
	h.finishStep(w, r, sr)
}

// declined ends the flow the user turned down (consent, terms of use) with
// access_denied to the client and a sign-in log row.
func (h *Handler) declined(w http.ResponseWriter, r *http.Request, sr *stepRequest, reason string) {
	flow := sr.flow
	prev := flow.UpdatedAt
	flow.Step, flow.StepNonce = stepDone, newID()
	if h.saveFlow(w, r, flow, prev) {
		h.logFlow(r.Context(), slog.LevelInfo, "sign-in declined by the user", flow, "reason", reason)
		h.recordSignIn(r, sr, access.CodeDeclined, reason)
		h.Authorizer.Fail(w, r, flow, "access_denied", reason)
	}
}
