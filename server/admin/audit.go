package admin

import (
	"net/http"
	"net/url"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

var auditFields = resourceFields{
	Selectable: []string{"id", "category", "correlationId", "result", "resultReason", "activityDisplayName",
		"activityDateTime", "loggedByService", "operationType", "initiatedBy", "targetResources"},
	Filterable: []string{"category", "correlationId", "activityDisplayName"},
}

// AuditJSON renders an audit record in Graph's directoryAudit shape (also
// the line format of `sigil audit export`).
func AuditJSON(a storage.AuditRecord) map[string]any {
	initiated := map[string]any{}
	switch a.ActorType {
	case storage.AuditActorApp:
		initiated["app"] = map[string]any{"appId": a.ActorID, "displayName": a.ActorName}
	default:
		initiated["user"] = map[string]any{"id": nullable(a.ActorID), "userPrincipalName": a.ActorName}
	}
	modified := make([]map[string]any, 0, len(a.Modified))
	for _, p := range a.Modified {
		modified = append(modified, map[string]any{"displayName": p.Name, "oldValue": nullable(p.OldValue), "newValue": nullable(p.NewValue)})
	}
	return map[string]any{
		"id": a.ID, "category": a.Category, "correlationId": a.CorrelationID, "result": a.Result,
		"resultReason": a.ResultReason, "activityDisplayName": a.Activity,
		"activityDateTime": a.ActivityDateTime.UTC().Format(time.RFC3339Nano), "loggedByService": "Core Directory",
		"operationType": a.OperationType, "initiatedBy": initiated, "additionalDetails": []any{},
		"targetResources": []map[string]any{{
			"id": a.TargetID, "displayName": a.TargetName, "type": a.TargetType, "modifiedProperties": modified,
		}},
	}
}

// listAudits pages through the audit log newest first; the filter is
// applied by the store, so pages stay cheap on a long log.
func (h *Handler) listAudits(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), auditFields, r.Header.Get("ConsistencyLevel"))
	if aerr != nil {
		return aerr
	}
	if q.Count {
		return &apiError{Status: http.StatusBadRequest, Code: codeUnsupportedQuery, Message: "$count is not supported on directoryAudits."}
	}
	var f storage.AuditFilter
	for _, cond := range q.Filter {
		s, ok := cond.Values[0].(string)
		if cond.Op != "eq" || !ok {
			return &apiError{Status: http.StatusBadRequest, Code: codeUnsupportedQuery, Message: "directoryAudits filter only with eq on a string."}
		}
		switch cond.Property {
		case "category":
			f.Category = s
		case "correlationId":
			f.CorrelationID = s
		case "activityDisplayName":
			f.Activity = s
		}
	}
	recs, err := h.Store.ListAuditRecords(r.Context(), c.TenantID, f, q.Skip, q.Top+1)
	if err != nil {
		return err
	}
	page := make([]map[string]any, 0, len(recs))
	for i, rec := range recs {
		if i < q.Top {
			page = append(page, project(AuditJSON(rec), q.Select))
		}
	}
	out := map[string]any{"@odata.context": h.BaseURL + "/v1.0/$metadata#auditLogs/directoryAudits", "value": page}
	if len(recs) > q.Top {
		next := url.Values{}
		for k, v := range r.URL.Query() {
			next[k] = v
		}
		next.Set("$skiptoken", h.skipToken(q.Skip+q.Top))
		out["@odata.nextLink"] = h.BaseURL + r.URL.Path + "?" + next.Encode()
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
