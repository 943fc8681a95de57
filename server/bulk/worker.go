package bulk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/storage"
)

// Run processes jobs until ctx ends, looking for new ones every poll.
func (s *Service) Run(ctx context.Context, poll time.Duration, logger *slog.Logger) {
	if logger == nil {
		logger = slog.Default()
	}
	for {
		did, err := s.Work(ctx)
		if err != nil && ctx.Err() == nil {
			logger.ErrorContext(ctx, "bulk: process a job", "err", err)
		}
		if did {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(poll):
		}
	}
}

// Work claims one job and processes it to the end; it reports whether there
// was one.
func (s *Service) Work(ctx context.Context) (bool, error) {
	job, err := s.Store.ClaimBulkJob(ctx, s.now(), s.now().Add(s.lease()))
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, s.process(ctx, job)
}

// process runs the job's rows from the first not yet recorded.
func (s *Service) process(ctx context.Context, job *storage.BulkJob) error {
	var who Submitter
	if err := json.Unmarshal(job.Actor, &who); err != nil {
		return fmt.Errorf("bulk: job %s: submitter: %w", job.ID, err)
	}
	ctx = directory.WithAuditActor(ctx, who.Audit)
	r := newReader(job.Input)
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("bulk: job %s: header: %w", job.ID, err)
	}
	cols := columnIndex(header)
	for row := 1; ; row++ {
		fields, err := r.Read()
		if err != nil {
			break // io.EOF, or a line countRows already accepted
		}
		if row <= job.Processed {
			continue
		}
		result := s.resumeOrApply(ctx, job, who.Actor, cols, fields, row, row == job.Processed+1)
		if err := s.Store.RecordBulkRow(ctx, job.TenantID, result, s.now().Add(s.lease())); err != nil && !errors.Is(err, storage.ErrAlreadyExists) {
			return fmt.Errorf("bulk: job %s row %d: %w", job.ID, row, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return s.Store.FinishBulkJob(ctx, job.TenantID, job.ID, s.now())
}

// correlation is the audit correlation ID of a job's row.
func correlation(jobID string, row int) string {
	return "bulk:" + jobID + ":" + strconv.Itoa(row)
}

// resumeOrApply applies a row; for the first row after a resume it first
// looks for the row's audit record, which says the row was done before the
// server stopped.
func (s *Service) resumeOrApply(ctx context.Context, job *storage.BulkJob, actor directory.Actor, cols map[string]int, fields []string, row int, first bool) storage.BulkRowResult {
	corr := correlation(job.ID, row)
	res := storage.BulkRowResult{JobID: job.ID, Row: row}
	if first {
		done, err := s.Store.ListAuditRecords(ctx, job.TenantID, storage.AuditFilter{CorrelationID: corr}, 0, 1)
		if err == nil && len(done) == 1 {
			res.OK, res.ObjectID = true, done[0].TargetID
			return res
		}
	}
	id, err := s.apply(requestid.With(ctx, corr), job, actor, cols, fields)
	if err != nil {
		res.Error = rowError(err)
		return res
	}
	res.OK, res.ObjectID = true, id
	return res
}

// rowError is the message of a failed row: the service's own words, never
// an internal detail.
func rowError(err error) string {
	var verr *directory.ValidationError
	var cerr *directory.ConflictError
	var rerr *directory.RoleRequiredError
	var rowErr *RowError
	switch {
	case errors.As(err, &rowErr):
		return rowErr.Reason
	case errors.As(err, &verr):
		msg := ""
		for i, p := range verr.Problems {
			if i > 0 {
				msg += "; "
			}
			msg += p.Field + ": " + p.Message
		}
		return msg
	case errors.As(err, &cerr):
		return cerr.Message
	case errors.As(err, &rerr):
		return rerr.Error()
	case errors.Is(err, directory.ErrUserNotFound), errors.Is(err, storage.ErrNotFound):
		return "not found"
	}
	return "the row could not be processed; see the server log"
}

// RowError is a row the bulk package itself refuses.
type RowError struct{ Reason string }

func (e *RowError) Error() string { return e.Reason }
