package storage

import (
	"context"
	"time"
)

// States of an ApprovalRequest.
const (
	ApprovalPending  = "pending"
	ApprovalApproved = "approved"
	ApprovalDenied   = "denied"
	ApprovalExpired  = "expired"
	// ApprovalUsed: the sign-in took the approval; it cannot be used again.
	ApprovalUsed = "used"
)

// ApprovalRequest is one number-matching sign-in request waiting for the
// user's approver device (server/mfa/approver). Approver devices themselves
// are AuthMethods of kind "approver" whose Handle is the digest of the
// device's secret.
type ApprovalRequest struct {
	// ID is the sign-in flow's ID: one request per flow at a time.
	ID       string
	TenantID string
	UserID   string
	// Number is the two-digit number the user types on the approver.
	Number  int
	AppName string
	IP      string
	State   string
	// CreatedAt is the request's time; ExpiresAt its deadline.
	CreatedAt time.Time
	ExpiresAt time.Time
	DecidedAt *time.Time
}

// ApprovalStore keeps number-matching requests.
type ApprovalStore interface {
	// SaveApprovalRequest stores a new request for the flow, replacing the
	// flow's earlier one.
	SaveApprovalRequest(ctx context.Context, a *ApprovalRequest) error
	GetApprovalRequest(ctx context.Context, tenantID, id string) (*ApprovalRequest, error)
	// ListApprovalRequests returns the user's requests in the state that
	// expire after now, newest first.
	ListApprovalRequests(ctx context.Context, tenantID, userID, state string, now time.Time) ([]ApprovalRequest, error)
	// TransitionApprovalRequest moves the user's request from one state to
	// another, setting DecidedAt; ErrConflict when it is no longer in from
	// (decided, used or replaced meanwhile), ErrNotFound when it does not
	// exist. Of two concurrent transitions exactly one succeeds.
	TransitionApprovalRequest(ctx context.Context, tenantID, userID, id, from, to string, at time.Time) error
	// DeleteExpiredApprovalRequests removes requests expired before now.
	DeleteExpiredApprovalRequests(ctx context.Context, now time.Time) (int64, error)
}
