package conformance

import (
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("approval_requests", testApprovals) }

func testApprovals(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"stores a number-matching request and lists it while it lives (F-02)", approvalRoundTrip},
		{"decides a request once: of two concurrent answers one wins", approvalRace},
		{"replaces the flow's request and refuses another user's (A-02)", approvalReplaceIsolation},
	})
}

func newApproval(tenantID, userID, id string, now time.Time) *storage.ApprovalRequest {
	return &storage.ApprovalRequest{ID: id, TenantID: tenantID, UserID: userID, Number: 42, AppName: "Payroll",
		IP: "203.0.113.9", State: storage.ApprovalPending, CreatedAt: now.In(farOffZone), ExpiresAt: now.Add(time.Minute).In(farOffZone)}
}

func approvalRoundTrip(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	now := time.Now()
	in := newApproval(tenant.ID, user.ID, "flow-1", now)
	mustNil(t, s.SaveApprovalRequest(ctx, in), "SaveApprovalRequest")
	got, err := s.GetApprovalRequest(ctx, tenant.ID, in.ID)
	mustNil(t, err, "GetApprovalRequest")
	if got.Number != 42 || got.AppName != "Payroll" || got.IP != in.IP || got.State != storage.ApprovalPending || got.DecidedAt != nil {
		t.Errorf("got %+v, want %+v", got, in)
	}
	sameTime(t, got.ExpiresAt, in.ExpiresAt, "ExpiresAt")
	live, err := s.ListApprovalRequests(ctx, tenant.ID, user.ID, storage.ApprovalPending, now)
	mustNil(t, err, "ListApprovalRequests")
	if len(live) != 1 || live[0].ID != in.ID {
		t.Errorf("live requests %+v, want [%s]", live, in.ID)
	}
	later, err := s.ListApprovalRequests(ctx, tenant.ID, user.ID, storage.ApprovalPending, now.Add(2*time.Minute))
	mustNil(t, err, "ListApprovalRequests later")
	if len(later) != 0 {
		t.Errorf("an expired request is still listed: %+v", later)
	}
	n, err := s.DeleteExpiredApprovalRequests(ctx, now.Add(2*time.Minute))
	mustNil(t, err, "DeleteExpiredApprovalRequests")
	if n != 1 {
		t.Errorf("deleted %d expired requests, want 1", n)
	}
}

func approvalRace(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	now := time.Now()
	mustNil(t, s.SaveApprovalRequest(ctx, newApproval(tenant.ID, user.ID, "flow-2", now)), "SaveApprovalRequest")
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for _, to := range []string{storage.ApprovalApproved, storage.ApprovalDenied, storage.ApprovalApproved, storage.ApprovalDenied} {
		wg.Go(func() {
			if s.TransitionApprovalRequest(ctx, tenant.ID, user.ID, "flow-2", storage.ApprovalPending, to, now) == nil {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d concurrent decisions succeeded, want 1", won)
	}
	err := s.TransitionApprovalRequest(ctx, tenant.ID, user.ID, "flow-2", storage.ApprovalPending, storage.ApprovalApproved, now)
	mustIs(t, err, storage.ErrConflict, "deciding a decided request")
	err = s.TransitionApprovalRequest(ctx, tenant.ID, user.ID, "no-such-flow", storage.ApprovalPending, storage.ApprovalApproved, now)
	mustIs(t, err, storage.ErrNotFound, "deciding a missing request")
	got, err := s.GetApprovalRequest(ctx, tenant.ID, "flow-2")
	mustNil(t, err, "GetApprovalRequest")
	if got.DecidedAt == nil {
		t.Error("a decided request has no DecidedAt")
	}
}

func approvalReplaceIsolation(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	bob := seedUser(t, s, tenant.ID, "bob@contoso.example")
	other := seedTenant(t, s, "fabrikam")
	now := time.Now()
	mustNil(t, s.SaveApprovalRequest(ctx, newApproval(tenant.ID, ann.ID, "flow-3", now)), "SaveApprovalRequest")
	mustNil(t, s.TransitionApprovalRequest(ctx, tenant.ID, ann.ID, "flow-3", storage.ApprovalPending, storage.ApprovalDenied, now), "deny")
	again := newApproval(tenant.ID, ann.ID, "flow-3", now)
	again.Number = 17
	mustNil(t, s.SaveApprovalRequest(ctx, again), "SaveApprovalRequest again")
	got, err := s.GetApprovalRequest(ctx, tenant.ID, "flow-3")
	mustNil(t, err, "GetApprovalRequest")
	if got.Number != 17 || got.State != storage.ApprovalPending || got.DecidedAt != nil {
		t.Errorf("replaced request %+v, want a new pending request with number 17", got)
	}
	err = s.TransitionApprovalRequest(ctx, tenant.ID, bob.ID, "flow-3", storage.ApprovalPending, storage.ApprovalApproved, now)
	mustIs(t, err, storage.ErrNotFound, "another user approving")
	_, err = s.GetApprovalRequest(ctx, other.ID, "flow-3")
	mustIs(t, err, storage.ErrNotFound, "reading from another tenant")
	mustIs(t, s.SaveApprovalRequest(ctx, newApproval(other.ID, ann.ID, "flow-4", now)), storage.ErrNotFound, "a request for a user of another tenant")
}
