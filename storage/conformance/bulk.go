package conformance

import (
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("bulk_jobs", testBulk) }

func testBulk(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"claims a queued job once and again after its lease expires (K-03)", bulkClaim},
		{"records each row once with the progress, per tenant", bulkRows},
	})
}

func newBulkJob(tenantID string, created time.Time) *storage.BulkJob {
	return &storage.BulkJob{ID: newID(), TenantID: tenantID, Kind: "createUsers", Status: storage.BulkQueued,
		Input: []byte("userPrincipalName\na@b.c\n"), TotalRows: 1, Actor: []byte(`{}`), ActorName: "admin", CreatedAt: created}
}

func bulkClaim(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	now := time.Now()
	older, newer := newBulkJob(tenant.ID, now.Add(-time.Minute)), newBulkJob(tenant.ID, now)
	for _, j := range []*storage.BulkJob{newer, older} {
		mustNil(t, s.CreateBulkJob(ctx, j), "CreateBulkJob")
	}
	first, err := s.ClaimBulkJob(ctx, now, now.Add(time.Minute))
	mustNil(t, err, "ClaimBulkJob")
	if first.ID != older.ID || first.Status != storage.BulkRunning || string(first.Input) != string(older.Input) {
		t.Fatalf("first claim = %+v, want the older job running with its input", first)
	}
	second, err := s.ClaimBulkJob(ctx, now, now.Add(time.Minute))
	mustNil(t, err, "ClaimBulkJob again")
	if second.ID != newer.ID {
		t.Fatalf("second claim = %s, want the newer job", second.ID)
	}
	_, err = s.ClaimBulkJob(ctx, now, now.Add(time.Minute))
	mustIs(t, err, storage.ErrNotFound, "claim with every job leased")
	again, err := s.ClaimBulkJob(ctx, now.Add(2*time.Minute), now.Add(3*time.Minute))
	mustNil(t, err, "claim after the lease expired")
	if again.ID != older.ID {
		t.Errorf("after expiry claimed %s, want the older job back", again.ID)
	}
	mustNil(t, s.FinishBulkJob(ctx, tenant.ID, older.ID, now), "FinishBulkJob")
	got, err := s.GetBulkJob(ctx, tenant.ID, older.ID)
	mustNil(t, err, "GetBulkJob")
	if got.Status != storage.BulkCompleted {
		t.Errorf("status %s", got.Status)
	}
}

func bulkRows(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant, other := seedTenant(t, s, "contoso"), seedTenant(t, s, "fabrikam")
	job := newBulkJob(tenant.ID, time.Now())
	job.TotalRows = 3
	mustNil(t, s.CreateBulkJob(ctx, job), "CreateBulkJob")
	lease := time.Now().Add(time.Minute)
	mustNil(t, s.RecordBulkRow(ctx, tenant.ID, storage.BulkRowResult{JobID: job.ID, Row: 2, OK: false, Error: "bad"}, lease), "row 2")
	mustNil(t, s.RecordBulkRow(ctx, tenant.ID, storage.BulkRowResult{JobID: job.ID, Row: 1, OK: true, ObjectID: "u1"}, lease), "row 1")
	mustIs(t, s.RecordBulkRow(ctx, tenant.ID, storage.BulkRowResult{JobID: job.ID, Row: 1, OK: true}, lease), storage.ErrAlreadyExists, "row 1 twice")
	got, err := s.GetBulkJob(ctx, tenant.ID, job.ID)
	mustNil(t, err, "GetBulkJob")
	if got.Processed != 2 || got.Succeeded != 1 || got.Failed != 1 {
		t.Errorf("counters %d/%d/%d, want 2 processed, 1 succeeded, 1 failed", got.Processed, got.Succeeded, got.Failed)
	}
	rows, err := s.ListBulkRows(ctx, tenant.ID, job.ID)
	mustNil(t, err, "ListBulkRows")
	if len(rows) != 2 || rows[0].Row != 1 || rows[0].ObjectID != "u1" || rows[1].Error != "bad" {
		t.Errorf("rows = %+v", rows)
	}
	_, err = s.ListBulkRows(ctx, other.ID, job.ID)
	mustIs(t, err, storage.ErrNotFound, "rows from another tenant")
	mustIs(t, s.RecordBulkRow(ctx, other.ID, storage.BulkRowResult{JobID: job.ID, Row: 3, OK: true}, lease), storage.ErrNotFound, "record for another tenant")
	jobs, err := s.ListBulkJobs(ctx, tenant.ID)
	mustNil(t, err, "ListBulkJobs")
	if len(jobs) != 1 || len(jobs[0].Input) != 0 {
		t.Errorf("list = %+v, want one job without its input", jobs)
	}
}
