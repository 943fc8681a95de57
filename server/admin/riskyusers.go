package admin

import (
	"net/http"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// Risky users (Graph identityProtection/riskyUsers, G-12): administrators
// list them, confirm a compromise (risk high) or dismiss the risk.

func (h *Handler) listRiskyUsers(w http.ResponseWriter, r *http.Request, c Caller) error {
	risks, err := h.Store.ListRiskyUsers(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(risks))
	for _, rk := range risks {
		obj := map[string]any{"id": rk.UserID, "riskLevel": rk.Level, "riskState": rk.State, "riskDetail": rk.Detail,
			"riskLastUpdatedDateTime": rk.UpdatedAt.UTC().Format(time.RFC3339Nano)}
		if u, err := h.Store.GetUser(r.Context(), c.TenantID, rk.UserID); err == nil {
			obj["userPrincipalName"], obj["userDisplayName"] = u.UserPrincipalName, u.DisplayName
		}
		out = append(out, obj)
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": h.BaseURL + "/v1.0/$metadata#identityProtection/riskyUsers", "value": out})
	return nil
}

func (h *Handler) confirmCompromised(w http.ResponseWriter, r *http.Request, c Caller) error {
	return h.setRisk(w, r, c, "high", "confirmedCompromised")
}

func (h *Handler) dismissRisk(w http.ResponseWriter, r *http.Request, c Caller) error {
	return h.setRisk(w, r, c, "none", "dismissed")
}

func (h *Handler) setRisk(w http.ResponseWriter, r *http.Request, c Caller, level, state string) error {
	var body struct {
		UserIDs []string `json:"userIds"`
	}
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	if len(body.UserIDs) == 0 || len(body.UserIDs) > 60 {
		return badRequest("userIds: name 1 to 60 users")
	}
	by := c.UserName
	if c.App {
		by = c.ClientID
	}
	return noContent(w, h.Access.SetUserRisk(r.Context(), c.TenantID, body.UserIDs, level, state, by))
}

// Terms of use (Graph identityGovernance/termsOfUse/agreements, G-25): Sigil
// keeps the text itself (content) rather than Graph's uploaded files.

func agreementJSON(t storage.TermsOfUse) map[string]any {
	return map[string]any{"id": t.ID, "displayName": t.DisplayName, "content": t.Content, "version": t.Version,
		"createdDateTime": t.CreatedAt.UTC().Format(time.RFC3339Nano), "modifiedDateTime": t.ModifiedAt.UTC().Format(time.RFC3339Nano)}
}

func (h *Handler) listAgreements(w http.ResponseWriter, r *http.Request, c Caller) error {
	terms, err := h.Store.ListTermsOfUse(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(terms))
	for _, t := range terms {
		out = append(out, agreementJSON(t))
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": h.BaseURL + "/v1.0/$metadata#identityGovernance/termsOfUse/agreements", "value": out})
	return nil
}

type agreementBody struct {
	DisplayName string `json:"displayName"`
	Content     string `json:"content"`
}

func (h *Handler) createAgreement(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body agreementBody
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	t, err := h.Access.SaveTerms(r.Context(), c.TenantID, storage.TermsOfUse{DisplayName: body.DisplayName, Content: body.Content})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, agreementJSON(t))
	return nil
}

func (h *Handler) updateAgreement(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body agreementBody
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	_, err := h.Access.SaveTerms(r.Context(), c.TenantID, storage.TermsOfUse{ID: r.PathValue("id"), DisplayName: body.DisplayName, Content: body.Content})
	return noContent(w, err)
}
