package conformance

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("oauth_records", testOAuthRecords) }

func testOAuthRecords(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates a record and reads it back", recordRoundTrip},
		{"rejects a signature already used for the kind", recordDuplicateSignature},
		{"allows the same signature under another kind", recordSameSignatureOtherKind},
		{"reports a missing record as not found", recordNotFound},
		{"deactivates once, then reports a conflict", recordDeactivateTwice},
		{"lets exactly one of ten concurrent deactivations win", recordConcurrentDeactivate},
		{"deactivates every record of a request, and only those", recordDeactivateByRequest},
		{"deactivates every record of a session, and only those", recordDeactivateBySession},
		{"deletes a record", recordDelete},
		{"deletes records expired before the cut-off", recordDeleteExpired},
	})
}

func recordRoundTrip(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	in := seedRecord(t, s, tenant.ID, storage.KindRefreshToken, func(r *storage.OAuthRecord) {
		r.SessionID = newID()
		r.AccessSignature = newID()
		r.RequestedAt = time.Now().In(farOffZone)
		r.ExpiresAt = r.RequestedAt.Add(24 * time.Hour)
	})
	got, err := s.GetOAuthRecord(ctxFor(t), in.Kind, in.Signature)
	mustNil(t, err, "GetOAuthRecord")
	if got.Kind != in.Kind || got.Signature != in.Signature || got.RequestID != in.RequestID ||
		got.TenantID != in.TenantID || got.ClientID != in.ClientID || got.Subject != in.Subject ||
		got.SessionID != in.SessionID || got.AccessSignature != in.AccessSignature ||
		got.Active != in.Active || !bytes.Equal(got.Data, in.Data) {
		t.Errorf("got %+v, want %+v", got, in)
	}
	sameTime(t, got.RequestedAt, in.RequestedAt, "RequestedAt")
	sameTime(t, got.ExpiresAt, in.ExpiresAt, "ExpiresAt")
}

func recordDuplicateSignature(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	first := seedRecord(t, s, tenant.ID, storage.KindAuthorizeCode, nil)
	dup := *first
	dup.RequestID = newID()
	mustIs(t, s.CreateOAuthRecord(ctxFor(t), &dup), storage.ErrAlreadyExists, "CreateOAuthRecord")
}

func recordSameSignatureOtherKind(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	code := seedRecord(t, s, tenant.ID, storage.KindAuthorizeCode, nil)
	seedRecord(t, s, tenant.ID, storage.KindPKCE, func(r *storage.OAuthRecord) { r.Signature = code.Signature })
	seedRecord(t, s, tenant.ID, storage.KindOIDC, func(r *storage.OAuthRecord) { r.Signature = code.Signature })
}

func recordNotFound(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	code := seedRecord(t, s, tenant.ID, storage.KindAuthorizeCode, nil)
	_, err := s.GetOAuthRecord(ctx, storage.KindAccessToken, code.Signature)
	mustIs(t, err, storage.ErrNotFound, "GetOAuthRecord under another kind")
	_, err = s.GetOAuthRecord(ctx, storage.KindAuthorizeCode, newID())
	mustIs(t, err, storage.ErrNotFound, "GetOAuthRecord of an unknown signature")
	mustIs(t, s.DeactivateOAuthRecord(ctx, storage.KindAuthorizeCode, newID()), storage.ErrNotFound,
		"DeactivateOAuthRecord of an unknown signature")
	mustIs(t, s.DeleteOAuthRecord(ctx, storage.KindAuthorizeCode, newID()), storage.ErrNotFound,
		"DeleteOAuthRecord of an unknown signature")
}

func recordDeactivateTwice(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	code := seedRecord(t, s, tenant.ID, storage.KindAuthorizeCode, nil)
	mustNil(t, s.DeactivateOAuthRecord(ctx, code.Kind, code.Signature), "first DeactivateOAuthRecord")
	got, err := s.GetOAuthRecord(ctx, code.Kind, code.Signature)
	mustNil(t, err, "GetOAuthRecord of an inactive record")
	if got.Active {
		t.Error("record still active after deactivation")
	}
	mustIs(t, s.DeactivateOAuthRecord(ctx, code.Kind, code.Signature), storage.ErrConflict,
		"second DeactivateOAuthRecord")
}

func recordConcurrentDeactivate(t *testing.T, s storage.Storage) {
	const callers = 10
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	code := seedRecord(t, s, tenant.ID, storage.KindAuthorizeCode, nil)
	errs := make([]error, callers)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range callers {
		done.Go(func() {
			start.Wait()
			errs[i] = s.DeactivateOAuthRecord(ctx, code.Kind, code.Signature)
		})
	}
	start.Done()
	done.Wait()
	var won, lost int
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, storage.ErrConflict):
			lost++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if won != 1 || lost != callers-1 {
		t.Errorf("%d callers won and %d got ErrConflict, want 1 and %d", won, lost, callers-1)
	}
}

// activeStates reads the Active flag of each record, in order.
func activeStates(t *testing.T, s storage.Storage, recs ...*storage.OAuthRecord) []bool {
	t.Helper()
	out := make([]bool, 0, len(recs))
	for _, r := range recs {
		got, err := s.GetOAuthRecord(ctxFor(t), r.Kind, r.Signature)
		mustNil(t, err, "GetOAuthRecord")
		out = append(out, got.Active)
	}
	return out
}

func sameBools(t *testing.T, got, want []bool, what string) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: active flags %v, want %v", what, got, want)
			return
		}
	}
}

func recordDeactivateByRequest(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	requestID := newID()
	sameRequest := func(r *storage.OAuthRecord) { r.RequestID = requestID }
	rt1 := seedRecord(t, s, tenant.ID, storage.KindRefreshToken, sameRequest)
	rt2 := seedRecord(t, s, tenant.ID, storage.KindRefreshToken, sameRequest)
	at := seedRecord(t, s, tenant.ID, storage.KindAccessToken, sameRequest)
	other := seedRecord(t, s, tenant.ID, storage.KindRefreshToken, nil)
	mustNil(t, s.DeactivateOAuthRecordsByRequest(ctxFor(t), storage.KindRefreshToken, requestID),
		"DeactivateOAuthRecordsByRequest")
	sameBools(t, activeStates(t, s, rt1, rt2, at, other), []bool{false, false, true, true}, "by request")
	mustNil(t, s.DeactivateOAuthRecordsByRequest(ctxFor(t), storage.KindRefreshToken, requestID),
		"DeactivateOAuthRecordsByRequest again")
	mustNil(t, s.DeactivateOAuthRecordsByRequest(ctxFor(t), storage.KindRefreshToken, newID()),
		"DeactivateOAuthRecordsByRequest of an unknown request")
}

func recordDeactivateBySession(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	sessionID := newID()
	inSession := func(r *storage.OAuthRecord) { r.SessionID = sessionID }
	rt1 := seedRecord(t, s, tenant.ID, storage.KindRefreshToken, inSession)
	rt2 := seedRecord(t, s, tenant.ID, storage.KindRefreshToken, inSession)
	at := seedRecord(t, s, tenant.ID, storage.KindAccessToken, inSession)
	other := seedRecord(t, s, tenant.ID, storage.KindRefreshToken, func(r *storage.OAuthRecord) { r.SessionID = newID() })
	noSession := seedRecord(t, s, tenant.ID, storage.KindRefreshToken, nil)
	mustNil(t, s.DeactivateOAuthRecordsBySession(ctxFor(t), storage.KindRefreshToken, sessionID),
		"DeactivateOAuthRecordsBySession")
	sameBools(t, activeStates(t, s, rt1, rt2, at, other, noSession),
		[]bool{false, false, true, true, true}, "by session")
	mustNil(t, s.DeactivateOAuthRecordsBySession(ctxFor(t), storage.KindRefreshToken, ""),
		"DeactivateOAuthRecordsBySession with no session")
	sameBools(t, activeStates(t, s, noSession), []bool{true}, "records without a session")
}

func recordDelete(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	rec := seedRecord(t, s, tenant.ID, storage.KindPKCE, nil)
	mustNil(t, s.DeleteOAuthRecord(ctx, rec.Kind, rec.Signature), "DeleteOAuthRecord")
	_, err := s.GetOAuthRecord(ctx, rec.Kind, rec.Signature)
	mustIs(t, err, storage.ErrNotFound, "GetOAuthRecord after delete")
}

func recordDeleteExpired(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	now := time.Now().UTC()
	expiresAt := func(d time.Duration) func(*storage.OAuthRecord) {
		return func(r *storage.OAuthRecord) { r.ExpiresAt = now.Add(d) }
	}
	old1 := seedRecord(t, s, tenant.ID, storage.KindAccessToken, expiresAt(-2*time.Hour))
	old2 := seedRecord(t, s, tenant.ID, storage.KindAuthorizeCode, expiresAt(-time.Millisecond))
	live := seedRecord(t, s, tenant.ID, storage.KindAccessToken, expiresAt(time.Hour))
	n, err := s.DeleteExpiredOAuthRecords(ctx, now.In(farOffZone))
	mustNil(t, err, "DeleteExpiredOAuthRecords")
	if n != 2 {
		t.Errorf("deleted %d records, want 2", n)
	}
	for _, r := range []*storage.OAuthRecord{old1, old2} {
		_, err := s.GetOAuthRecord(ctx, r.Kind, r.Signature)
		mustIs(t, err, storage.ErrNotFound, "expired record")
	}
	_, err = s.GetOAuthRecord(ctx, live.Kind, live.Signature)
	mustNil(t, err, "live record")
}
