package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// clientCredentials returns an app-only access token for app.
func clientCredentials(t *testing.T, env *servertest.Env, app *storage.Application, secret string) string {
	t.Helper()
	conf := clientcredentials.Config{ClientID: app.ID, ClientSecret: secret, AuthStyle: oauth2.AuthStyleInHeader,
		TokenURL: env.Server.URL + "/" + env.Tenant.ID + "/oauth2/v2.0/token"}
	tok, err := conf.Token(env.ClientContext(context.Background()))
	must(t, err)
	return tok.AccessToken
}

// memberObjects calls the overage endpoint and decodes its JSON answer.
func memberObjects(t *testing.T, env *servertest.Env, endpoint, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := env.Server.Client().Do(req)
	must(t, err)
	defer resp.Body.Close()
	var out map[string]any
	must(t, decodeJSON(resp, &out))
	return resp.StatusCode, out
}

func graphErrorCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// TestGroupOverageEndToEnd signs in a user who belongs to 250 groups: the
// ID and access tokens carry no `groups` but `_claim_names` and
// `_claim_sources` pointing at the getMemberObjects endpoint, which returns
// all 250 to the user's own token and to an app holding
// GroupMember.Read.All, and refuses everyone else with Graph-style errors.
func TestGroupOverageEndToEnd(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{})
			ctx := env.ClientContext(context.Background())
			app, secret := env.App(directory.NewApplication{DisplayName: "Payroll", FirstParty: true})
			d := &claimsDirectory{t: t, env: env, app: app, roles: &directory.Roles{Store: env.Store, Groups: directory.StoreGroups{Store: env.Store}}}
			var want []string
			for i := range 250 {
				g := d.group(directory.NewGroup{DisplayName: fmt.Sprintf("Team %03d", i)})
				d.addMember(g, env.User.ID, storage.MemberTypeUser)
				want = append(want, g)
			}
			slices.Sort(want)
			gmc := "All"
			_, err := env.Directory.SetClaimSettings(context.Background(), env.Tenant.ID, app.ID,
				directory.ClaimSettingsChange{GroupMembershipClaims: &gmc})
			must(t, err)

			conf := env.OAuth2(app, secret)
			verifier := oauth2.GenerateVerifier()
			q, err := env.NewBrowser().SignIn(conf.AuthCodeURL("state-overage", oauth2.S256ChallengeOption(verifier)),
				env.User.UserPrincipalName, servertest.Password)
			must(t, err)
			tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
			must(t, err)
			id, at := verifiedClaims(t, env, ctx, app.ID, tok)
			endpoint := env.Server.URL + "/" + env.Tenant.ID + "/v1.0/users/" + env.User.ID + "/getMemberObjects"
			for _, c := range []struct {
				name   string
				claims tokenClaims
			}{{"ID token", id}, {"access token", at}} {
				if c.claims.Groups != nil || c.claims.ClaimNames["groups"] != "src1" || c.claims.ClaimSources["src1"].Endpoint != endpoint {
					t.Fatalf("%s: groups %d, _claim_names %v, _claim_sources %v; want the overage claims pointing at %s",
						c.name, len(c.claims.Groups), c.claims.ClaimNames, c.claims.ClaimSources, endpoint)
				}
			}

			status, body := memberObjects(t, env, endpoint, tok.AccessToken, `{"securityEnabledOnly": true}`)
			if status != http.StatusOK || !slices.Equal(toStrings(body["value"]), want) {
				t.Fatalf("the user's own token: %d, %d groups; want 200 and all 250", status, len(toStrings(body["value"])))
			}

			reader := d.appRole("GroupMember.Read.All", storage.AppRoleMemberApplication)
			d.assignAppRole(reader, app.ID, storage.PrincipalServicePrincipal)
			status, body = memberObjects(t, env, endpoint, clientCredentials(t, env, app, secret), `{"securityEnabledOnly": false}`)
			if status != http.StatusOK || len(toStrings(body["value"])) != 250 {
				t.Fatalf("an app with GroupMember.Read.All: %d %v", status, body)
			}
			refusals(t, env, endpoint, tok.AccessToken)

			disabled := false
			_, err = env.Directory.UpdateUser(context.Background(), system, env.Tenant.ID, env.User.ID, directory.UserChange{AccountEnabled: &disabled})
			must(t, err)
			if status, body := memberObjects(t, env, endpoint, tok.AccessToken, `{"securityEnabledOnly": true}`); status != http.StatusUnauthorized {
				t.Errorf("a disabled user's token: %d %v, want 401", status, body)
			}
		})
	}
}

// refusals checks every caller the overage endpoint must turn away.
func refusals(t *testing.T, env *servertest.Env, endpoint, userToken string) {
	bob := newUser(t, env, "bob")
	other, otherSecret := env.App(directory.NewApplication{DisplayName: "Reports"})
	otherUserEndpoint := strings.Replace(endpoint, env.User.ID, bob.ID, 1)
	foreignToken := foreignTenantToken(t, env)
	cases := []struct {
		name, endpoint, token, body string
		status                      int
		code                        string
	}{
		{"no token", endpoint, "", `{"securityEnabledOnly": true}`, 401, "InvalidAuthenticationToken"},
		{"a forged token", endpoint, userToken[:len(userToken)-4] + "AAAA", `{"securityEnabledOnly": true}`, 401, "InvalidAuthenticationToken"},
		{"the user's token for another user", otherUserEndpoint, userToken, `{"securityEnabledOnly": true}`, 403, "Authorization_RequestDenied"},
		{"an app without a directory read permission", endpoint, clientCredentials(t, env, other, otherSecret), `{"securityEnabledOnly": true}`, 403, "Authorization_RequestDenied"},
		{"an app-only token of another tenant", endpoint, foreignToken, `{"securityEnabledOnly": true}`, 401, "InvalidAuthenticationToken"},
		{"a body without securityEnabledOnly", endpoint, userToken, `{}`, 400, "BadRequest"},
		{"a body that is not JSON", endpoint, userToken, `securityEnabledOnly=true`, 400, "BadRequest"},
	}
	for _, c := range cases {
		t.Run("refuses "+c.name, func(t *testing.T) {
			status, body := memberObjects(t, env, c.endpoint, c.token, c.body)
			if status != c.status || graphErrorCode(body) != c.code {
				t.Errorf("got %d %v, want %d %s", status, body, c.status, c.code)
			}
		})
	}
}

// foreignTenantToken is an app-only token of a second tenant whose app holds
// GroupMember.Read.All there.
func foreignTenantToken(t *testing.T, env *servertest.Env) string {
	t.Helper()
	ctx := context.Background()
	tenant, err := env.Directory.CreateTenant(ctx, directory.NewTenant{DisplayName: "Fabrikam", Domain: "fabrikam-" + env.Tenant.ID[:8] + ".test"})
	must(t, err)
	app, secret, err := env.Directory.CreateApplication(ctx, tenant.ID, directory.NewApplication{DisplayName: "Fabrikam Sync"})
	must(t, err)
	roles := &directory.Roles{Store: env.Store, Groups: directory.StoreGroups{Store: env.Store}}
	r, err := roles.CreateAppRole(ctx, system, tenant.ID, app.ID, directory.NewAppRole{Value: "GroupMember.Read.All",
		DisplayName: "Read memberships", AllowedMemberTypes: []string{storage.AppRoleMemberApplication}})
	must(t, err)
	_, err = roles.AssignAppRole(ctx, system, tenant.ID, directory.NewAppRoleAssignment{
		ClientID: app.ID, AppRoleID: r.ID, PrincipalID: app.ID, PrincipalType: storage.PrincipalServicePrincipal})
	must(t, err)
	conf := clientcredentials.Config{ClientID: app.ID, ClientSecret: secret, AuthStyle: oauth2.AuthStyleInHeader,
		TokenURL: env.Server.URL + "/" + tenant.ID + "/oauth2/v2.0/token"}
	tok, err := conf.Token(env.ClientContext(ctx))
	must(t, err)
	return tok.AccessToken
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
