package admin

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/policy"
)

// Conditional Access over Graph's /identity/conditionalAccess (G-05, G-22):
// policies, named locations, templates and What-If; the rules live in
// server/access and server/policy.

const caBase = "identity/conditionalAccess/"

// readBody reads a JSON body of at most 1 MiB.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil {
		return nil, badRequest("The request body could not be read.")
	}
	if len(b) > 1<<20 {
		return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Code: codeBadRequest, Message: "The request body is larger than 1 MiB."}
	}
	if len(b) == 0 {
		return nil, badRequest("The request body is empty; send a JSON object.")
	}
	return b, nil
}

// force reads the ?force=true override of the lockout guardrail.
func force(r *http.Request) (bool, error) {
	v := r.URL.Query().Get("force")
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badRequest("force: not true or false")
	}
	return b, nil
}

func (h *Handler) listCAPolicies(w http.ResponseWriter, r *http.Request, c Caller) error {
	policies, err := h.Access.Policies(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": h.BaseURL + "/v1.0/$metadata#" + caBase + "policies", "value": orEmpty(policies)})
	return nil
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (h *Handler) getCAPolicy(w http.ResponseWriter, r *http.Request, c Caller) error {
	p, err := h.Access.Policy(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (h *Handler) createCAPolicy(w http.ResponseWriter, r *http.Request, c Caller) error {
	forced, err := force(r)
	if err != nil {
		return err
	}
	var p policy.Policy
	if err := decodeBody(r, &p); err != nil {
		return err
	}
	tenant, err := h.Store.GetTenant(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	out, err := h.Access.CreatePolicy(r.Context(), tenant, p, forced)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (h *Handler) updateCAPolicy(w http.ResponseWriter, r *http.Request, c Caller) error {
	forced, err := force(r)
	if err != nil {
		return err
	}
	body, err := readBody(r)
	if err != nil {
		return err
	}
	tenant, err := h.Store.GetTenant(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	_, err = h.Access.UpdatePolicy(r.Context(), tenant, r.PathValue("id"), body, forced)
	return noContent(w, err)
}

func (h *Handler) deleteCAPolicy(w http.ResponseWriter, r *http.Request, c Caller) error {
	return noContent(w, h.Access.DeletePolicy(r.Context(), c.TenantID, r.PathValue("id")))
}

// listCATemplates lists the recommended policies (G-19).
func (h *Handler) listCATemplates(w http.ResponseWriter, r *http.Request, _ Caller) error {
	var out []map[string]any
	for _, t := range policy.Templates() {
		out = append(out, map[string]any{"id": t.ID, "name": t.Policy.DisplayName, "description": t.Description,
			"details": map[string]any{"conditions": t.Policy.Conditions, "grantControls": t.Policy.GrantControls}})
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": h.BaseURL + "/v1.0/$metadata#" + caBase + "templates", "value": out})
	return nil
}

// instantiateCATemplate creates a template's policy in report-only state
// (Sigil's action; Graph's portal does the same from its template gallery).
func (h *Handler) instantiateCATemplate(w http.ResponseWriter, r *http.Request, c Caller) error {
	tenant, err := h.Store.GetTenant(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	p, err := h.Access.InstantiateTemplate(r.Context(), tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (h *Handler) listNamedLocations(w http.ResponseWriter, r *http.Request, c Caller) error {
	locs, err := h.Access.Locations(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": h.BaseURL + "/v1.0/$metadata#" + caBase + "namedLocations", "value": orEmpty(locs)})
	return nil
}

func (h *Handler) getNamedLocation(w http.ResponseWriter, r *http.Request, c Caller) error {
	l, err := h.Access.Location(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, l)
	return nil
}

func (h *Handler) createNamedLocation(w http.ResponseWriter, r *http.Request, c Caller) error {
	l, err := readLocation(r)
	if err != nil {
		return err
	}
	l.ID = ""
	out, err := h.Access.SaveLocation(r.Context(), c.TenantID, l)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (h *Handler) updateNamedLocation(w http.ResponseWriter, r *http.Request, c Caller) error {
	l, err := readLocation(r)
	if err != nil {
		return err
	}
	l.ID = r.PathValue("id")
	_, err = h.Access.SaveLocation(r.Context(), c.TenantID, l)
	return noContent(w, err)
}

func readLocation(r *http.Request) (policy.NamedLocation, error) {
	body, err := readBody(r)
	if err != nil {
		return policy.NamedLocation{}, err
	}
	var l policy.NamedLocation
	if err := json.Unmarshal(body, &l); err != nil {
		var verr *policy.ValidationError
		if errors.As(err, &verr) {
			return l, verr
		}
		return l, badRequest("The request body is not a named location: " + err.Error())
	}
	return l, nil
}

func (h *Handler) deleteNamedLocation(w http.ResponseWriter, r *http.Request, c Caller) error {
	return noContent(w, h.Access.DeleteLocation(r.Context(), c.TenantID, r.PathValue("id")))
}

// securityDefaultsJSON is Graph's identitySecurityDefaultsEnforcementPolicy.
func securityDefaultsJSON(enabled bool) map[string]any {
	return map[string]any{"id": "00000000-0000-0000-0000-000000000005", "displayName": "Security Defaults",
		"description": "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization.",
		"isEnabled":   enabled}
}

func (h *Handler) getSecurityDefaults(w http.ResponseWriter, r *http.Request, c Caller) error {
	t, err := h.Store.GetTenant(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, securityDefaultsJSON(t.Settings.SecurityDefaults))
	return nil
}

// updateSecurityDefaults turns security defaults on or off (F-15); with
// revokeSessions (Sigil's) enabling also ends every user's sign-ins (F-18).
func (h *Handler) updateSecurityDefaults(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body struct {
		IsEnabled      *bool `json:"isEnabled"`
		RevokeSessions bool  `json:"revokeSessions"`
	}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	if body.IsEnabled == nil {
		return badRequest("isEnabled: is required")
	}
	res, err := h.Directory.SetSecurityDefaults(r.Context(), c.actor(), c.TenantID,
		directory.SecurityDefaultsChange{Enabled: *body.IsEnabled, RevokeSessions: body.RevokeSessions})
	if err != nil {
		return err
	}
	out := securityDefaultsJSON(res.Tenant.Settings.SecurityDefaults)
	out["revokedRefreshTokens"] = res.RevokedRefreshTokens
	writeJSON(w, http.StatusOK, out)
	return nil
}
