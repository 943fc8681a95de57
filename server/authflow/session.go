package authflow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/sessions"

	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// ErrNoSession is returned by CurrentSession when the browser has no usable
// SSO session in the tenant: none in the cookie, or one that is revoked,
// expired, or whose user was deleted or disabled.
var ErrNoSession = errors.New("authflow: no signed-in session")

const (
	sessionCookieName = "sigil_session"
	// maxSessionsPerCookie keeps the cookie well under the 4 KB browsers store.
	maxSessionsPerCookie = 16
)

// SessionCookies reads and writes the SSO cookie "sigil_session": an
// authenticated, encrypted map from tenant ID to browser session ID. The cookie
// only points at storage.BrowserSession rows, which stay authoritative.
type SessionCookies struct {
	store *sessions.CookieStore
}

// NewSessionCookies builds the cookie codec from gorilla/securecookie key pairs
// — an authentication key (32 or 64 bytes) then an encryption key (16, 24 or
// 32 bytes) per pair — newest pair first. New cookies use the first pair;
// cookies made with any listed pair are still read, so keys can rotate.
func NewSessionCookies(keyPairs ...[]byte) *SessionCookies {
	store := sessions.NewCookieStore(keyPairs...)
	store.MaxAge(0) // expiry is enforced by storage; the cookie's own lifetime is set per write
	return &SessionCookies{store: store}
}

// read returns the tenant → session ID map; a missing or unreadable cookie
// (tampered, or made with a retired key) reads as empty.
func (c *SessionCookies) read(r *http.Request) map[string]string {
	ids := map[string]string{}
	s, err := c.store.New(r, sessionCookieName)
	if err != nil {
		return ids
	}
	for k, v := range s.Values {
		tenantID, ok1 := k.(string)
		sessionID, ok2 := v.(string)
		if ok1 && ok2 {
			ids[tenantID] = sessionID
		}
	}
	return ids
}

// write replaces the cookie with ids (deleting it when ids is empty).
func (c *SessionCookies) write(w http.ResponseWriter, r *http.Request, ids map[string]string, lifetime time.Duration, secure bool) error {
	s := sessions.NewSession(c.store, sessionCookieName)
	for tenantID, sessionID := range ids {
		s.Values[tenantID] = sessionID
	}
	s.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(lifetime / time.Second),
		Secure:   secure,
		HttpOnly: true,
		// Lax, not Strict: the authorize request arrives as a top-level
		// cross-site GET from the client, and SSO needs the cookie there.
		SameSite: http.SameSiteLaxMode,
	}
	if len(ids) == 0 {
		s.Options.MaxAge = -1
	}
	return c.store.Save(r, w, s)
}

// CurrentSession returns the browser's SSO session in the tenant after checking
// it against storage: not revoked, not expired, and its user still exists and
// is enabled. It returns ErrNoSession when there is none.
func (h *Handler) CurrentSession(r *http.Request, tenantID string) (*storage.BrowserSession, error) {
	s, _, err := h.currentSession(r, tenantID)
	return s, err
}

func (h *Handler) currentSession(r *http.Request, tenantID string) (*storage.BrowserSession, *storage.User, error) {
	ctx := r.Context()
	id := h.Sessions.read(r)[tenantID]
	if id == "" {
		return nil, nil, ErrNoSession
	}
	s, err := h.Store.GetBrowserSession(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load browser session: %w", err)
	}
	if s.TenantID != tenantID || s.RevokedAt != nil || !h.now().Before(s.ExpiresAt) {
		return nil, nil, ErrNoSession
	}
	u, err := h.Store.GetUser(ctx, tenantID, s.UserID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load session user: %w", err)
	}
	if !u.AccountEnabled {
		return nil, nil, ErrNoSession
	}
	return s, u, nil
}

// SignOut ends the browser's SSO session in the tenant: it revokes the stored
// session and removes it from the cookie. It returns the session ID, or ""
// when the browser had none, so that server/op can revoke the tokens issued
// under it.
func (h *Handler) SignOut(w http.ResponseWriter, r *http.Request, tenantID string) (string, error) {
	ctx := r.Context()
	ids := h.Sessions.read(r)
	id := ids[tenantID]
	if id == "" {
		return "", nil
	}
	if err := h.Store.RevokeBrowserSession(ctx, id, h.now()); err != nil && !errors.Is(err, storage.ErrNotFound) {
		return "", fmt.Errorf("authflow: revoke browser session: %w", err)
	}
	delete(ids, tenantID)
	lifetime, err := h.sessionLifetime(ctx, tenantID)
	if err != nil {
		return "", err
	}
	if err := h.Sessions.write(w, r, ids, lifetime, !h.InsecureCookies); err != nil {
		return "", fmt.Errorf("authflow: write session cookie: %w", err)
	}
	h.logger().InfoContext(ctx, "signed out", "request_id", requestid.From(ctx), "tenant_id", tenantID)
	return id, nil
}

// rememberSession points the tenant's entry of the SSO cookie at a new session,
// dropping another tenant's entry when the cookie is full.
func (h *Handler) rememberSession(w http.ResponseWriter, r *http.Request, s *storage.BrowserSession, lifetime time.Duration) error {
	ids := h.Sessions.read(r)
	if _, ok := ids[s.TenantID]; !ok && len(ids) >= maxSessionsPerCookie {
		for other := range ids {
			delete(ids, other)
			break
		}
	}
	ids[s.TenantID] = s.ID
	return h.Sessions.write(w, r, ids, lifetime, !h.InsecureCookies)
}

// sessionLifetime is the tenant's SSO session lifetime.
func (h *Handler) sessionLifetime(ctx context.Context, tenantID string) (time.Duration, error) {
	t := tenancy.FromContext(ctx)
	if t == nil || t.ID != tenantID {
		var err error
		if t, err = h.Store.GetTenant(ctx, tenantID); err != nil {
			return 0, fmt.Errorf("authflow: load tenant: %w", err)
		}
	}
	return t.Settings.Effective().SessionLifetime, nil
}
