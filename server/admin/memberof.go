package admin

import (
	"net/http"
	"slices"

	"github.com/sigil-idp/sigil/storage"
)

// userMemberOf lists the groups the user is a direct member of.
func (h *Handler) userMemberOf(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), directoryObjectFields, r.Header.Get("ConsistencyLevel"))
	if aerr != nil {
		return aerr
	}
	memberships, err := h.membershipsOf(r, c)
	if err != nil {
		return err
	}
	var groups []storage.GroupMember
	for _, m := range memberships {
		if m.Direct {
			groups = append(groups, storage.GroupMember{ID: m.GroupID, Type: storage.MemberTypeGroup})
		}
	}
	objs, err := h.memberObjects(r.Context(), c.TenantID, groups)
	if err != nil {
		return err
	}
	h.writePage(w, r, "directoryObjects", q, filtered(objs, q))
	return nil
}

func (h *Handler) membershipsOf(r *http.Request, c Caller) ([]storage.GroupMembership, error) {
	u, err := h.Directory.GetUser(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return h.Store.TransitiveGroupsOfUser(r.Context(), c.TenantID, u.ID)
}

// checkMemberGroupsBody is the body of checkMemberGroups.
type checkMemberGroupsBody struct {
	GroupIDs []string `json:"groupIds"`
}

// checkMemberGroups answers which of up to 20 groups the user belongs to,
// directly or transitively (Graph's checkMemberGroups).
func (h *Handler) checkMemberGroups(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body checkMemberGroupsBody
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	if len(body.GroupIDs) == 0 || len(body.GroupIDs) > 20 {
		return badRequest("Invalid value. groupIds: give between 1 and 20 group IDs.")
	}
	memberships, err := h.membershipsOf(r, c)
	if err != nil {
		return err
	}
	value := []string{}
	for _, id := range body.GroupIDs {
		if slices.ContainsFunc(memberships, func(m storage.GroupMembership) bool { return m.GroupID == id }) {
			value = append(value, id)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": h.BaseURL + "/v1.0/$metadata#Collection(Edm.String)", "value": value})
	return nil
}
