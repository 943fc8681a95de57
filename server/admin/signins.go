package admin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

var signInFields = resourceFields{
	Selectable: []string{"id", "createdDateTime", "userId", "userPrincipalName", "userDisplayName", "appId", "appDisplayName",
		"ipAddress", "clientAppType", "isInteractive", "status", "conditionalAccessStatus", "appliedConditionalAccessPolicies",
		"authenticationRequirement", "authenticationMethodsUsed", "correlationId", "riskLevelDuringSignIn", "location",
		"deviceDetail", "resourceId", "riskEventTypes_v2"},
	Filterable: []string{"userId", "appId", "correlationId"},
}

// SignInJSON renders a sign-in log row in Graph's signIn shape.
func SignInJSON(s storage.SignIn) map[string]any {
	var applied []map[string]any
	_ = json.Unmarshal(s.AppliedPolicies, &applied)
	return map[string]any{
		"id": s.ID, "createdDateTime": s.CreatedAt.UTC().Format(time.RFC3339Nano), "userId": s.UserID,
		"userPrincipalName": s.UserPrincipal, "userDisplayName": s.UserName, "appId": s.AppID, "appDisplayName": s.AppName,
		"resourceId": s.ResourceID, "ipAddress": s.IPAddress, "clientAppType": s.ClientAppType, "isInteractive": s.Interactive,
		"correlationId": s.CorrelationID, "requestId": s.RequestID,
		"status":                           map[string]any{"errorCode": s.ErrorCode, "failureReason": s.FailureReason},
		"conditionalAccessStatus":          s.ConditionalAccessStatus,
		"appliedConditionalAccessPolicies": orEmpty(applied),
		"authenticationRequirement":        s.AuthRequirement,
		"authenticationMethodsUsed":        orEmpty(s.AuthMethods),
		"riskLevelDuringSignIn":            orDefault(s.RiskLevel, "none"),
		"riskEventTypes_v2":                orEmpty(s.RiskDetections),
		"location":                         map[string]any{"countryOrRegion": s.Country},
		"deviceDetail":                     map[string]any{"operatingSystem": s.Platform, "browser": s.UserAgent},
	}
}

// listSignIns pages through the sign-in log newest first (G-29), filtered by
// the store; the skip token carries the last row's time and ID (keyset
// paging, cheap at any depth).
func (h *Handler) listSignIns(w http.ResponseWriter, r *http.Request, c Caller) error {
	v := r.URL.Query()
	after := v.Get("$skiptoken")
	v.Del("$skiptoken")
	q, aerr := h.parseQuery(v, signInFields, r.Header.Get("ConsistencyLevel"))
	if aerr != nil {
		return aerr
	}
	if q.Count {
		return &apiError{Status: http.StatusBadRequest, Code: codeUnsupportedQuery, Message: "$count is not supported on signIns."}
	}
	f, aerr := signInFilter(q, v.Get("status"))
	if aerr != nil {
		return aerr
	}
	if after != "" {
		var cursor struct {
			T  time.Time `json:"t"`
			ID string    `json:"id"`
		}
		raw, ok := h.openCursor(after)
		if !ok || json.Unmarshal(raw, &cursor) != nil {
			return badRequest("The $skiptoken is invalid or expired; list again from the start.")
		}
		f.BeforeTime, f.BeforeID = cursor.T, cursor.ID
	}
	rows, err := h.Store.ListSignIns(r.Context(), c.TenantID, f, q.Top+1)
	if err != nil {
		return err
	}
	page := make([]map[string]any, 0, min(len(rows), q.Top))
	for i, row := range rows {
		if i < q.Top {
			page = append(page, project(SignInJSON(row), q.Select))
		}
	}
	out := map[string]any{"@odata.context": h.BaseURL + "/v1.0/$metadata#auditLogs/signIns", "value": page}
	if len(rows) > q.Top {
		last := rows[q.Top-1]
		cursor, _ := json.Marshal(map[string]any{"t": last.CreatedAt, "id": last.ID})
		next := url.Values{}
		for k, vals := range r.URL.Query() {
			next[k] = vals
		}
		next.Set("$skiptoken", h.sealCursor(cursor))
		out["@odata.nextLink"] = h.BaseURL + r.URL.Path + "?" + next.Encode()
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// signInFilter reads $filter (eq on userId, appId, correlationId) and
// Sigil's status=success|failure.
func signInFilter(q query, status string) (storage.SignInFilter, *apiError) {
	f := storage.SignInFilter{Status: status}
	if status != "" && status != "success" && status != "failure" {
		return f, badRequest("status: must be success or failure")
	}
	for _, cond := range q.Filter {
		v, ok := cond.Values[0].(string)
		if cond.Op != "eq" || !ok {
			return f, &apiError{Status: http.StatusBadRequest, Code: codeUnsupportedQuery, Message: "signIns filter only with eq on a string."}
		}
		switch cond.Property {
		case "userId":
			f.UserID = v
		case "appId":
			f.AppID = v
		case "correlationId":
			f.CorrelationID = v
		}
	}
	return f, nil
}
