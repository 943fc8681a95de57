package server

import "context"

// sweepCeremonies deletes WebAuthn ceremonies and number-matching requests
// that expired before the grace period: unused challenges and unanswered or
// decided approvals.
func (j *Janitor) sweepCeremonies(ctx context.Context) int64 {
	before := j.Now().UTC().Add(-j.Grace)
	ceremonies, err := j.Store.DeleteExpiredWebAuthnSessions(ctx, before)
	if err != nil && ctx.Err() == nil {
		j.Logger.ErrorContext(ctx, "janitor: delete expired WebAuthn ceremonies", "err", err)
	}
	approvals, err := j.Store.DeleteExpiredApprovalRequests(ctx, before)
	if err != nil && ctx.Err() == nil {
		j.Logger.ErrorContext(ctx, "janitor: delete expired approval requests", "err", err)
	}
	return ceremonies + approvals
}
