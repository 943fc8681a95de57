package authflow

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// Messages of the branded error page. They say what to do next and nothing
// about the cause, which goes to the log.
const (
	titleSignIn      = "We couldn't sign you in"
	msgExpired       = "This sign-in has expired; go back to the application and start again."
	msgWrongTenant   = "This sign-in belongs to a different organization; go back to the application and start again."
	msgStale         = "This page is out of date; go back to the application and start again."
	msgUnverified    = "Your session could not be verified. Go back and try again."
	msgTooMany       = "There were too many incorrect sign-in attempts; go back to the application and start again."
	msgInternal      = "Something went wrong on our side. Please try again in a moment."
	msgBadForm       = "The sign-in form could not be read. Go back and try again."
	msgNoDirectory   = "There is no directory with this name. Check the sign-in link."
	titleNoDirectory = "Directory not found"
)

// stepRequest is one request to a sign-in route, with its tenant and flow
// loaded and checked.
type stepRequest struct {
	tenant  *storage.Tenant
	flow    *storage.Flow
	segment string    // the {tenant} path segment, reused in the links we build
	started time.Time // wall-clock start, for the minimum response time
	// access is this request's security-defaults / Conditional Access
	// evaluation, once the access phase has run.
	access *access.Evaluation
}

type stepHandler func(w http.ResponseWriter, r *http.Request, sr *stepRequest)

// withFlow resolves the tenant, loads the flow named by the request and checks
// that it is alive and belongs to the tenant. For a page step it also checks the
// CSRF token of a POST and that the flow is at that step.
func (h *Handler) withFlow(step string, next stepHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started := time.Now()
		t, ok := h.resolveTenant(w, r)
		if !ok {
			return
		}
		r = r.WithContext(tenancy.WithTenant(r.Context(), t))
		flowID, ok := h.flowID(w, r)
		if !ok {
			return
		}
		flow, ok := h.loadFlow(w, r, t, flowID)
		if !ok {
			return
		}
		page.AllowFormTargets(w, redirectURI(flow))
		r = h.withPageContext(r, flow)
		sr := &stepRequest{tenant: t, flow: flow, segment: r.PathValue("tenant"), started: started}
		if step != "" && !h.admit(w, r, sr, step) {
			return
		}
		next(w, r, sr)
	})
}

func (h *Handler) resolveTenant(w http.ResponseWriter, r *http.Request) (*storage.Tenant, bool) {
	t, err := h.Tenants.Resolve(r.Context(), r.PathValue("tenant"))
	if errors.Is(err, tenancy.ErrUnknownTenant) {
		h.Pages.Error(w, r, http.StatusNotFound, titleNoDirectory, msgNoDirectory)
		return nil, false
	}
	if err != nil {
		h.logger().ErrorContext(r.Context(), "resolve tenant", "request_id", requestid.From(r.Context()), "err", err)
		h.Pages.Error(w, r, http.StatusServiceUnavailable, titleSignIn, msgInternal)
		return nil, false
	}
	return t, true
}

// flowID reads the flow ID from the query of a GET or the body of a POST.
func (h *Handler) flowID(w http.ResponseWriter, r *http.Request) (string, bool) {
	if r.Method != http.MethodPost {
		return r.URL.Query().Get("flow"), true
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.Pages.Error(w, r, http.StatusBadRequest, titleSignIn, msgBadForm)
		return "", false
	}
	return r.PostForm.Get("flow"), true
}

func (h *Handler) loadFlow(w http.ResponseWriter, r *http.Request, t *storage.Tenant, id string) (*storage.Flow, bool) {
	ctx := r.Context()
	if id == "" || len(id) > 64 {
		h.Pages.Error(w, r, http.StatusBadRequest, titleSignIn, msgExpired)
		return nil, false
	}
	flow, err := h.Store.GetFlow(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		h.Pages.Error(w, r, http.StatusBadRequest, titleSignIn, msgExpired)
		return nil, false
	}
	if err != nil {
		h.internalError(w, r, &storage.Flow{ID: id, TenantID: t.ID}, "load flow", err)
		return nil, false
	}
	if flow.TenantID != t.ID {
		h.logFlow(ctx, slog.LevelWarn, "flow used through another tenant's URL", flow, "url_tenant_id", t.ID)
		h.Pages.Error(w, r, http.StatusBadRequest, titleSignIn, msgWrongTenant)
		return nil, false
	}
	if !h.now().Before(flow.ExpiresAt) {
		h.logFlow(ctx, slog.LevelInfo, "expired flow", flow)
		if err := h.Store.DeleteFlow(ctx, flow.ID); err != nil && !errors.Is(err, storage.ErrNotFound) {
			h.logFlow(ctx, slog.LevelWarn, "delete expired flow", flow, "err", err)
		}
		h.Pages.Error(w, r, http.StatusBadRequest, titleSignIn, msgExpired)
		return nil, false
	}
	return flow, true
}

// admit lets a page act only on a flow at its own step, and a POST only with
// the CSRF token minted for this browser, flow and step. A GET for a step the
// flow has left is sent to the flow's current page (the back button).
func (h *Handler) admit(w http.ResponseWriter, r *http.Request, sr *stepRequest, step string) bool {
	if r.Method == http.MethodPost && !h.checkCSRF(r, sr.flow.ID, step) {
		h.logFlow(r.Context(), slog.LevelWarn, "sign-in form without a valid CSRF token", sr.flow, "step", step)
		h.Pages.Error(w, r, http.StatusForbidden, titleSignIn, msgUnverified)
		return false
	}
	if sr.flow.Step == step {
		return true
	}
	if r.Method == http.MethodGet && isPage(sr.flow.Step) {
		http.Redirect(w, r, pageURL(sr, sr.flow.Step), http.StatusSeeOther)
		return false
	}
	h.logFlow(r.Context(), slog.LevelInfo, "sign-in step out of order", sr.flow, "step", step, "flow_step", sr.flow.Step)
	h.Pages.Error(w, r, http.StatusConflict, titleSignIn, msgStale)
	return false
}

func isPage(step string) bool {
	return step == stepUsername || step == stepPassword || step == stepConsent ||
		step == stepMFA || step == stepMFARegister || step == stepTerms
}

// saveFlow writes the flow if nobody changed it since it was read. A lost race
// or a vanished flow shows the out-of-date page; it reports whether it saved.
func (h *Handler) saveFlow(w http.ResponseWriter, r *http.Request, flow *storage.Flow, prev time.Time) bool {
	err := h.Store.UpdateFlow(r.Context(), flow, prev)
	switch {
	case err == nil:
		return true
	case errors.Is(err, storage.ErrConflict), errors.Is(err, storage.ErrNotFound):
		h.logFlow(r.Context(), slog.LevelInfo, "flow changed by a concurrent request", flow)
		h.Pages.Error(w, r, http.StatusConflict, titleSignIn, msgStale)
	default:
		h.internalError(w, r, flow, "save flow", err)
	}
	return false
}

func (h *Handler) internalError(w http.ResponseWriter, r *http.Request, flow *storage.Flow, what string, err error) {
	h.logFlow(r.Context(), slog.LevelError, what, flow, "err", err)
	h.Pages.Error(w, r, http.StatusInternalServerError, titleSignIn, msgInternal)
}

// crossOrigin answers a POST that http.CrossOriginProtection refused.
func (h *Handler) crossOrigin(w http.ResponseWriter, r *http.Request) {
	h.logger().WarnContext(r.Context(), "cross-origin sign-in POST refused",
		"request_id", requestid.From(r.Context()), "path", r.URL.Path)
	h.Pages.Error(w, r, http.StatusForbidden, titleSignIn, msgUnverified)
}

// pageURL is the address of a step's page for the flow.
func pageURL(sr *stepRequest, step string) string {
	return formAction(sr, step) + "?flow=" + url.QueryEscape(sr.flow.ID)
}

// formAction is where a step's form posts (the flow travels in the body).
func formAction(sr *stepRequest, step string) string {
	return "/" + url.PathEscape(sr.segment) + "/login/" + step
}

// dispatcherURL is where a finished step sends the browser, with its verifier.
func dispatcherURL(sr *stepRequest, verifier string) string {
	q := url.Values{"flow": {sr.flow.ID}, "v": {verifier}}
	return "/" + url.PathEscape(sr.segment) + "/login?" + q.Encode()
}

// redirectURI is the flow's redirect URI, validated at authorize: the pages'
// forms may end in a redirect there, which the CSP form-action must allow.
func redirectURI(flow *storage.Flow) string {
	form, err := url.ParseQuery(flow.AuthorizeForm)
	if err != nil {
		return ""
	}
	return form.Get("redirect_uri")
}
