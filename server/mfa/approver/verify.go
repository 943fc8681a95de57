package approver

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/storage"
)

// VerifyChallenge takes the flow's approval once. A pending request is not
// an answer yet; a denied or expired one fails the attempt.
func (a *Approvals) VerifyChallenge(ctx context.Context, _ *http.Request, c *mfa.Challenge) (mfa.Result, error) {
	req, err := a.Store.GetApprovalRequest(ctx, c.Tenant.ID, c.FlowID)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && req.UserID != c.User.ID) {
		return mfa.Result{Message: msgGone}, nil
	} else if err != nil {
		return mfa.Result{}, fmt.Errorf("approver: load request: %w", err)
	}
	now := a.now()
	switch {
	case req.State == storage.ApprovalPending && now.Before(req.ExpiresAt):
		return mfa.Result{Message: msgWaiting}, nil
	case req.State == storage.ApprovalPending:
		return a.fail(ctx, req, storage.ApprovalExpired, msgExpired)
	case req.State == storage.ApprovalApproved:
		return a.take(ctx, req)
	case req.State == storage.ApprovalDenied:
		return mfa.Result{Message: msgDenied, Failure: true}, nil
	case req.State == storage.ApprovalExpired:
		return mfa.Result{Message: msgExpired, Failure: true}, nil
	}
	return mfa.Result{Message: msgGone}, nil
}

// take spends the approval: of two posts, one signs in.
func (a *Approvals) take(ctx context.Context, req *storage.ApprovalRequest) (mfa.Result, error) {
	err := a.Store.TransitionApprovalRequest(ctx, req.TenantID, req.UserID, req.ID, storage.ApprovalApproved, storage.ApprovalUsed, a.now())
	switch {
	case errors.Is(err, storage.ErrConflict), errors.Is(err, storage.ErrNotFound):
		return mfa.Result{Message: msgGone}, nil
	case err != nil:
		return mfa.Result{}, fmt.Errorf("approver: take approval: %w", err)
	}
	return mfa.Result{Verified: true}, nil
}

// fail records that a pending request ran out of time.
func (a *Approvals) fail(ctx context.Context, req *storage.ApprovalRequest, to, msg string) (mfa.Result, error) {
	err := a.Store.TransitionApprovalRequest(ctx, req.TenantID, req.UserID, req.ID, storage.ApprovalPending, to, a.now())
	if err != nil && !errors.Is(err, storage.ErrConflict) {
		return mfa.Result{}, fmt.Errorf("approver: expire request: %w", err)
	}
	return mfa.Result{Message: msg, Failure: true}, nil
}
