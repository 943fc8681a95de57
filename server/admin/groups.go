package admin

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var groupFields = resourceFields{
	Selectable: []string{"id", "displayName", "description", "mailNickname", "mail", "mailEnabled", "securityEnabled",
		"groupTypes", "membershipRule", "isAssignableToRole", "createdDateTime"},
	Filterable: []string{"id", "displayName", "description", "mailNickname", "mail", "mailEnabled", "securityEnabled", "isAssignableToRole"},
}

// groupJSON is a group in Graph's shape.
func groupJSON(g *storage.Group) map[string]any {
	types := []string{}
	if g.Type == storage.GroupTypeMicrosoft365 {
		types = append(types, "Unified")
	}
	if g.Dynamic() {
		types = append(types, "DynamicMembership")
	}
	return map[string]any{
		"@odata.type": "#microsoft.graph.group", "id": g.ID, "displayName": g.DisplayName,
		"description": nullable(g.Description), "mailNickname": g.MailNickname, "mail": nullable(g.Mail),
		"mailEnabled": g.MailEnabled, "securityEnabled": g.SecurityEnabled, "groupTypes": types,
		"membershipRule": nullable(g.MembershipRule), "isAssignableToRole": g.IsAssignableToRole,
		"createdDateTime": g.CreatedAt.UTC().Format(time.RFC3339),
	}
}

func (h *Handler) listGroups(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), groupFields, r.Header.Get("ConsistencyLevel"))
	if aerr != nil {
		return aerr
	}
	groups, err := h.Directory.ListGroups(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	all := make([]map[string]any, 0, len(groups))
	for i := range groups {
		if obj := groupJSON(&groups[i]); matches(obj, q.Filter) {
			all = append(all, obj)
		}
	}
	h.writePage(w, r, "groups", q, all)
	return nil
}

func (h *Handler) getGroup(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), groupFields, "")
	if aerr != nil {
		return aerr
	}
	g, err := h.Directory.GetGroup(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return err
	}
	h.writeObject(w, http.StatusOK, "groups/$entity", etag(g.ID, g.UpdatedAt), project(groupJSON(g), q.Select))
	return nil
}

// newGroupBody is the body of POST /groups.
type newGroupBody struct {
	DisplayName        string   `json:"displayName"`
	Description        string   `json:"description"`
	MailNickname       string   `json:"mailNickname"`
	MailEnabled        bool     `json:"mailEnabled"`
	SecurityEnabled    bool     `json:"securityEnabled"`
	GroupTypes         []string `json:"groupTypes"`
	MembershipRule     string   `json:"membershipRule"`
	IsAssignableToRole bool     `json:"isAssignableToRole"`
}

// createGroup picks the operation from the body: a Microsoft 365 group
// ("Unified") or a security group, each with its own default permission.
func (h *Handler) createGroup(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body newGroupBody
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	in := directory.NewGroup{DisplayName: body.DisplayName, Description: body.Description, MailNickname: body.MailNickname,
		Type: storage.GroupTypeSecurity, MembershipRule: body.MembershipRule, IsAssignableToRole: body.IsAssignableToRole}
	op := OpCreateSecurityGroup
	for _, t := range body.GroupTypes {
		switch t {
		case "Unified":
			in.Type, op = storage.GroupTypeMicrosoft365, OpCreateM365Group
		case "DynamicMembership":
		default:
			return badRequest("Invalid value. groupTypes: " + t + " is not Unified or DynamicMembership.")
		}
	}
	decision := Decide(op, c)
	if decision == Denied {
		return forbidden(op)
	}
	actor := c.actor()
	actor.MayCreateGroups = !c.App && decision == Allowed && len(c.RoleIDs) == 0
	g, err := h.Directory.CreateGroup(r.Context(), actor, c.TenantID, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", h.BaseURL+"/v1.0/groups/"+g.ID)
	h.writeObject(w, http.StatusCreated, "groups/$entity", etag(g.ID, g.UpdatedAt), groupJSON(g))
	return nil
}

// groupPatch is the body of PATCH /groups/{id}.
type groupPatch struct {
	DisplayName  *string `json:"displayName"`
	Description  *string `json:"description"`
	MailNickname *string `json:"mailNickname"`
}

func (h *Handler) updateGroup(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body groupPatch
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	err := h.inTx(r.Context(), func(ctx context.Context) error {
		g, err := h.Directory.GetGroup(ctx, c.TenantID, r.PathValue("id"))
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, etag(g.ID, g.UpdatedAt)); err != nil {
			return err
		}
		_, err = h.Directory.UpdateGroup(ctx, c.actor(), c.TenantID, g.ID, directory.GroupChange{
			DisplayName: body.DisplayName, Description: body.Description, MailNickname: body.MailNickname})
		return err
	})
	return noContent(w, err)
}

func (h *Handler) deleteGroup(w http.ResponseWriter, r *http.Request, c Caller) error {
	return noContent(w, h.Directory.DeleteGroup(r.Context(), c.actor(), c.TenantID, r.PathValue("id")))
}

// memberObjects renders members as directoryObjects (users and groups).
func (h *Handler) memberObjects(ctx context.Context, tenantID string, members []storage.GroupMember) ([]map[string]any, error) {
	out := make([]map[string]any, 0, len(members))
	for _, m := range members {
		if m.Type == storage.MemberTypeGroup {
			g, err := h.Directory.GetGroup(ctx, tenantID, m.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, groupJSON(g))
			continue
		}
		u, err := h.Directory.GetUser(ctx, tenantID, m.ID)
		if err != nil {
			return nil, err
		}
		obj := userJSON(u)
		obj["@odata.type"] = "#microsoft.graph.user"
		out = append(out, obj)
	}
	return out, nil
}

func (h *Handler) listMembers(w http.ResponseWriter, r *http.Request, c Caller) error {
	return h.listMembersOf(w, r, c, false)
}

func (h *Handler) listTransitiveMembers(w http.ResponseWriter, r *http.Request, c Caller) error {
	return h.listMembersOf(w, r, c, true)
}

func (h *Handler) listMembersOf(w http.ResponseWriter, r *http.Request, c Caller, transitive bool) error {
	q, aerr := h.parseQuery(r.URL.Query(), directoryObjectFields, r.Header.Get("ConsistencyLevel"))
	if aerr != nil {
		return aerr
	}
	members, err := h.Directory.ListGroupMembers(r.Context(), c.TenantID, r.PathValue("id"), transitive)
	if err != nil {
		return err
	}
	objs, err := h.memberObjects(r.Context(), c.TenantID, members)
	if err != nil {
		return err
	}
	h.writePage(w, r, "directoryObjects", q, filtered(objs, q))
	return nil
}

// directoryObjectFields are what users and groups share.
var directoryObjectFields = resourceFields{
	Selectable: []string{"id", "displayName", "mail"},
	Filterable: []string{"id", "displayName", "mail"},
}

func filtered(objs []map[string]any, q query) []map[string]any {
	return slices.DeleteFunc(objs, func(o map[string]any) bool { return !matches(o, q.Filter) })
}

func (h *Handler) listOwners(w http.ResponseWriter, r *http.Request, c Caller) error {
	q, aerr := h.parseQuery(r.URL.Query(), directoryObjectFields, "")
	if aerr != nil {
		return aerr
	}
	ids, err := h.Directory.ListGroupOwners(r.Context(), c.TenantID, r.PathValue("id"))
	if err != nil {
		return err
	}
	members := make([]storage.GroupMember, 0, len(ids))
	for _, id := range ids {
		members = append(members, storage.GroupMember{ID: id, Type: storage.MemberTypeUser})
	}
	objs, err := h.memberObjects(r.Context(), c.TenantID, members)
	if err != nil {
		return err
	}
	h.writePage(w, r, "directoryObjects", q, filtered(objs, q))
	return nil
}

// refBody is the body of a $ref POST: {"@odata.id": ".../directoryObjects/{id}"}.
type refBody struct {
	ODataID string `json:"@odata.id"`
}

// refTarget resolves a $ref body to a user or group of the tenant.
func (h *Handler) refTarget(r *http.Request, tenantID string) (storage.GroupMember, error) {
	var body refBody
	if err := decodeBody(r, &body); err != nil {
		return storage.GroupMember{}, err
	}
	i := strings.LastIndex(body.ODataID, "/")
	id := body.ODataID[i+1:]
	if id == "" {
		return storage.GroupMember{}, badRequest("Invalid value. @odata.id: must be the URL of a directory object, e.g. " + h.BaseURL + "/v1.0/directoryObjects/{id}.")
	}
	return h.memberByID(r.Context(), tenantID, id)
}

func (h *Handler) memberByID(ctx context.Context, tenantID, id string) (storage.GroupMember, error) {
	if _, err := h.Directory.GetUser(ctx, tenantID, id); err == nil {
		return storage.GroupMember{ID: id, Type: storage.MemberTypeUser}, nil
	} else if !errors.Is(err, storage.ErrNotFound) {
		return storage.GroupMember{}, err
	}
	if _, err := h.Directory.GetGroup(ctx, tenantID, id); err != nil {
		return storage.GroupMember{}, &apiError{Status: http.StatusNotFound, Code: codeNotFound,
			Message: "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present."}
	}
	return storage.GroupMember{ID: id, Type: storage.MemberTypeGroup}, nil
}

func (h *Handler) addMember(w http.ResponseWriter, r *http.Request, c Caller) error {
	m, err := h.refTarget(r, c.TenantID)
	if err != nil {
		return err
	}
	return noContent(w, h.Directory.AddGroupMember(r.Context(), c.actor(), c.TenantID, r.PathValue("id"), m))
}

func (h *Handler) removeMember(w http.ResponseWriter, r *http.Request, c Caller) error {
	m, err := h.memberByID(r.Context(), c.TenantID, r.PathValue("member"))
	if err != nil {
		return err
	}
	return noContent(w, h.Directory.RemoveGroupMember(r.Context(), c.actor(), c.TenantID, r.PathValue("id"), m))
}

func (h *Handler) addOwner(w http.ResponseWriter, r *http.Request, c Caller) error {
	m, err := h.refTarget(r, c.TenantID)
	if err != nil {
		return err
	}
	if m.Type != storage.MemberTypeUser {
		return badRequest("Invalid value. @odata.id: owners must be users.")
	}
	return noContent(w, h.Directory.AddGroupOwner(r.Context(), c.actor(), c.TenantID, r.PathValue("id"), m.ID))
}

func (h *Handler) removeOwner(w http.ResponseWriter, r *http.Request, c Caller) error {
	return noContent(w, h.Directory.RemoveGroupOwner(r.Context(), c.actor(), c.TenantID, r.PathValue("id"), r.PathValue("owner")))
}
