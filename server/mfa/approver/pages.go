package approver

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// Sessions finds the browser's SSO session and starts a sign-in for a
// user action (server/authflow.Handler).
type Sessions interface {
	CurrentSession(r *http.Request, tenantID string) (*storage.BrowserSession, error)
	StartAction(w http.ResponseWriter, r *http.Request, action, returnTo string, maxAge time.Duration)
}

// freshFor is how recent the sign-in behind a registration must be.
const freshFor = 10 * time.Minute

// Tenants resolves a path segment to a tenant (server/tenancy.Resolver).
type Tenants interface {
	Resolve(ctx context.Context, segment string) (*storage.Tenant, error)
}

// Pages serves the approver page. Build it as a struct literal in the wiring
// site; Secret (≥ 32 bytes) keys its form tokens.
type Pages struct {
	Store    storage.Storage
	Tenants  Tenants
	Pages    *page.Renderer
	Sessions Sessions
	Secret   []byte
	Logger   *slog.Logger
	// Now defaults to time.Now.
	Now func() time.Time
}

const (
	titleApprover = "Approver"
	msgInternal   = "Something went wrong on our side. Please try again in a moment."
	msgStale      = "This page is out of date. Go back and try again."
	msgNoTenant   = "There is no directory with this name. Check the link."
	msgApproved   = "Approved. You can go back to the sign-in."
	msgWrong      = "That number didn't match. The sign-in was denied."
	msgTooLate    = "That request is no longer waiting for an answer."
	maxFormBytes  = 4 << 10
	maxDeviceName = 64
)

// Mount registers the approver routes.
func (p *Pages) Mount(mux *http.ServeMux) {
	if p.Store == nil || p.Tenants == nil || p.Pages == nil || p.Sessions == nil || len(p.Secret) < 32 {
		panic("approver: Pages needs Store, Tenants, Pages, Sessions and a 32-byte Secret")
	}
	sameOrigin := http.NewCrossOriginProtection()
	mux.Handle("GET /{tenant}/account/approver", p.inTenant(p.show))
	mux.Handle("POST /{tenant}/account/approver", sameOrigin.Handler(p.inTenant(p.register)))
	mux.Handle("POST /{tenant}/account/approver/respond", sameOrigin.Handler(p.inTenant(p.respond)))
}

func (p *Pages) now() time.Time {
	if p.Now != nil {
		return p.Now().UTC()
	}
	return time.Now().UTC()
}

func (p *Pages) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.Default()
}

type tenantHandler func(w http.ResponseWriter, r *http.Request, t *storage.Tenant)

func (p *Pages) inTenant(next tenantHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, err := p.Tenants.Resolve(r.Context(), r.PathValue("tenant"))
		if err != nil {
			p.Pages.Error(w, r, http.StatusNotFound, titleApprover, msgNoTenant)
			return
		}
		r = r.WithContext(tenancy.WithTenant(r.Context(), t))
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if err := r.ParseForm(); err != nil {
				p.Pages.Error(w, r, http.StatusBadRequest, titleApprover, msgStale)
				return
			}
		}
		next(w, r, t)
	})
}

func (p *Pages) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	p.logger().ErrorContext(r.Context(), "approver: "+what, "err", err)
	p.Pages.Error(w, r, http.StatusInternalServerError, titleApprover, msgInternal)
}

// register makes this browser an approver of the signed-in user.
func (p *Pages) register(w http.ResponseWriter, r *http.Request, t *storage.Tenant) {
	sess, err := p.Sessions.CurrentSession(r, t.ID)
	if err != nil || !p.tokenValid(r.PostForm.Get("token"), "register", sess.ID) {
		p.Pages.Error(w, r, http.StatusForbidden, titleApprover, msgStale)
		return
	}
	if fresh, err := p.fresh(r.Context(), sess); err != nil || !fresh {
		p.Pages.Error(w, r, http.StatusForbidden, titleApprover, msgStale)
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if name == "" || len([]rune(name)) > maxDeviceName {
		name = "Approver device"
	}
	secret, digest := newDeviceSecret()
	now := p.now()
	m := &storage.AuthMethod{ID: uuid.NewString(), TenantID: t.ID, UserID: sess.UserID, Kind: storage.AuthMethodApprover,
		Name: name, Handle: digest, Secret: []byte{}, Confirmed: true, CreatedAt: now}
	if err := p.Store.CreateAuthMethod(r.Context(), m); err != nil {
		p.internal(w, r, "register device", err)
		return
	}
	setDeviceCookie(w, r.PathValue("tenant"), secret)
	http.Redirect(w, r, pagePath(r.PathValue("tenant")), http.StatusSeeOther)
}

// respond approves a request whose number the user typed, and denies it
// when the number is wrong.
func (p *Pages) respond(w http.ResponseWriter, r *http.Request, t *storage.Tenant) {
	dev, err := p.device(r, t.ID)
	id := r.PostForm.Get("request")
	if err != nil || !p.tokenValid(r.PostForm.Get("token"), "respond", dev.ID, id) {
		p.Pages.Error(w, r, http.StatusForbidden, titleApprover, msgStale)
		return
	}
	req, err := p.Store.GetApprovalRequest(r.Context(), t.ID, id)
	if err != nil || req.UserID != dev.UserID || req.State != storage.ApprovalPending || !p.now().Before(req.ExpiresAt) {
		p.showDevice(w, r, t, dev, http.StatusConflict, "", msgTooLate)
		return
	}
	typed, _ := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("number")))
	to, notice, problem := storage.ApprovalDenied, "", msgWrong
	if subtle.ConstantTimeEq(int32(typed), int32(req.Number)) == 1 {
		to, notice, problem = storage.ApprovalApproved, msgApproved, ""
	}
	err = p.Store.TransitionApprovalRequest(r.Context(), t.ID, dev.UserID, id, storage.ApprovalPending, to, p.now())
	if errors.Is(err, storage.ErrConflict) || errors.Is(err, storage.ErrNotFound) {
		p.showDevice(w, r, t, dev, http.StatusConflict, "", msgTooLate)
		return
	} else if err != nil {
		p.internal(w, r, "decide request", err)
		return
	}
	p.logger().InfoContext(r.Context(), "approver: request decided", "tenant", t.ID, "request", id, "state", to)
	p.showDevice(w, r, t, dev, http.StatusOK, notice, problem)
}
