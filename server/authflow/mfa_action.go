package authflow

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// paramReturnTo names, in an internal flow's AuthorizeForm, the Sigil path
// the browser returns to when the flow completes.
const paramReturnTo = "return_to"

// StartAction starts a sign-in that no OAuth client asked for: Sigil's own
// pages (the security-info pages) use it to get a recent authentication,
// with MFA when the policy demands it for the user action, before a change.
// The flow has no client; it runs the same phases (consent excepted) and,
// once complete, sends the browser to returnTo, a path on this server.
func (h *Handler) StartAction(w http.ResponseWriter, r *http.Request, action, returnTo string, maxAge time.Duration) {
	t := tenancy.FromContext(r.Context())
	if t == nil || !localPath(returnTo) {
		h.logger().ErrorContext(r.Context(), "authflow: StartAction without a tenant or with a foreign return path")
		h.Pages.Error(w, r, http.StatusInternalServerError, titleSignIn, msgInternal)
		return
	}
	now := h.now()
	form := url.Values{paramUserAction: {action}, paramReturnTo: {returnTo}}
	flow := &storage.Flow{
		ID: newID(), TenantID: t.ID, AuthorizeForm: form.Encode(), MaxAge: int(maxAge / time.Second),
		CreatedAt: now, ExpiresAt: now.Add(DefaultFlowLifetime),
	}
	if err := h.Store.CreateFlow(r.Context(), flow); err != nil {
		h.internalError(w, r, flow, "create action flow", err)
		return
	}
	h.Start(w, r, flow)
}

// localPath accepts an absolute path on this server ("/x", not "//host").
func localPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.ContainsAny(p, "\\\r\n")
}

// authorizerFor is the Authorizer of the flow: server/op for a client's
// flow, actionAuthorizer for a flow of StartAction.
func (h *Handler) authorizerFor(flow *storage.Flow) Authorizer {
	if flow.ClientID == "" {
		return actionAuthorizer{h}
	}
	return h.Authorizer
}

// actionAuthorizer finishes StartAction flows: back to the return path, or
// the error page. It has no client.
type actionAuthorizer struct{ h *Handler }

func (a actionAuthorizer) Complete(w http.ResponseWriter, r *http.Request, flow *storage.Flow) {
	form, _ := url.ParseQuery(flow.AuthorizeForm)
	a.deleteFlow(r, flow)
	target := form.Get(paramReturnTo)
	if !localPath(target) {
		a.h.Pages.Error(w, r, http.StatusBadRequest, titleSignIn, msgStale)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (a actionAuthorizer) Fail(w http.ResponseWriter, r *http.Request, flow *storage.Flow, _, _ string) {
	a.deleteFlow(r, flow)
	a.h.Pages.Error(w, r, http.StatusForbidden, titleSignIn, msgActionRefused)
}

func (a actionAuthorizer) Client(context.Context, string) (*storage.Application, error) {
	return nil, storage.ErrNotFound
}

func (a actionAuthorizer) deleteFlow(r *http.Request, flow *storage.Flow) {
	if err := a.h.Store.DeleteFlow(r.Context(), flow.ID); err != nil && !errors.Is(err, storage.ErrNotFound) {
		a.h.logFlow(r.Context(), slog.LevelWarn, "delete finished action flow", flow, "err", err)
	}
}

const msgActionRefused = "You can't make this change with the sign-in methods you have. Contact your administrator."
