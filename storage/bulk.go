package storage

import (
	"context"
	"time"
)

// Bulk job statuses.
const (
	BulkQueued    = "queued"
	BulkRunning   = "running"
	BulkCompleted = "completed"
)

// BulkJob is a CSV upload processed in the background (K-01..K-03): its
// input, where it has got to and how it went. Each row's result is a
// BulkRowResult; a job survives a restart because both are in the database
// and the next worker resumes after the last row recorded.
type BulkJob struct {
	ID       string
	TenantID string
	Kind     string // createUsers, deleteUsers, addMembers, removeMembers
	GroupID  string // the group of addMembers and removeMembers
	Status   string
	// Input is the uploaded CSV; TotalRows its data rows.
	Input     []byte
	TotalRows int
	// Processed rows are done (Succeeded + Failed).
	Processed int
	Succeeded int
	Failed    int
	// Actor is who submitted the job, as the service's actor JSON, and
	// ActorName their name for the audit log.
	Actor      []byte
	ActorName  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	LeaseUntil time.Time // a worker owns a running job until then
}

// BulkRowResult is the outcome of one data row (1-based).
type BulkRowResult struct {
	JobID    string
	Row      int
	OK       bool
	ObjectID string // what the row created or changed
	Error    string
}

// BulkStore keeps bulk jobs.
type BulkStore interface {
	CreateBulkJob(ctx context.Context, j *BulkJob) error
	// GetBulkJob returns the job with its counters (Input included).
	GetBulkJob(ctx context.Context, tenantID, id string) (*BulkJob, error)
	// ListBulkJobs returns the tenant's jobs newest first, without Input.
	ListBulkJobs(ctx context.Context, tenantID string) ([]BulkJob, error)
	// ClaimBulkJob gives the caller the oldest job that is queued, or running
	// with an expired lease (its worker died), marking it running until
	// leaseUntil; ErrNotFound when there is none. Two workers never get the
	// same job.
	ClaimBulkJob(ctx context.Context, now, leaseUntil time.Time) (*BulkJob, error)
	// RecordBulkRow stores one row's result and advances the job's counters;
	// it joins the context's transaction, so the row's change, its result
	// and the progress commit together. A row already recorded is
	// ErrAlreadyExists.
	RecordBulkRow(ctx context.Context, tenantID string, r BulkRowResult, leaseUntil time.Time) error
	// FinishBulkJob marks the job completed and drops its input (initial
	// passwords must not outlive the job).
	FinishBulkJob(ctx context.Context, tenantID, id string, at time.Time) error
	// ListBulkRows returns the job's row results in row order.
	ListBulkRows(ctx context.Context, tenantID, jobID string) ([]BulkRowResult, error)
}
