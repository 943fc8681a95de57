package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/branding"
	"github.com/sigil-idp/sigil/server/bulk"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/storage"
)

// Handler serves the admin API. Every field is required except Logger.
type Handler struct {
	Directory *directory.Service
	Roles     *directory.Roles
	Store     storage.Storage
	Keys      *keys.Manager
	BaseURL   string // the public URL, without a trailing slash
	Secret    []byte // signs skip tokens
	Logger    *slog.Logger
	// Access changes Conditional Access configuration; Evaluator answers
	// What-If with the sign-in's own code.
	Access    *access.Admin
	Evaluator *access.Service
	// Branding edits company branding.
	Branding *branding.Service
	// Bulk takes CSV uploads and serves CSV downloads.
	Bulk *bulk.Service
}

// endpoint is an authenticated operation: the caller passed the table (or
// the table left the decision to the service's ownership check).
type endpoint func(w http.ResponseWriter, r *http.Request, c Caller) error

// Mount registers the /v1.0 routes.
func (h *Handler) Mount(mux *http.ServeMux) {
	routes := []struct {
		pattern, operation string
		fn                 endpoint
	}{
		{"GET /v1.0/users", OpListUsers, h.listUsers},
		{"POST /v1.0/users", OpCreateUser, h.createUser},
		{"GET /v1.0/users/{id}", OpReadUser, h.getUser},
		{"PATCH /v1.0/users/{id}", OpUpdateUser, h.updateUser},
		{"DELETE /v1.0/users/{id}", OpDeleteUser, h.deleteUser},
		{"GET /v1.0/users/{id}/memberOf", OpReadMembers, h.userMemberOf},
		{"GET /v1.0/groups", OpListGroups, h.listGroups},
		{"POST /v1.0/groups", "", h.createGroup},
		{"GET /v1.0/groups/{id}", OpReadGroup, h.getGroup},
		{"PATCH /v1.0/groups/{id}", OpUpdateGroup, h.updateGroup},
		{"DELETE /v1.0/groups/{id}", OpDeleteGroup, h.deleteGroup},
		{"GET /v1.0/groups/{id}/members", OpReadMembers, h.listMembers},
		{"GET /v1.0/groups/{id}/transitiveMembers", OpReadMembers, h.listTransitiveMembers},
		{"GET /v1.0/groups/{id}/owners", OpReadMembers, h.listOwners},
		{"POST /v1.0/groups/{id}/members/$ref", OpChangeMembers, h.addMember},
		{"DELETE /v1.0/groups/{id}/members/{member}/$ref", OpChangeMembers, h.removeMember},
		{"POST /v1.0/groups/{id}/owners/$ref", OpChangeOwners, h.addOwner},
		{"DELETE /v1.0/groups/{id}/owners/{owner}/$ref", OpChangeOwners, h.removeOwner},
		{"POST /v1.0/users/{id}/checkMemberGroups", OpReadMembers, h.checkMemberGroups},
		{"GET /v1.0/auditLogs/directoryAudits", OpReadAudit, h.listAudits},
		{"GET /v1.0/applications", OpReadApps, h.listApplications},
		{"POST /v1.0/applications", OpCreateApp, h.createApplication},
		{"GET /v1.0/applications/{id}", OpReadApps, h.getApplication},
		{"DELETE /v1.0/applications/{id}", OpDeleteApp, h.deleteApplication},
		{"POST /v1.0/applications/{id}/addPassword", OpAppCredentials, h.addPassword},
		{"GET /v1.0/policies/authorizationPolicy", OpReadPolicy, h.getPolicy},
		{"PATCH /v1.0/policies/authorizationPolicy", OpUpdatePolicy, h.updatePolicy},
		{"GET /v1.0/directoryRoles", OpReadRoles, h.listDirectoryRoles},
		{"GET /v1.0/directoryRoles/{id}/members", OpReadRoles, h.listDirectoryRoleMembers},
		{"GET /v1.0/roleManagement/directory/roleDefinitions", OpReadRoles, h.listRoleDefinitions},
		{"GET /v1.0/roleManagement/directory/roleDefinitions/{id}", OpReadRoles, h.getRoleDefinition},
		{"GET /v1.0/roleManagement/directory/roleAssignments", OpReadRoles, h.listRoleAssignments},
		{"GET /v1.0/roleManagement/directory/roleAssignments/{id}", OpReadRoles, h.getRoleAssignment},
		{"POST /v1.0/roleManagement/directory/roleAssignments", OpAssignRole, h.createRoleAssignment},
		{"DELETE /v1.0/roleManagement/directory/roleAssignments/{id}", OpAssignRole, h.deleteRoleAssignment},
		{"GET /v1.0/identity/conditionalAccess/policies", OpReadCA, h.listCAPolicies},
		{"POST /v1.0/identity/conditionalAccess/policies", OpWriteCA, h.createCAPolicy},
		{"GET /v1.0/identity/conditionalAccess/policies/{id}", OpReadCA, h.getCAPolicy},
		{"PATCH /v1.0/identity/conditionalAccess/policies/{id}", OpWriteCA, h.updateCAPolicy},
		{"DELETE /v1.0/identity/conditionalAccess/policies/{id}", OpWriteCA, h.deleteCAPolicy},
		{"GET /v1.0/identity/conditionalAccess/templates", OpReadCA, h.listCATemplates},
		{"POST /v1.0/identity/conditionalAccess/templates/{id}/instantiate", OpWriteCA, h.instantiateCATemplate},
		{"POST /v1.0/identity/conditionalAccess/evaluate", OpReadCA, h.whatIf},
		{"GET /v1.0/identity/conditionalAccess/namedLocations", OpReadCA, h.listNamedLocations},
		{"POST /v1.0/identity/conditionalAccess/namedLocations", OpWriteCA, h.createNamedLocation},
		{"GET /v1.0/identity/conditionalAccess/namedLocations/{id}", OpReadCA, h.getNamedLocation},
		{"PATCH /v1.0/identity/conditionalAccess/namedLocations/{id}", OpWriteCA, h.updateNamedLocation},
		{"DELETE /v1.0/identity/conditionalAccess/namedLocations/{id}", OpWriteCA, h.deleteNamedLocation},
		{"GET /v1.0/policies/identitySecurityDefaultsEnforcementPolicy", OpReadCA, h.getSecurityDefaults},
		{"PATCH /v1.0/policies/identitySecurityDefaultsEnforcementPolicy", OpSecurityDefaults, h.updateSecurityDefaults},
		{"GET /v1.0/identityGovernance/termsOfUse/agreements", OpReadCA, h.listAgreements},
		{"POST /v1.0/identityGovernance/termsOfUse/agreements", OpWriteCA, h.createAgreement},
		{"PATCH /v1.0/identityGovernance/termsOfUse/agreements/{id}", OpWriteCA, h.updateAgreement},
		{"GET /v1.0/auditLogs/signIns", OpReadSignIns, h.listSignIns},
		{"GET /v1.0/identityProtection/riskyUsers", OpReadRisk, h.listRiskyUsers},
		{"POST /v1.0/identityProtection/riskyUsers/confirmCompromised", OpWriteRisk, h.confirmCompromised},
		{"POST /v1.0/identityProtection/riskyUsers/dismiss", OpWriteRisk, h.dismissRisk},
		{"POST /v1.0/bulk/{operation}", "", h.submitBulk},
		{"GET /v1.0/bulk/jobs", "", h.listBulkJobs},
		{"GET /v1.0/bulk/jobs/{id}", "", h.getBulkJob},
		{"GET /v1.0/bulk/jobs/{id}/results", "", h.bulkResults},
		{"GET /v1.0/bulk/export/users", OpListUsers, h.exportUsers},
		{"GET /v1.0/bulk/export/groups", OpListGroups, h.exportGroups},
		{"GET /v1.0/bulk/export/groups/{id}/members", OpReadMembers, h.exportMembers},
		{"GET /v1.0/organization/{org}/branding", OpReadBranding, h.getBranding},
		{"PATCH /v1.0/organization/{org}/branding", OpWriteBranding, h.patchBranding},
		{"DELETE /v1.0/organization/{org}/branding", OpWriteBranding, h.resetBranding},
		{"GET /v1.0/organization/{org}/branding/draft", OpReadBranding, h.getBrandingDraft},
		{"DELETE /v1.0/organization/{org}/branding/draft", OpWriteBranding, h.discardBrandingDraft},
		{"POST /v1.0/organization/{org}/branding/publish", OpWriteBranding, h.publishBranding},
		{"GET /v1.0/organization/{org}/branding/localizations", OpReadBranding, h.listLocalizations},
		{"POST /v1.0/organization/{org}/branding/localizations", OpWriteBranding, h.createLocalization},
		{"GET /v1.0/organization/{org}/branding/localizations/{locale}", OpReadBranding, h.getLocalization},
		{"PATCH /v1.0/organization/{org}/branding/localizations/{locale}", OpWriteBranding, h.patchBranding},
		{"DELETE /v1.0/organization/{org}/branding/localizations/{locale}", OpWriteBranding, h.deleteLocalization},
		{"GET /v1.0/organization/{org}/branding/{stream}", OpReadBranding, h.getBrandingStream},
		{"PUT /v1.0/organization/{org}/branding/{stream}", OpWriteBranding, h.putBrandingStream},
		{"GET /v1.0/organization/{org}/branding/localizations/{locale}/{stream}", OpReadBranding, h.getBrandingStream},
		{"PUT /v1.0/organization/{org}/branding/localizations/{locale}/{stream}", OpWriteBranding, h.putBrandingStream},
	}
	for _, rt := range routes {
		mux.Handle(rt.pattern, h.wrap(rt.operation, rt.fn))
	}
	mux.HandleFunc("GET /v1.0/openapi.json", h.openAPI)
}

// wrap authenticates the caller, applies the permission table (operation ""
// lets the endpoint decide, for operations chosen by the body), puts the
// caller into the context for the audit log and maps errors to Graph's.
func (h *Handler) wrap(operation string, fn endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, aerr := h.authenticate(r)
		if aerr != nil {
			writeError(w, r, aerr)
			return
		}
		if operation != "" && Decide(operation, c) == Denied && !selfRead(operation, r, c) {
			writeError(w, r, forbidden(operation))
			return
		}
		ctx := directory.WithAuditActor(r.Context(), c.auditActor())
		if err := fn(w, r.WithContext(ctx), c); err != nil {
			h.fail(w, r, err)
		}
	})
}

func forbidden(operation string) *apiError {
	return &apiError{Status: http.StatusForbidden, Code: codeForbidden,
		Message: "Insufficient privileges to complete the operation (" + operation + ")."}
}

// selfRead lets every user, guests included, read their own user object (I-05).
func selfRead(operation string, r *http.Request, c Caller) bool {
	return operation == OpReadUser && !c.App && (r.PathValue("id") == c.UserID || strings.EqualFold(r.PathValue("id"), c.UserName))
}

func (c Caller) auditActor() directory.AuditActor {
	if c.App {
		return directory.AuditActor{Type: storage.AuditActorApp, ID: c.ClientID, Name: c.ClientID}
	}
	return directory.AuditActor{Type: storage.AuditActorUser, ID: c.UserID, Name: c.UserName}
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if aerr := fromService(err); aerr != nil {
		writeError(w, r, aerr)
		return
	}
	if h.Logger != nil {
		h.Logger.ErrorContext(r.Context(), "admin api", "err", err)
	}
	writeError(w, r, &apiError{Status: http.StatusInternalServerError, Code: codeInternal, Message: "An internal error occurred; quote the request ID."})
}

// decodeBody reads a JSON object into v, refusing unknown properties, wrong
// types, trailing data and bodies over 1 MiB with a clear 400.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case err == nil && dec.More():
		return badRequest("The request body holds more than one JSON value.")
	case err == nil:
		return nil
	case errors.Is(err, io.EOF):
		return badRequest("The request body is empty; send a JSON object.")
	case errors.As(err, &typeErr):
		return badRequest(fmt.Sprintf("Property '%s' has the wrong type: expected %s.", typeErr.Field, typeErr.Type))
	case errors.As(err, &syntaxErr):
		return badRequest(fmt.Sprintf("The request body is not valid JSON (offset %d).", syntaxErr.Offset))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return badRequest("Property " + strings.TrimPrefix(err.Error(), "json: unknown field ") + " does not exist on this type.")
	}
	return badRequest("The request body could not be read as JSON.")
}

// etag is the weak entity tag of an object version.
func etag(id string, updated time.Time) string {
	return fmt.Sprintf(`W/"%x-%x"`, len(id), updated.UTC().UnixMicro())
}

// checkIfMatch answers 412 when If-Match names another version.
func checkIfMatch(r *http.Request, current string) error {
	want := r.Header.Get("If-Match")
	if want == "" || want == "*" || want == current {
		return nil
	}
	return &apiError{Status: http.StatusPreconditionFailed, Code: codePreconditionFails,
		Message: "The object changed since it was read (If-Match does not match its ETag); read it again."}
}

// inTx runs fn in a storage transaction, so an If-Match check and the change
// it guards see the same version.
func (h *Handler) inTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return h.Store.InTx(ctx, fn)
}
