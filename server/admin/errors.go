package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/storage"
)

// Graph error codes Sigil answers with.
const (
	codeBadRequest        = "Request_BadRequest"
	codeUnauthorized      = "InvalidAuthenticationToken"
	codeForbidden         = "Authorization_RequestDenied"
	codeNotFound          = "Request_ResourceNotFound"
	codeConflict          = "Request_MultipleObjectsWithSameKeyValue"
	codePreconditionFails = "Request_PreconditionFailed"
	codeInternal          = "generalException"
	codeUnsupportedQuery  = "Request_UnsupportedQuery"
)

// apiError is an error with its HTTP status and Graph code.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Message }

func badRequest(format string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: codeBadRequest, Message: format}
}

// writeJSON writes v with the status; Graph answers are never cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes Graph's error body:
// {"error":{"code","message","innerError":{"request-id","date"}}}.
func writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	writeJSON(w, e.Status, map[string]any{"error": map[string]any{
		"code": e.Code, "message": e.Message,
		"innerError": map[string]string{
			"request-id": requestid.From(r.Context()),
			"date":       time.Now().UTC().Format("2006-01-02T15:04:05"),
		},
	}})
}

// fromService maps the directory's typed errors to Graph errors; anything
// else is a 500 whose cause stays in the log.
func fromService(err error) *apiError {
	var (
		verr *directory.ValidationError
		cerr *directory.ConflictError
		rerr *directory.RoleRequiredError
		gerr *directory.GroupRuleError
		aerr *apiError
	)
	var (
		perr    *policy.ValidationError
		refused *access.RefusedError
	)
	switch {
	case errors.As(err, &aerr):
		return aerr
	case errors.As(err, &perr):
		msgs := make([]string, 0, len(perr.Problems))
		for _, p := range perr.Problems {
			msgs = append(msgs, p.Field+": "+p.Message)
		}
		return badRequest("Invalid value. " + strings.Join(msgs, "; "))
	case errors.As(err, &refused):
		return badRequest(refused.Reason)
	case errors.As(err, &verr):
		msgs := make([]string, 0, len(verr.Problems))
		for _, p := range verr.Problems {
			msgs = append(msgs, p.Field+": "+p.Message)
		}
		return badRequest("Invalid value. " + strings.Join(msgs, "; "))
	case errors.As(err, &gerr):
		return badRequest(gerr.Error())
	case errors.As(err, &cerr):
		return &apiError{Status: http.StatusConflict, Code: codeConflict, Message: cerr.Message}
	case errors.As(err, &rerr):
		return &apiError{Status: http.StatusForbidden, Code: codeForbidden, Message: "Insufficient privileges to complete the operation: " + rerr.Error()}
	case errors.Is(err, storage.ErrNotFound):
		return &apiError{Status: http.StatusNotFound, Code: codeNotFound, Message: "Resource does not exist or one of its queried reference-property objects are not present: " + err.Error()}
	case errors.Is(err, storage.ErrAlreadyExists):
		return &apiError{Status: http.StatusConflict, Code: codeConflict, Message: "An object with the same key already exists."}
	case errors.Is(err, storage.ErrConflict):
		return &apiError{Status: http.StatusPreconditionFailed, Code: codePreconditionFails, Message: "The object changed meanwhile; read it again."}
	}
	return nil
}
