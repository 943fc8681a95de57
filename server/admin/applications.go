package admin

import (
	"net/http"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var applicationFields = resourceFields{
	Selectable: []string{"id", "appId", "displayName", "createdDateTime", "web", "spa", "publicClient", "passwordCredentials", "groupMembershipClaims"},
	Filterable: []string{"id", "appId", "displayName"},
}

// applicationJSON is Graph's application: redirect URIs under web (a
// confidential app) or spa (a public one); secrets only by ID and hint.
func applicationJSON(a *storage.Application) map[string]any {
	creds := make([]map[string]any, 0, len(a.Secrets))
	for _, s := range a.Secrets {
		c := map[string]any{"keyId": s.ID, "hint": s.Hint, "startDateTime": s.CreatedAt.UTC().Format(time.RFC3339), "endDateTime": nil}
		if s.ExpiresAt != nil {
			c["endDateTime"] = s.ExpiresAt.UTC().Format(time.RFC3339)
		}
		creds = append(creds, c)
	}
	uris := map[string]any{"redirectUris": nonNil(a.RedirectURIs)}
	web, spa := map[string]any{"redirectUris": []string{}}, map[string]any{"redirectUris": []string{}}
	if a.Public {
		spa = uris
	} else {
		web = uris
	}
	return map[string]any{
		"id": a.ID, "appId": a.ID, "displayName": a.DisplayName, "createdDateTime": a.CreatedAt.UTC().Format(time.RFC3339),
		"web": web, "spa": spa, "publicClient": map[string]any{"redirectUris": []string{}},
		"passwordCredentials": creds, "groupMembershipClaims": nullable(a.GroupMembershipClaims),
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (h *Handler) listApplications(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), applicationFields, r.Header.Get("ConsistencyLevel"))
	if aerr != nil {
		return aerr
	}
	apps, err := h.Directory.ListApplications(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	all := make([]map[string]any, 0, len(apps))
	for i := range apps {
		if obj := applicationJSON(&apps[i]); matches(obj, q.Filter) {
			all = append(all, obj)
		}
	}
	h.writePage(w, r, "applications", q, all)
	return nil
}

func (h *Handler) getApplication(w http.ResponseWriter, r *http.Request, c Caller) error {
	a, err := h.Directory.GetApplication(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return err
	}
	h.writeObject(w, http.StatusOK, "applications/$entity", etag(a.ID, a.UpdatedAt), applicationJSON(a))
	return nil
}

// redirectSet is Graph's web / spa object of a new application.
type redirectSet struct {
	RedirectURIs []string `json:"redirectUris"`
}

// newApplicationBody is the body of POST /applications.
type newApplicationBody struct {
	DisplayName string       `json:"displayName"`
	Web         *redirectSet `json:"web"`
	Spa         *redirectSet `json:"spa"`
}

// createApplication registers an app: a spa object makes it public, a web
// object confidential with a first secret, returned once in
// passwordCredentials[0].secretText.
func (h *Handler) createApplication(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body newApplicationBody
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	if body.Web != nil && body.Spa != nil {
		return badRequest("Invalid value. Give either web or spa redirect URIs, not both.")
	}
	in := directory.NewApplication{DisplayName: body.DisplayName}
	switch {
	case body.Spa != nil:
		in.Public, in.RedirectURIs = true, body.Spa.RedirectURIs
	case body.Web != nil:
		in.RedirectURIs = body.Web.RedirectURIs
	}
	a, secret, err := h.Directory.CreateApplication(r.Context(), c.TenantID, in)
	if err != nil {
		return err
	}
	obj := applicationJSON(a)
	if secret != "" {
		creds := obj["passwordCredentials"].([]map[string]any)
		creds[0]["secretText"] = secret
	}
	w.Header().Set("Location", h.BaseURL+"/v1.0/applications/"+a.ID)
	h.writeObject(w, http.StatusCreated, "applications/$entity", etag(a.ID, a.UpdatedAt), obj)
	return nil
}

func (h *Handler) deleteApplication(w http.ResponseWriter, r *http.Request, c Caller) error {
	return noContent(w, h.Directory.DeleteApplication(r.Context(), c.TenantID, r.PathValue("id")))
}

// addPassword is Graph's application addPassword: a new secret, shown once.
func (h *Handler) addPassword(w http.ResponseWriter, r *http.Request, c Caller) error {
	secret, err := h.Directory.AddClientSecret(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": h.BaseURL + "/v1.0/$metadata#microsoft.graph.passwordCredential",
		"secretText": secret, "hint": secret[:3]})
	return nil
}
