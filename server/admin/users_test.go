package admin_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
)

func TestUsersAPI(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		admin := appCaller(t, env, "User.ReadWrite.All", "AuditLog.Read.All")
		reader := appCaller(t, env, "User.Read.All")
		newUser := map[string]any{"accountEnabled": true, "displayName": "Megan Bowen", "mailNickname": "megan",
			"userPrincipalName": "megan@" + env.Domain, "passwordProfile": map[string]any{"password": "Blue-Harbour-Lantern-42"}}

		created := admin.do("POST", "/v1.0/users", newUser).expect(t, http.StatusCreated, "create")
		id, _ := created.Body["id"].(string)
		if created.Body["userPrincipalName"] != "megan@"+env.Domain || created.Header.Get("ETag") == "" {
			t.Errorf("created = %s", created.Raw)
		}
		admin.do("POST", "/v1.0/users", newUser).expect(t, http.StatusConflict, "duplicate UPN")
		got := reader.do("GET", "/v1.0/users/"+id, nil).expect(t, http.StatusOK, "get")
		tag := got.Header.Get("ETag")

		t.Run("refuses bad input with 400", func(t *testing.T) {
			for name, body := range map[string]any{
				"not JSON":          `{"displayName":`,
				"unknown property":  map[string]any{"displayName": "x", "favouriteColour": "blue"},
				"wrong type":        map[string]any{"accountEnabled": "yes"},
				"missing password":  map[string]any{"userPrincipalName": "x@" + env.Domain},
				"UPN on other host": map[string]any{"userPrincipalName": "x@elsewhere.test", "passwordProfile": map[string]any{"password": "Blue-Harbour-Lantern-42"}},
			} {
				if r := admin.do("POST", "/v1.0/users", body); r.Status != http.StatusBadRequest {
					t.Errorf("%s: status %d: %s", name, r.Status, r.Raw)
				}
			}
			admin.do("GET", "/v1.0/users?$filter=displayName+gt+'a'", nil).expect(t, http.StatusBadRequest, "unsupported operator")
			admin.do("GET", "/v1.0/users?$filter=passwordHash+eq+'a'", nil).expect(t, http.StatusBadRequest, "unknown property")
			admin.do("GET", "/v1.0/users?$top=0", nil).expect(t, http.StatusBadRequest, "top 0")
			admin.do("GET", "/v1.0/users?$count=true", nil).expect(t, http.StatusBadRequest, "count without ConsistencyLevel")
			admin.do("GET", "/v1.0/users?$skiptoken=forged", nil).expect(t, http.StatusBadRequest, "forged skip token")
		})
		t.Run("refuses a missing or invalid token with 401", func(t *testing.T) {
			(&api{t: t, env: env}).do("GET", "/v1.0/users", nil).expect(t, http.StatusUnauthorized, "no token")
			(&api{t: t, env: env, token: "not.a.jwt"}).do("GET", "/v1.0/users", nil).expect(t, http.StatusUnauthorized, "garbage")
			tampered := reader.token[:len(reader.token)-4] + "AAAA"
			(&api{t: t, env: env, token: tampered}).do("GET", "/v1.0/users", nil).expect(t, http.StatusUnauthorized, "bad signature")
		})
		t.Run("refuses an operation the permission table denies with 403", func(t *testing.T) {
			r := reader.do("PATCH", "/v1.0/users/"+id, map[string]any{"displayName": "Nope"}).expect(t, http.StatusForbidden, "read-only app")
			if r.code() != "Authorization_RequestDenied" {
				t.Errorf("code = %q", r.code())
			}
			reader.do("GET", "/v1.0/auditLogs/directoryAudits", nil).expect(t, http.StatusForbidden, "audit without AuditLog.Read.All")
		})
		t.Run("answers 404 for an unknown user", func(t *testing.T) {
			admin.do("GET", "/v1.0/users/00000000-0000-0000-0000-000000000001", nil).expect(t, http.StatusNotFound, "unknown id")
		})
		t.Run("updates with a fresh ETag and refuses a stale one with 412", func(t *testing.T) {
			admin.do("PATCH", "/v1.0/users/"+id, map[string]any{"jobTitle": "x"}).expect(t, http.StatusBadRequest, "unknown patch property")
			admin.do("PATCH", "/v1.0/users/"+id, map[string]any{"displayName": "Megan B."}, "If-Match", tag).expect(t, http.StatusNoContent, "fresh")
			admin.do("PATCH", "/v1.0/users/"+id, map[string]any{"displayName": "Megan C."}, "If-Match", tag).expect(t, http.StatusPreconditionFailed, "stale")
			admin.do("DELETE", "/v1.0/users/"+id, nil, "If-Match", tag).expect(t, http.StatusPreconditionFailed, "stale delete")
			if r := reader.do("GET", "/v1.0/users/"+id, nil); r.Body["displayName"] != "Megan B." {
				t.Errorf("after update: %s", r.Raw)
			}
		})
		t.Run("writes the change's audit record under the request ID (K-10)", func(t *testing.T) {
			r := admin.do("GET", "/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName+eq+'Update+user'", nil).expect(t, http.StatusOK, "audits")
			recs, _ := r.Body["value"].([]any)
			if len(recs) != 1 {
				t.Fatalf("update records = %s", r.Raw)
			}
			rec := recs[0].(map[string]any)
			app := rec["initiatedBy"].(map[string]any)["app"].(map[string]any)
			target := rec["targetResources"].([]any)[0].(map[string]any)
			mod := target["modifiedProperties"].([]any)[0].(map[string]any)
			if app["appId"] == "" || target["id"] != id || mod["displayName"] != "displayName" || mod["newValue"] != `"Megan B."` || rec["correlationId"] == "" {
				t.Errorf("record = %v", rec)
			}
		})
		t.Run("deletes", func(t *testing.T) {
			admin.do("DELETE", "/v1.0/users/"+id, nil).expect(t, http.StatusNoContent, "delete")
			admin.do("DELETE", "/v1.0/users/"+id, nil).expect(t, http.StatusNotFound, "delete twice")
		})
	})
}

func TestDelegatedCallerUsesDirectoryRolesAndDefaultPermissions(t *testing.T) {
	onBackends(t, func(t *testing.T, env *servertest.Env) {
		ctx := context.Background()
		roles := &directory.Roles{Store: env.Store, Groups: directory.StoreGroups{Store: env.Store}}
		guest, err := env.Directory.CreateUser(ctx, env.Tenant.ID, directory.NewUser{UserPrincipalName: "guest@" + env.Domain,
			Password: servertest.Password, UserType: storage.UserTypeGuest})
		must(t, err)
		member := userCaller(t, env, env.User.UserPrincipalName)
		member.do("GET", "/v1.0/users", nil).expect(t, http.StatusOK, "members read other users by default (I-03)")
		member.do("POST", "/v1.0/users", map[string]any{"userPrincipalName": "x@" + env.Domain,
			"passwordProfile": map[string]any{"password": "Blue-Harbour-Lantern-42"}}).expect(t, http.StatusForbidden, "members do not create users")
		g := member.do("POST", "/v1.0/groups", map[string]any{"displayName": "Book club", "mailNickname": "books", "securityEnabled": true}).
			expect(t, http.StatusCreated, "members create security groups by default (I-02)")
		member.do("POST", "/v1.0/groups", map[string]any{"displayName": "Admins", "mailNickname": "admins", "securityEnabled": true, "isAssignableToRole": true}).
			expect(t, http.StatusForbidden, "a role-assignable group needs Privileged Role Administrator (C-11)")
		gid := g.Body["id"].(string)
		member.do("POST", "/v1.0/groups/"+gid+"/members/$ref", map[string]any{"@odata.id": env.Server.URL + "/v1.0/directoryObjects/" + guest.ID}).
			expect(t, http.StatusNoContent, "the creator owns the group and manages its members (B-30)")

		guestAPI := userCaller(t, env, guest.UserPrincipalName)
		guestAPI.do("GET", "/v1.0/users", nil).expect(t, http.StatusForbidden, "guests with limited access do not list users (I-05)")
		guestAPI.do("GET", "/v1.0/users/"+guest.ID, nil).expect(t, http.StatusOK, "a guest reads their own user")

		policy, err := env.Store.GetAuthorizationPolicy(ctx, env.Tenant.ID)
		must(t, err)
		policy.AllowedToReadOtherUsers = false
		must(t, env.Store.SaveAuthorizationPolicy(ctx, policy))
		member.do("GET", "/v1.0/users", nil).expect(t, http.StatusForbidden, "the tenant setting is read at request time")

		_, err = roles.AssignRole(ctx, directory.Actor{System: true}, env.Tenant.ID, directory.NewRoleAssignment{
			RoleID: directory.RoleUserAdministrator, PrincipalID: env.User.ID, PrincipalType: storage.PrincipalUser})
		must(t, err)
		member.do("POST", "/v1.0/users", map[string]any{"userPrincipalName": "new@" + env.Domain,
			"passwordProfile": map[string]any{"password": "Blue-Harbour-Lantern-42"}}).
			expect(t, http.StatusCreated, "a role assigned after the token was issued counts at once")
	})
}
