package conformance

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("flows", testFlows) }

func testFlows(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates a flow and reads it back", flowRoundTrip},
		{"updates a flow whose version matches", flowUpdate},
		{"refuses an update from a stale version", flowStaleUpdate},
		{"lets exactly one of concurrent updates from one version win", flowConcurrentUpdate},
		{"reports a missing flow as not found", flowNotFound},
		{"deletes a flow", flowDelete},
		{"deletes flows expired before the cut-off", flowDeleteExpired},
	})
}

func flowRoundTrip(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	authTime := time.Now().In(farOffZone).Add(-time.Minute)
	in := &storage.Flow{
		ID: newID(), TenantID: tenant.ID, ClientID: "client", AuthorizeForm: "a=1&b=2",
		Step: "mfa", StepNonce: newID(), Prompt: "login", MaxAge: 3600, LoginHint: "ann@contoso.example",
		UserID: newID(), SessionID: newID(), AuthTime: &authTime,
		AMR: []string{"pwd", "otp"}, GrantedScopes: []string{"openid"}, Failures: 2,
		Facts: `{"risk":"low"}`, ExpiresAt: time.Now().In(farOffZone).Add(10 * time.Minute),
	}
	mustNil(t, s.CreateFlow(ctxFor(t), in), "CreateFlow")
	got, err := s.GetFlow(ctxFor(t), in.ID)
	mustNil(t, err, "GetFlow")
	sameFlow(t, got, in)
}

func sameFlow(t *testing.T, got, want *storage.Flow) {
	t.Helper()
	if got.ID != want.ID || got.TenantID != want.TenantID || got.ClientID != want.ClientID ||
		got.AuthorizeForm != want.AuthorizeForm || got.Step != want.Step || got.StepNonce != want.StepNonce ||
		got.Prompt != want.Prompt || got.MaxAge != want.MaxAge || got.LoginHint != want.LoginHint ||
		got.UserID != want.UserID || got.SessionID != want.SessionID || got.Failures != want.Failures ||
		got.Facts != want.Facts {
		t.Errorf("got %+v, want %+v", got, want)
	}
	sameStrings(t, got.AMR, want.AMR, "AMR")
	sameStrings(t, got.GrantedScopes, want.GrantedScopes, "GrantedScopes")
	sameTime(t, got.CreatedAt, want.CreatedAt, "CreatedAt")
	sameTime(t, got.UpdatedAt, want.UpdatedAt, "UpdatedAt")
	sameTime(t, got.ExpiresAt, want.ExpiresAt, "ExpiresAt")
	switch {
	case (got.AuthTime == nil) != (want.AuthTime == nil):
		t.Errorf("AuthTime: got %v, want %v", got.AuthTime, want.AuthTime)
	case got.AuthTime != nil:
		sameTime(t, *got.AuthTime, *want.AuthTime, "AuthTime")
	}
}

func flowUpdate(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	f := seedFlow(t, s, tenant.ID)
	prev := f.UpdatedAt
	authTime := time.Now()
	f.Step, f.UserID, f.AuthTime, f.AMR, f.Failures = "consent", newID(), &authTime, []string{"pwd"}, 1
	f.Facts = `{"passwordChanged":true}`
	mustNil(t, s.UpdateFlow(ctx, f, prev), "UpdateFlow")
	if !f.UpdatedAt.After(prev) {
		t.Errorf("UpdatedAt %s not after the previous version %s", f.UpdatedAt, prev)
	}
	got, err := s.GetFlow(ctx, f.ID)
	mustNil(t, err, "GetFlow")
	sameFlow(t, got, f)
	next := got.UpdatedAt
	got.Step = "done"
	mustNil(t, s.UpdateFlow(ctx, got, next), "UpdateFlow from the re-read version")
}

func flowStaleUpdate(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	f := seedFlow(t, s, tenant.ID)
	stale := f.UpdatedAt
	f.Step = "password"
	mustNil(t, s.UpdateFlow(ctx, f, stale), "first UpdateFlow")
	late := *f
	late.Step = "mfa"
	mustIs(t, s.UpdateFlow(ctx, &late, stale), storage.ErrConflict, "UpdateFlow from a stale version")
	got, err := s.GetFlow(ctx, f.ID)
	mustNil(t, err, "GetFlow")
	if got.Step != "password" {
		t.Errorf("stale update overwrote the flow: step %q", got.Step)
	}
}

func flowConcurrentUpdate(t *testing.T, s storage.Storage) {
	const writers = 5
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	f := seedFlow(t, s, tenant.ID)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		copyOf := *f
		copyOf.Failures = i + 1
		wg.Go(func() { errs[i] = s.UpdateFlow(ctx, &copyOf, f.UpdatedAt) })
	}
	wg.Wait()
	var won int
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, storage.ErrConflict):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d concurrent updates from one version succeeded, want 1", won)
	}
}

func flowNotFound(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	_, err := s.GetFlow(ctx, newID())
	mustIs(t, err, storage.ErrNotFound, "GetFlow")
	ghost := &storage.Flow{ID: newID(), ExpiresAt: time.Now().Add(time.Minute)}
	mustIs(t, s.UpdateFlow(ctx, ghost, time.Now()), storage.ErrNotFound, "UpdateFlow")
	mustIs(t, s.DeleteFlow(ctx, ghost.ID), storage.ErrNotFound, "DeleteFlow")
}

func flowDelete(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	f := seedFlow(t, s, tenant.ID)
	mustNil(t, s.DeleteFlow(ctx, f.ID), "DeleteFlow")
	_, err := s.GetFlow(ctx, f.ID)
	mustIs(t, err, storage.ErrNotFound, "GetFlow after delete")
}

func flowDeleteExpired(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	now := time.Now().UTC()
	expired := seedFlow(t, s, tenant.ID)
	expired.ExpiresAt = now.Add(-time.Second)
	mustNil(t, s.UpdateFlow(ctx, expired, expired.UpdatedAt), "UpdateFlow to expire")
	live := seedFlow(t, s, tenant.ID)
	n, err := s.DeleteExpiredFlows(ctx, now)
	mustNil(t, err, "DeleteExpiredFlows")
	if n != 1 {
		t.Errorf("deleted %d flows, want 1", n)
	}
	_, err = s.GetFlow(ctx, expired.ID)
	mustIs(t, err, storage.ErrNotFound, "expired flow")
	_, err = s.GetFlow(ctx, live.ID)
	mustNil(t, err, "live flow")
}
