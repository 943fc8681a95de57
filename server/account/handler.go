package account

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/sigil-idp/sigil/server/authflow"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// DefaultFreshFor is how recent the authentication behind a change must be
// when Handler.FreshFor is not set.
const DefaultFreshFor = 10 * time.Minute

// maxFormBytes bounds an account form body.
const maxFormBytes = 16 << 10

// Messages of the branded error page.
const (
	titleAccount = "Security info"
	msgInternal  = "Something went wrong on our side. Please try again in a moment."
	msgStale     = "This page is out of date. Go back and try again."
	msgNoTenant  = "There is no directory with this name. Check the link."
)

// Handler serves the account pages. Build it as a struct literal in the
// wiring site; every field without a stated default is required.
type Handler struct {
	Store    storage.Storage
	Tenants  tenancy.Resolver
	Pages    *page.Renderer
	SignIn   *authflow.Handler
	MFA      *mfa.Registry
	Recovery *mfa.RecoveryCodes
	// Roles serves the PIM activation page; nil leaves it out.
	Roles *directory.Roles
	// Secret keys the form tokens (at least 32 bytes).
	Secret []byte
	// FreshFor defaults to DefaultFreshFor.
	FreshFor time.Duration
	// Logger defaults to slog.Default(); Now to time.Now.
	Logger *slog.Logger
	Now    func() time.Time
}

// Mount registers the account routes. It panics when the Handler lacks a
// required field: a wiring mistake.
func (h *Handler) Mount(mux *http.ServeMux) {
	if h.Store == nil || h.Pages == nil || h.SignIn == nil || h.MFA == nil || h.Recovery == nil || len(h.Secret) < 32 {
		panic("account: Handler needs Store, Pages, SignIn, MFA, Recovery and a 32-byte Secret")
	}
	sameOrigin := http.NewCrossOriginProtection()
	post := func(fn pageHandler) http.Handler { return sameOrigin.Handler(h.signedIn(fn)) }
	mux.Handle("GET /{tenant}/account/security-info", h.signedIn(h.showSecurityInfo))
	mux.Handle("GET /{tenant}/account/security-info/add", h.signedIn(h.showAdd))
	mux.Handle("POST /{tenant}/account/security-info/add", post(h.submitAdd))
	mux.Handle("POST /{tenant}/account/security-info/remove", post(h.submitRemove))
	mux.Handle("POST /{tenant}/account/security-info/rename", post(h.submitRename))
	mux.Handle("POST /{tenant}/account/security-info/recovery-codes", post(h.submitRecoveryCodes))
	mux.Handle("GET /{tenant}/account/password", h.signedIn(h.showPassword))
	mux.Handle("POST /{tenant}/account/password", post(h.submitPassword))
	if h.Roles != nil {
		mux.Handle("GET /{tenant}/account/roles", h.signedIn(h.showRoles))
		mux.Handle("POST /{tenant}/account/roles/activate", post(h.submitActivation))
	}
}

// request is one request to an account page by a signed-in user.
type request struct {
	tenant     *storage.Tenant
	session    *storage.BrowserSession
	user       *storage.User
	registered mfa.Registered
	segment    string
}

type pageHandler func(w http.ResponseWriter, r *http.Request, ar *request)

// signedIn resolves the tenant and the browser's SSO session; without a
// session it starts a sign-in that comes back to this page (a GET) or to the
// security-info page (a POST). A POST must carry the form's token.
func (h *Handler) signedIn(next pageHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		t, err := h.Tenants.Resolve(ctx, r.PathValue("tenant"))
		if err != nil {
			h.Pages.Error(w, r, http.StatusNotFound, titleAccount, msgNoTenant)
			return
		}
		r = r.WithContext(tenancy.WithTenant(ctx, t))
		ar := &request{tenant: t, segment: r.PathValue("tenant")}
		if r.Method == http.MethodPost && !h.readForm(w, r) {
			return
		}
		sess, err := h.SignIn.CurrentSession(r, t.ID)
		if errors.Is(err, authflow.ErrNoSession) {
			h.reauthenticate(w, r, ar)
			return
		}
		if err != nil || !h.load(r, ar, sess) {
			h.internal(w, r, "load the signed-in user", err)
			return
		}
		if r.Method == http.MethodPost && !h.tokenValid(r, ar) {
			h.Pages.Error(w, r, http.StatusForbidden, titleAccount, msgStale)
			return
		}
		next(w, r, ar)
	})
}

func (h *Handler) readForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.Pages.Error(w, r, http.StatusBadRequest, titleAccount, msgStale)
		return false
	}
	return true
}

// load fills in the session's user and what they have registered.
func (h *Handler) load(r *http.Request, ar *request, sess *storage.BrowserSession) bool {
	user, err := h.Store.GetUser(r.Context(), ar.tenant.ID, sess.UserID)
	if err != nil {
		return false
	}
	reg, err := mfa.LoadRegistered(r.Context(), h.Store, ar.tenant.ID, user.ID)
	if err != nil {
		return false
	}
	ar.session, ar.user, ar.registered = sess, user, reg
	return true
}

// reauthenticate starts the sign-in for a change: fresh, with MFA when the
// user has a method. It comes back to the security-info page.
func (h *Handler) reauthenticate(w http.ResponseWriter, r *http.Request, ar *request) {
	back := h.pagePath(ar, "")
	if r.Method == http.MethodGet {
		back = r.URL.Path
		if r.URL.RawQuery != "" {
			back += "?" + r.URL.RawQuery
		}
	}
	h.SignIn.StartAction(w, r, mfa.ActionRegisterSecurityInfo, back, h.freshFor())
}

// fresh reports whether the session may change security info now.
func (h *Handler) fresh(ar *request) bool {
	return Fresh(ar.session, ar.registered.HasAny(), h.now(), h.freshFor())
}

// Fresh reports whether an SSO session is recent and strong enough to change
// security info: authenticated within freshFor, and with MFA when the user
// has a method to do it with (the first method needs only the password).
func Fresh(s *storage.BrowserSession, hasMethods bool, now time.Time, freshFor time.Duration) bool {
	if now.Sub(s.AuthTime) > freshFor {
		return false
	}
	return !hasMethods || mfa.LevelOf(s.ACR) >= mfa.LevelMFA
}

// token is the form token of this session for the form.
func (h *Handler) token(ar *request, form string) string {
	m := hmac.New(sha256.New, h.Secret)
	m.Write([]byte("sigil account form v1\x00" + ar.session.ID + "\x00" + form))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (h *Handler) tokenValid(r *http.Request, ar *request) bool {
	return hmac.Equal([]byte(h.token(ar, r.URL.Path)), []byte(r.PostForm.Get("csrf_token")))
}

// pagePath is the path of a security-info page ("" for the list).
func (h *Handler) pagePath(ar *request, sub string) string {
	p := "/" + url.PathEscape(ar.segment) + "/account/security-info"
	if sub != "" {
		p += "/" + sub
	}
	return p
}

func (h *Handler) freshFor() time.Duration {
	if h.FreshFor > 0 {
		return h.FreshFor
	}
	return DefaultFreshFor
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now().UTC()
	}
	return time.Now().UTC()
}

func (h *Handler) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	logger := h.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.ErrorContext(r.Context(), "account: "+what, "request_id", requestid.From(r.Context()), "err", err)
	h.Pages.Error(w, r, http.StatusInternalServerError, titleAccount, msgInternal)
}
