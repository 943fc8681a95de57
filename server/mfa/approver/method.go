package approver

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"time"

	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/storage"
)

// DefaultLifetime is how long a request waits for its approver.
const DefaultLifetime = 60 * time.Second

// pollSeconds is the refresh interval of the waiting pages.
const pollSeconds = 3

// User-facing messages of the sign-in page.
const (
	msgWaiting = "We haven't received your approval yet. Enter the number on your approver, then continue."
	msgDenied  = "The request was denied: the number entered didn't match. Send a new request to try again."
	msgExpired = "The request timed out. Send a new request to try again."
	msgGone    = "This request is no longer valid. Send a new request to try again."
)

// Approvals is the number-matching method.
type Approvals struct {
	Store storage.Storage
	Pages *page.Renderer
	// Lifetime defaults to DefaultLifetime; Now to time.Now.
	Lifetime time.Duration
	Now      func() time.Time
}

var _ mfa.Method = (*Approvals)(nil)

// Info: MFA strength with amr "mca" (multiple-channel authentication, RFC
// 8176), ranked above authenticator-app codes (F-23: push before codes).
func (a *Approvals) Info() mfa.Info {
	return mfa.Info{Kind: mfa.KindApprover, Title: "Sign-in approval", Label: "Approve a request on my approver device",
		Level: mfa.LevelMFA, AMR: []string{"mca"}, Rank: 25}
}

// Usable reports whether the user has an approver device.
func (a *Approvals) Usable(r mfa.Registered) bool { return len(r.Confirmed(mfa.KindApprover)) > 0 }

func (a *Approvals) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

func (a *Approvals) lifetime() time.Duration {
	if a.Lifetime > 0 {
		return a.Lifetime
	}
	return DefaultLifetime
}

// challengeView is the data of approve_challenge.
type challengeView struct {
	Challenge *mfa.Challenge
	Request   *storage.ApprovalRequest
	Waiting   bool
	Error     string
	RenewURL  string
}

// ShowChallenge shows the flow's request, sending one when there is none
// or when the user asks for a new one (renew=1) after a dead one.
func (a *Approvals) ShowChallenge(w http.ResponseWriter, r *http.Request, c *mfa.Challenge) {
	req, err := a.current(r, c)
	if err != nil {
		a.Pages.Error(w, r, http.StatusInternalServerError, "Sign in", "Something went wrong. Try again later.")
		return
	}
	v := challengeView{Challenge: c, Request: req, Error: c.Error, RenewURL: renewURL(c)}
	v.Waiting = req.State == storage.ApprovalPending && a.now().Before(req.ExpiresAt)
	if v.Waiting {
		w.Header().Set("Refresh", fmt.Sprintf("%d; url=%s", pollSeconds, pollURL(c)))
	} else if v.Error == "" {
		v.Error = a.deadMessage(req)
	}
	a.Pages.Render(w, r, mfa.StatusOr(c.Status), "approve_challenge", v)
}

// current returns the flow's request, creating a new one when needed.
func (a *Approvals) current(r *http.Request, c *mfa.Challenge) (*storage.ApprovalRequest, error) {
	ctx := r.Context()
	req, err := a.Store.GetApprovalRequest(ctx, c.Tenant.ID, c.FlowID)
	switch {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return nil, fmt.Errorf("approver: load request: %w", err)
	case req.UserID == c.User.ID && (r.URL.Query().Get("renew") != "1" || a.live(req)):
		return req, nil
	}
	return a.send(ctx, r, c)
}

func (a *Approvals) live(req *storage.ApprovalRequest) bool {
	return req.State == storage.ApprovalPending && a.now().Before(req.ExpiresAt)
}

// send creates the flow's request with a fresh two-digit number.
func (a *Approvals) send(ctx context.Context, r *http.Request, c *mfa.Challenge) (*storage.ApprovalRequest, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(90))
	if err != nil {
		return nil, fmt.Errorf("approver: draw number: %w", err)
	}
	now := a.now()
	req := &storage.ApprovalRequest{
		ID: c.FlowID, TenantID: c.Tenant.ID, UserID: c.User.ID, Number: 10 + int(n.Int64()),
		AppName: a.appName(ctx, c), IP: clientIP(r), State: storage.ApprovalPending, CreatedAt: now, ExpiresAt: now.Add(a.lifetime()),
	}
	if err := a.Store.SaveApprovalRequest(ctx, req); err != nil {
		return nil, fmt.Errorf("approver: save request: %w", err)
	}
	return req, nil
}

// appName is the display name of the flow's client ("Sigil" for Sigil's own
// pages, whose flows have no client).
func (a *Approvals) appName(ctx context.Context, c *mfa.Challenge) string {
	flow, err := a.Store.GetFlow(ctx, c.FlowID)
	if err != nil || flow.ClientID == "" {
		return "Sigil"
	}
	app, err := a.Store.GetApplication(ctx, flow.ClientID)
	if err != nil {
		return "Sigil"
	}
	return app.DisplayName
}

func clientIP(r *http.Request) string {
	if addr := lockout.ClientAddr(r, nil); addr.IsValid() {
		return addr.String()
	}
	return ""
}

// pollURL is the sign-in page of the request (the Refresh target: after a
// POST the browser's URL is the form's action, without the flow).
func pollURL(c *mfa.Challenge) string {
	return c.Form.Action + "?" + url.Values{"flow": {c.FlowID}, "method": {mfa.KindApprover}}.Encode()
}

func renewURL(c *mfa.Challenge) string {
	return c.Form.Action + "?" + url.Values{"flow": {c.FlowID}, "method": {mfa.KindApprover}, "renew": {"1"}}.Encode()
}

func (a *Approvals) deadMessage(req *storage.ApprovalRequest) string {
	switch {
	case req.State == storage.ApprovalDenied:
		return msgDenied
	case req.State == storage.ApprovalExpired, req.State == storage.ApprovalPending:
		return msgExpired
	}
	return msgGone
}
