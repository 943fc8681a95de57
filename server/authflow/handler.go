package authflow

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// Authorizer completes the OAuth authorize request that started a flow (implemented by server/op).
type Authorizer interface {
	// Complete issues the authorization response (code via query or form_post) using
	// flow.UserID, flow.SessionID, flow.AuthTime, flow.AMR and flow.GrantedScopes, and deletes the flow.
	Complete(w http.ResponseWriter, r *http.Request, flow *storage.Flow)
	// Fail sends an OAuth error (login_required, consent_required, interaction_required, access_denied)
	// to the client's already-validated redirect URI and deletes the flow.
	Fail(w http.ResponseWriter, r *http.Request, flow *storage.Flow, code, description string)
	// Client returns the application the flow is for (display name, FirstParty, requested scopes are in flow.AuthorizeForm).
	Client(ctx context.Context, clientID string) (*storage.Application, error)
}

const (
	// DefaultMinResponse is the time a password check takes at least, whatever
	// its outcome, when Handler.MinResponse is not set.
	DefaultMinResponse = 400 * time.Millisecond
	// DefaultFlowLifetime bounds a flow that reaches Start without an expiry.
	DefaultFlowLifetime = 15 * time.Minute
	// maxFormBytes bounds a sign-in form body.
	maxFormBytes = 16 << 10
)

// Step names, stored in storage.Flow.Step: the page that may act on the flow.
const (
	stepUsername = "username"
	stepPassword = "password"
	stepConsent  = "consent"
	// stepDone marks a flow handed to the Authorizer: no page may act on it.
	stepDone = "done"
)

// Handler serves the sign-in pages. Build it as a struct literal in the wiring
// site; every field without a stated default is required.
type Handler struct {
	Store      storage.Storage
	Tenants    tenancy.Resolver
	Authorizer Authorizer
	Pages      *page.Renderer
	Sessions   *SessionCookies
	// Secret keys the step verifiers and CSRF tokens (at least 32 bytes); the
	// two purposes use separate keys derived from it.
	Secret []byte
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Now defaults to time.Now; times are used in UTC.
	Now func() time.Time
	// MinResponse is the least time a password POST takes, whatever its outcome
	// (≤ 0: DefaultMinResponse).
	MinResponse time.Duration
	// Lockout is smart lockout for the password step (F-30); nil means a
	// lockout.Service over Store with Now and lockout.Defaults.
	Lockout *lockout.Service
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client address smart lockout counts under; empty trusts none.
	TrustedProxies []netip.Prefix
	// InsecureCookies drops the Secure attribute, for plain-HTTP development only.
	InsecureCookies bool
	// Assignments enforces applications' "assignment required" setting once
	// the user is known; nil admits every user.
	Assignments AssignmentChecker
	// MFA is the registry of second-factor methods; nil leaves out the MFA
	// phase (every sign-in is single-factor).
	MFA *mfa.Registry
	// MFAPolicy decides the MFA demands of a sign-in (default
	// mfa.BaselinePolicy; security defaults and Conditional Access replace it).
	MFAPolicy mfa.Policy
	// Access evaluates security defaults and Conditional Access; nil leaves
	// out the access phase (the MFA policy alone decides).
	Access AccessEvaluator
	// SignIns writes the sign-in log; nil writes none.
	SignIns SignInRecorder
	// Terms shows and records terms of use that a policy requires; nil
	// leaves terms-of-use controls unenforced in the flow.
	Terms TermsOfUse
	// Passwordless, when set, offers a passwordless sign-in (passkeys) on
	// the username page.
	Passwordless mfa.PasswordlessMethod
}

// Mount registers the sign-in routes. It panics when the Handler lacks a
// required field, like http.ServeMux does for a bad pattern: a wiring mistake.
func (h *Handler) Mount(mux *http.ServeMux) {
	h.mustBeWired()
	sameOrigin := http.NewCrossOriginProtection()
	sameOrigin.SetDenyHandler(http.HandlerFunc(h.crossOrigin))
	post := func(step string, fn stepHandler) http.Handler {
		return sameOrigin.Handler(h.withFlow(step, fn))
	}
	mux.Handle("GET /{tenant}/login", h.withFlow("", h.handleDispatch))
	mux.Handle("GET /{tenant}/login/username", h.withFlow(stepUsername, h.showUsername))
	mux.Handle("POST /{tenant}/login/username", post(stepUsername, h.submitUsername))
	mux.Handle("GET /{tenant}/login/password", h.withFlow(stepPassword, h.showPassword))
	mux.Handle("POST /{tenant}/login/password", post(stepPassword, h.submitPassword))
	mux.Handle("GET /{tenant}/login/consent", h.withFlow(stepConsent, h.showConsent))
	mux.Handle("POST /{tenant}/login/consent", post(stepConsent, h.submitConsent))
	mux.Handle("GET /{tenant}/login/mfa", h.withFlow(stepMFA, h.showMFA))
	mux.Handle("POST /{tenant}/login/mfa", post(stepMFA, h.submitMFA))
	mux.Handle("GET /{tenant}/login/terms", h.withFlow(stepTerms, h.showTerms))
	mux.Handle("POST /{tenant}/login/terms", post(stepTerms, h.submitTerms))
	mux.Handle("GET /{tenant}/login/mfa_register", h.withFlow(stepMFARegister, h.showMFARegister))
	mux.Handle("POST /{tenant}/login/mfa_register", post(stepMFARegister, h.submitMFARegister))
}

func (h *Handler) mustBeWired() {
	if h.Lockout == nil {
		h.Lockout = &lockout.Service{Store: h.Store, Now: h.Now}
	}
	switch {
	case h.Store == nil || h.Tenants.Store == nil:
		panic("authflow: Handler needs Store and Tenants")
	case h.Authorizer == nil:
		panic("authflow: Handler needs an Authorizer")
	case h.Pages == nil || h.Sessions == nil:
		panic("authflow: Handler needs Pages and Sessions")
	case len(h.Secret) < 32:
		panic("authflow: Handler.Secret must be at least 32 bytes")
	}
}

// Start takes over the browser for a flow that server/op has just stored for a
// valid authorize request, and lets the dispatcher decide the first step.
func (h *Handler) Start(w http.ResponseWriter, r *http.Request, flow *storage.Flow) {
	ctx := r.Context()
	started := time.Now()
	t := tenancy.FromContext(ctx)
	if t == nil || t.ID != flow.TenantID {
		var err error
		if t, err = h.Store.GetTenant(ctx, flow.TenantID); err != nil {
			h.internalError(w, r, flow, "load the flow's tenant", err)
			return
		}
		r = r.WithContext(tenancy.WithTenant(ctx, t))
	}
	if flow.ExpiresAt.IsZero() {
		flow.ExpiresAt = h.now().Add(DefaultFlowLifetime)
	}
	segment := r.PathValue("tenant")
	if segment == "" {
		segment = flow.TenantID
	}
	h.ensureCSRFSecret(w, r)
	r = h.withPageContext(r, flow)
	h.logFlow(ctx, slog.LevelInfo, "sign-in started", flow)
	h.dispatch(w, r, &stepRequest{tenant: t, flow: flow, segment: segment, started: started}, "")
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now().UTC()
	}
	return time.Now().UTC()
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

func (h *Handler) minResponse() time.Duration {
	if h.MinResponse > 0 {
		return h.MinResponse
	}
	return DefaultMinResponse
}

// logFlow logs msg with the request ID and the identifiers of the flow (never
// its nonce, its authorize form or anything the user typed), then extra.
func (h *Handler) logFlow(ctx context.Context, level slog.Level, msg string, flow *storage.Flow, extra ...any) {
	attrs := []any{"request_id", requestid.From(ctx), "flow_id", flow.ID, "tenant_id", flow.TenantID, "client_id", flow.ClientID}
	if flow.UserID != "" {
		attrs = append(attrs, "user_id", flow.UserID)
	}
	h.logger().Log(ctx, level, msg, append(attrs, extra...)...)
}

// newID returns 128 random bits as unpadded base64url: session IDs and step nonces.
func newID() string {
	b := make([]byte, 16)
	randomBytes(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomBytes(b []byte) {
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error
}
