package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestAssignmentRequiredApp signs three users in to an application whose
// "assignment required" setting is on: one without any assignment gets the
// branded refusal page and no code; one assigned directly and one assigned
// through a group sign in and get tokens go-oidc accepts — on SQLite and on
// Postgres.
func TestAssignmentRequiredApp(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{})
			ctx := context.Background()
			app, secret := env.App(directory.NewApplication{DisplayName: "Payroll", FirstParty: true})
			roles := &directory.Roles{Store: env.Store, Groups: directory.StoreGroups{Store: env.Store}}
			system := directory.Actor{System: true}
			must(t, roles.SetAssignmentRequired(ctx, system, env.Tenant.ID, app.ID, true))
			clerk, err := roles.CreateAppRole(ctx, system, env.Tenant.ID, app.ID, directory.NewAppRole{
				Value: "Payroll.Clerk", DisplayName: "Clerks", AllowedMemberTypes: []string{storage.AppRoleMemberUser}})
			must(t, err)

			direct := newUser(t, env, "bob")
			_, err = roles.AssignAppRole(ctx, system, env.Tenant.ID, directory.NewAppRoleAssignment{
				ClientID: app.ID, AppRoleID: clerk.ID, PrincipalID: direct.ID, PrincipalType: storage.PrincipalUser})
			must(t, err)
			viaGroup := newUser(t, env, "carol")
			group := &storage.Group{ID: uuid.NewString(), TenantID: env.Tenant.ID, DisplayName: "Payroll team",
				MailNickname: "payroll", Type: storage.GroupTypeSecurity, SecurityEnabled: true,
				MembershipType: storage.MembershipAssigned, RuleProcessingState: storage.RuleProcessingOn}
			must(t, env.Store.CreateGroup(ctx, group))
			must(t, env.Store.AddGroupMember(ctx, env.Tenant.ID, group.ID, storage.GroupMember{ID: viaGroup.ID, Type: storage.MemberTypeUser}))
			_, err = roles.AssignAppRole(ctx, system, env.Tenant.ID, directory.NewAppRoleAssignment{
				ClientID: app.ID, AppRoleID: storage.DefaultAccessAppRoleID, PrincipalID: group.ID, PrincipalType: storage.PrincipalGroup})
			must(t, err)

			t.Run("refuses an unassigned user with the branded page and no code", func(t *testing.T) {
				page := refusedSignIn(t, env, app, secret, env.User.UserPrincipalName)
				if page.Status != http.StatusForbidden || !strings.Contains(page.Body, "You can&#39;t sign in to this application") ||
					!strings.Contains(page.Body, "only people who are assigned to it can sign in") {
					t.Fatalf("refusal page %d: %.800s", page.Status, page.Body)
				}
				if page.Location != "" || strings.Contains(page.Body, "code=") {
					t.Errorf("the refusal answers the client: Location %q", page.Location)
				}
			})
			for _, tc := range []struct {
				name  string
				user  *storage.User
				roles []string
			}{
				{"signs in a directly assigned user, whose token carries the app role", direct, []string{"Payroll.Clerk"}},
				{"signs in a user assigned through a group (Default Access: no role value)", viaGroup, nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					if got := signInAndVerify(t, env, app, secret, tc.user); !slices.Equal(got, tc.roles) {
						t.Errorf("roles claim = %q, want %q", got, tc.roles)
					}
				})
			}
		})
	}
}

// newUser creates a member user with the servertest password.
func newUser(t *testing.T, env *servertest.Env, local string) *storage.User {
	t.Helper()
	u, err := env.Directory.CreateUser(context.Background(), env.Tenant.ID, directory.NewUser{
		UserPrincipalName: local + "@" + env.Domain, Password: servertest.Password})
	must(t, err)
	return u
}

// refusedSignIn walks the username and password pages and returns the page
// the browser ends on, following redirects within Sigil only.
func refusedSignIn(t *testing.T, env *servertest.Env, app *storage.Application, secret, upn string) *servertest.Page {
	t.Helper()
	b := env.NewBrowser()
	conf := env.OAuth2(app, secret)
	page, err := b.Get(conf.AuthCodeURL("state-assign-1", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	must(t, err)
	for _, step := range []struct{ field, value string }{{"username", upn}, {"password", servertest.Password}} {
		f, err := page.FormWith(step.field)
		must(t, err)
		page, err = b.Submit(page, f, url.Values{step.field: {step.value}})
		must(t, err)
	}
	return page
}

// signInAndVerify signs the user in, exchanges the code, verifies the ID
// token with go-oidc and returns its `roles` claim.
func signInAndVerify(t *testing.T, env *servertest.Env, app *storage.Application, secret string, user *storage.User) []string {
	t.Helper()
	ctx := env.ClientContext(context.Background())
	conf := env.OAuth2(app, secret)
	verifier := oauth2.GenerateVerifier()
	q, err := env.NewBrowser().SignIn(conf.AuthCodeURL("state-assign-2", oauth2.S256ChallengeOption(verifier)),
		user.UserPrincipalName, servertest.Password)
	must(t, err)
	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	must(t, err)
	provider, err := oidc.NewProvider(ctx, env.Issuer)
	must(t, err)
	idToken, err := provider.Verifier(&oidc.Config{ClientID: app.ID}).Verify(ctx, tok.Extra("id_token").(string))
	must(t, err)
	var claims struct {
		OID   string   `json:"oid"`
		Roles []string `json:"roles"`
	}
	must(t, idToken.Claims(&claims))
	if claims.OID != user.ID {
		t.Errorf("oid = %q, want %q", claims.OID, user.ID)
	}
	return claims.Roles
}
