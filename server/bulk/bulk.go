package bulk

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// Kinds of upload.
const (
	KindCreateUsers   = "createUsers"
	KindDeleteUsers   = "deleteUsers"
	KindAddMembers    = "addMembers"
	KindRemoveMembers = "removeMembers"
)

// Limits of an upload.
const (
	MaxRows  = 50_000
	MaxBytes = 10 << 20
)

// requiredColumns are the columns each kind needs.
var requiredColumns = map[string][]string{
	KindCreateUsers:   {"userPrincipalName", "displayName", "password"},
	KindDeleteUsers:   {"userPrincipalName"},
	KindAddMembers:    {"memberObjectIdOrUpn"},
	KindRemoveMembers: {"memberObjectIdOrUpn"},
}

// Kinds lists the upload kinds.
func Kinds() []string {
	return []string{KindCreateUsers, KindDeleteUsers, KindAddMembers, KindRemoveMembers}
}

// Service submits and processes bulk jobs. Store and Directory are
// required; Lease defaults to a minute, Now to time.Now.
type Service struct {
	Store     storage.Storage
	Directory *directory.Service
	Lease     time.Duration
	Now       func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return time.Minute
}

// Submitter is who uploads a job: the directory actor its rows run as and
// the audit actor they are recorded under.
type Submitter struct {
	Actor directory.Actor      `json:"actor"`
	Audit directory.AuditActor `json:"audit"`
}

// UploadError is an upload refused as a whole, with the reason.
type UploadError struct{ Reason string }

func (e *UploadError) Error() string { return e.Reason }

// Submit checks an upload and stores it as a queued job.
func (s *Service) Submit(ctx context.Context, tenantID, kind, groupID string, data []byte, who Submitter) (*storage.BulkJob, error) {
	required, ok := requiredColumns[kind]
	if !ok {
		return nil, &UploadError{Reason: fmt.Sprintf("%q is not a bulk operation; use one of %s", kind, strings.Join(Kinds(), ", "))}
	}
	if len(data) > MaxBytes {
		return nil, &UploadError{Reason: fmt.Sprintf("the file is larger than %d MB", MaxBytes>>20)}
	}
	member := kind == KindAddMembers || kind == KindRemoveMembers
	if member {
		if _, err := s.Directory.GetGroup(ctx, tenantID, groupID); err != nil {
			return nil, err
		}
	} else if groupID != "" {
		return nil, &UploadError{Reason: kind + " takes no group"}
	}
	rows, err := countRows(data, required)
	if err != nil {
		return nil, err
	}
	actor, err := json.Marshal(who)
	if err != nil {
		return nil, err
	}
	now := s.now()
	job := &storage.BulkJob{ID: uuid.NewString(), TenantID: tenantID, Kind: kind, GroupID: groupID, Status: storage.BulkQueued,
		Input: data, TotalRows: rows, Actor: actor, ActorName: who.Audit.Name, CreatedAt: now, UpdatedAt: now, LeaseUntil: now}
	if err := s.Store.CreateBulkJob(ctx, job); err != nil {
		return nil, err
	}
	return job, nil
}

// countRows checks the header and counts the data rows.
func countRows(data []byte, required []string) (int, error) {
	r := newReader(data)
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return 0, &UploadError{Reason: "the file is empty; the first row names the columns"}
	}
	if err != nil {
		return 0, &UploadError{Reason: "the header row is not CSV: " + err.Error()}
	}
	for _, col := range required {
		if !slices.Contains(trimAll(header), col) {
			return 0, &UploadError{Reason: fmt.Sprintf("the header lacks the column %q (required: %s)", col, strings.Join(required, ", "))}
		}
	}
	n := 0
	for {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) && !errors.Is(perr.Err, csv.ErrFieldCount) {
			return 0, &UploadError{Reason: fmt.Sprintf("line %d is not CSV: %v", perr.Line, perr.Err)}
		}
		n++
		if n > MaxRows {
			return 0, &UploadError{Reason: fmt.Sprintf("the file has more than %d rows; split it", MaxRows)}
		}
	}
	if n == 0 {
		return 0, &UploadError{Reason: "the file has a header but no rows"}
	}
	return n, nil
}

// newReader reads CSV leniently about row lengths (a short row is that row's
// error, not the file's) and strips a UTF-8 byte-order mark.
func newReader(data []byte) *csv.Reader {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	return r
}

func trimAll(fields []string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = strings.TrimSpace(f)
	}
	return out
}
