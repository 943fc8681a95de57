package admin_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
)

func TestGroupsAPI(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		groups := appCaller(t, env, "Group.ReadWrite.All")
		roleMgmt := appCaller(t, env, "RoleManagement.ReadWrite.Directory", "Group.Read.All")
		users := appCaller(t, env, "User.Read.All")
		ref := func(id string) map[string]any {
			return map[string]any{"@odata.id": env.Server.URL + "/v1.0/directoryObjects/" + id}
		}
		outer := groups.do("POST", "/v1.0/groups", map[string]any{"displayName": "Engineering", "mailNickname": "eng", "securityEnabled": true}).
			expect(t, http.StatusCreated, "create outer").Body["id"].(string)
		inner := groups.do("POST", "/v1.0/groups", map[string]any{"displayName": "Platform", "mailNickname": "platform", "securityEnabled": true}).
			expect(t, http.StatusCreated, "create inner").Body["id"].(string)

		groups.do("POST", "/v1.0/groups/"+inner+"/members/$ref", ref(env.User.ID)).expect(t, http.StatusNoContent, "add user")
		groups.do("POST", "/v1.0/groups/"+outer+"/members/$ref", ref(inner)).expect(t, http.StatusNoContent, "nest group")
		groups.do("POST", "/v1.0/groups/"+outer+"/members/$ref", ref(inner)).expect(t, http.StatusConflict, "add twice")
		groups.do("POST", "/v1.0/groups/"+inner+"/members/$ref", ref(outer)).expect(t, http.StatusBadRequest, "cycle (B-05)")
		groups.do("POST", "/v1.0/groups/"+outer+"/members/$ref", map[string]any{"@odata.id": ""}).expect(t, http.StatusBadRequest, "empty ref")
		groups.do("POST", "/v1.0/groups/"+outer+"/members/$ref", ref("00000000-0000-0000-0000-0000000000aa")).expect(t, http.StatusNotFound, "unknown member")
		groups.do("GET", "/v1.0/groups/00000000-0000-0000-0000-0000000000aa", nil).expect(t, http.StatusNotFound, "unknown group")
		users.do("POST", "/v1.0/groups/"+outer+"/members/$ref", ref(env.User.ID)).expect(t, http.StatusForbidden, "User.Read.All cannot change members")

		direct := groups.do("GET", "/v1.0/groups/"+outer+"/members", nil).expect(t, http.StatusOK, "members")
		if ids := idsOf(direct.Body); !slices.Equal(ids, []string{inner}) {
			t.Errorf("direct members = %v, want [%s]", ids, inner)
		}
		all := groups.do("GET", "/v1.0/groups/"+outer+"/transitiveMembers", nil).expect(t, http.StatusOK, "transitive")
		if ids := idsOf(all.Body); !slices.Contains(ids, env.User.ID) || !slices.Contains(ids, inner) {
			t.Errorf("transitive members = %v", ids)
		}
		memberOf := groups.do("GET", "/v1.0/users/"+env.User.ID+"/memberOf", nil).expect(t, http.StatusOK, "memberOf")
		if ids := idsOf(memberOf.Body); !slices.Equal(ids, []string{inner}) {
			t.Errorf("memberOf = %v, want only the direct group", ids)
		}
		check := groups.do("POST", "/v1.0/users/"+env.User.ID+"/checkMemberGroups", map[string]any{"groupIds": []string{outer, "nope"}}).
			expect(t, http.StatusOK, "checkMemberGroups")
		if v := check.Body["value"].([]any); len(v) != 1 || v[0] != outer {
			t.Errorf("checkMemberGroups = %s", check.Raw)
		}
		groups.do("POST", "/v1.0/users/"+env.User.ID+"/checkMemberGroups", map[string]any{"groupIds": []string{}}).expect(t, http.StatusBadRequest, "no ids")

		t.Run("updates with If-Match and refuses a stale ETag", func(t *testing.T) {
			tag := groups.do("GET", "/v1.0/groups/"+outer, nil).expect(t, http.StatusOK, "get").Header.Get("ETag")
			groups.do("PATCH", "/v1.0/groups/"+outer, map[string]any{"description": "Builders"}, "If-Match", tag).expect(t, http.StatusNoContent, "fresh")
			groups.do("PATCH", "/v1.0/groups/"+outer, map[string]any{"description": "Again"}, "If-Match", tag).expect(t, http.StatusPreconditionFailed, "stale")
			groups.do("PATCH", "/v1.0/groups/"+outer, map[string]any{"isAssignableToRole": true}).expect(t, http.StatusBadRequest, "fixed at creation (C-08)")
		})
		t.Run("role-assignable groups need RoleManagement.ReadWrite.Directory, not Group.ReadWrite.All (seed 001)", func(t *testing.T) {
			body := map[string]any{"displayName": "Tier 0", "mailNickname": "tier0", "securityEnabled": true, "isAssignableToRole": true}
			groups.do("POST", "/v1.0/groups", body).expect(t, http.StatusForbidden, "Group.ReadWrite.All creates none (C-11)")
			g, err := env.Directory.CreateGroup(context.Background(), directory.Actor{System: true}, env.Tenant.ID,
				directory.NewGroup{DisplayName: "Tier 0", MailNickname: "tier0", IsAssignableToRole: true})
			must(t, err)
			groups.do("POST", "/v1.0/groups/"+g.ID+"/members/$ref", ref(env.User.ID)).expect(t, http.StatusForbidden, "Group.ReadWrite.All")
			roleMgmt.do("POST", "/v1.0/groups/"+g.ID+"/members/$ref", ref(env.User.ID)).expect(t, http.StatusNoContent, "RoleManagement.ReadWrite.Directory")
			roleMgmt.do("POST", "/v1.0/groups/"+outer+"/members/$ref", ref(env.User.ID)).expect(t, http.StatusForbidden, "not for ordinary groups")
		})
		t.Run("removes members and owners by $ref", func(t *testing.T) {
			groups.do("POST", "/v1.0/groups/"+outer+"/owners/$ref", ref(env.User.ID)).expect(t, http.StatusNoContent, "add owner")
			groups.do("POST", "/v1.0/groups/"+outer+"/owners/$ref", ref(inner)).expect(t, http.StatusBadRequest, "a group as owner")
			groups.do("DELETE", "/v1.0/groups/"+outer+"/owners/"+env.User.ID+"/$ref", nil).expect(t, http.StatusNoContent, "remove owner")
			groups.do("DELETE", "/v1.0/groups/"+outer+"/members/"+inner+"/$ref", nil).expect(t, http.StatusNoContent, "remove member")
			groups.do("DELETE", "/v1.0/groups/"+outer+"/members/"+inner+"/$ref", nil).expect(t, http.StatusNotFound, "remove twice")
			groups.do("DELETE", "/v1.0/groups/"+outer, nil).expect(t, http.StatusNoContent, "delete group")
		})
	})
}

func idsOf(body map[string]any) []string {
	var out []string
	for _, v := range body["value"].([]any) {
		out = append(out, v.(map[string]any)["id"].(string))
	}
	slices.Sort(out)
	return out
}
