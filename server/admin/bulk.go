package admin

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/sigil-idp/sigil/server/bulk"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// Bulk operations (K-01..K-03): a CSV upload becomes a background job whose
// progress and per-row results are read back; downloads stream CSV.

// bulkOperations is the permission each kind of upload needs.
var bulkOperations = map[string]string{
	bulk.KindCreateUsers: OpCreateUser, bulk.KindDeleteUsers: OpDeleteUser,
	bulk.KindAddMembers: OpChangeMembers, bulk.KindRemoveMembers: OpChangeMembers,
}

func bulkJobJSON(base string, j storage.BulkJob) map[string]any {
	return map[string]any{"id": j.ID, "operation": j.Kind, "groupId": j.GroupID, "status": j.Status,
		"totalRows": j.TotalRows, "processedRows": j.Processed, "succeededRows": j.Succeeded, "failedRows": j.Failed,
		"submittedBy": j.ActorName, "createdDateTime": j.CreatedAt.UTC().Format(time.RFC3339Nano),
		"lastUpdatedDateTime": j.UpdatedAt.UTC().Format(time.RFC3339Nano),
		"resultsUrl":          base + "/v1.0/bulk/jobs/" + j.ID + "/results"}
}

// submitBulk is POST /bulk/{operation}[?groupId=…] with a text/csv body.
func (h *Handler) submitBulk(w http.ResponseWriter, r *http.Request, c Caller) error {
	kind := r.PathValue("operation")
	op, ok := bulkOperations[kind]
	if !ok {
		return &apiError{Status: http.StatusNotFound, Code: codeNotFound, Message: "Unknown bulk operation " + kind + "."}
	}
	if Decide(op, c) == Denied {
		return forbidden(op)
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/csv" {
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: codeBadRequest, Message: "Send the rows as text/csv."}
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, bulk.MaxBytes+1))
	if err != nil {
		return badRequest("The request body could not be read.")
	}
	who := bulk.Submitter{Actor: c.actor(), Audit: c.auditActor()}
	job, err := h.Bulk.Submit(r.Context(), c.TenantID, kind, r.URL.Query().Get("groupId"), data, who)
	var uerr *bulk.UploadError
	switch {
	case errors.As(err, &uerr):
		return badRequest(uerr.Reason)
	case errors.Is(err, directory.ErrGroupNotFound):
		return badRequest("groupId: no such group")
	case err != nil:
		return err
	}
	w.Header().Set("Location", h.BaseURL+"/v1.0/bulk/jobs/"+job.ID)
	writeJSON(w, http.StatusAccepted, bulkJobJSON(h.BaseURL, *job))
	return nil
}

// bulkJob loads a job the caller may see: one of a kind they may submit.
func (h *Handler) bulkJob(r *http.Request, c Caller) (*storage.BulkJob, error) {
	job, err := h.Store.GetBulkJob(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if Decide(bulkOperations[job.Kind], c) == Denied {
		return nil, forbidden(bulkOperations[job.Kind])
	}
	return job, nil
}

func (h *Handler) getBulkJob(w http.ResponseWriter, r *http.Request, c Caller) error {
	job, err := h.bulkJob(r, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, bulkJobJSON(h.BaseURL, *job))
	return nil
}

func (h *Handler) listBulkJobs(w http.ResponseWriter, r *http.Request, c Caller) error {
	jobs, err := h.Store.ListBulkJobs(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, j := range jobs {
		if Decide(bulkOperations[j.Kind], c) != Denied {
			out = append(out, bulkJobJSON(h.BaseURL, j))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"value": out})
	return nil
}

// bulkResults downloads a job's per-row results as CSV.
func (h *Handler) bulkResults(w http.ResponseWriter, r *http.Request, c Caller) error {
	job, err := h.bulkJob(r, c)
	if err != nil {
		return err
	}
	writeCSVHeaders(w, "bulk-"+job.ID+"-results.csv")
	return h.Bulk.WriteResults(r.Context(), c.TenantID, job.ID, w)
}

func writeCSVHeaders(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

func (h *Handler) exportUsers(w http.ResponseWriter, r *http.Request, c Caller) error {
	writeCSVHeaders(w, "users.csv")
	return h.Bulk.ExportUsers(r.Context(), c.TenantID, w)
}

func (h *Handler) exportGroups(w http.ResponseWriter, r *http.Request, c Caller) error {
	writeCSVHeaders(w, "groups.csv")
	return h.Bulk.ExportGroups(r.Context(), c.TenantID, w)
}

func (h *Handler) exportMembers(w http.ResponseWriter, r *http.Request, c Caller) error {
	if _, err := h.Directory.GetGroup(r.Context(), c.TenantID, r.PathValue("id")); err != nil {
		return err
	}
	writeCSVHeaders(w, "group-members.csv")
	return h.Bulk.ExportMembers(r.Context(), c.TenantID, r.PathValue("id"), w)
}
