package conformance

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("jtis", testJTIs) }

func testJTIs(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"refuses a replayed jti until it expires (RFC 7523)", jtiReplayRefused},
		{"accepts a jti again once its entry expired", jtiReuseAfterExpiry},
		{"reports unknown jtis as unused", jtiUnknown},
		{"keeps live jtis when purging expired records", jtiSurvivesPurge},
		{"records a jti for exactly one of concurrent callers", jtiConcurrentUse},
	})
}

func jtiReplayRefused(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	jti := newID()
	mustNil(t, s.UseJTI(ctx, jti, time.Now().Add(time.Hour)), "first UseJTI")
	used, err := s.JTIUsed(ctx, jti)
	mustNil(t, err, "JTIUsed")
	if !used {
		t.Error("JTIUsed = false right after UseJTI")
	}
	mustIs(t, s.UseJTI(ctx, jti, time.Now().Add(2*time.Hour)), storage.ErrAlreadyExists, "replayed UseJTI")
}

func jtiReuseAfterExpiry(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	jti := newID()
	mustNil(t, s.UseJTI(ctx, jti, time.Now().Add(-time.Second)), "UseJTI already expired")
	used, err := s.JTIUsed(ctx, jti)
	mustNil(t, err, "JTIUsed")
	if used {
		t.Error("JTIUsed = true for an expired entry")
	}
	mustNil(t, s.UseJTI(ctx, jti, time.Now().Add(time.Hour)), "UseJTI after expiry")
	mustIs(t, s.UseJTI(ctx, jti, time.Now().Add(time.Hour)), storage.ErrAlreadyExists, "replay of the renewed entry")
}

func jtiUnknown(t *testing.T, s storage.Storage) {
	used, err := s.JTIUsed(ctxFor(t), newID())
	mustNil(t, err, "JTIUsed")
	if used {
		t.Error("JTIUsed = true for an unknown jti")
	}
}

func jtiSurvivesPurge(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	expired, live := newID(), newID()
	mustNil(t, s.UseJTI(ctx, expired, time.Now().Add(-time.Minute)), "UseJTI expired")
	mustNil(t, s.UseJTI(ctx, live, time.Now().Add(time.Hour)), "UseJTI live")
	_, err := s.DeleteExpiredOAuthRecords(ctx, time.Now())
	mustNil(t, err, "DeleteExpiredOAuthRecords")
	mustNil(t, s.UseJTI(ctx, expired, time.Now().Add(time.Hour)), "UseJTI of the purged jti")
	mustIs(t, s.UseJTI(ctx, live, time.Now().Add(time.Hour)), storage.ErrAlreadyExists, "live jti survives the purge")
}

func jtiConcurrentUse(t *testing.T, s storage.Storage) {
	const callers = 8
	ctx := ctxFor(t)
	jti := newID()
	exp := time.Now().Add(time.Hour)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { errs[i] = s.UseJTI(ctx, jti, exp) })
	}
	wg.Wait()
	var accepted int
	for _, err := range errs {
		switch {
		case err == nil:
			accepted++
		case !errors.Is(err, storage.ErrAlreadyExists):
			t.Errorf("unexpected error: %v", err)
		}
	}
	if accepted != 1 {
		t.Errorf("%d concurrent uses of one jti accepted, want 1", accepted)
	}
}
