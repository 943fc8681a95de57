package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

var system = directory.Actor{System: true}

// claimsDirectory builds, through the directory services, what the claims
// tests need: the signed-in user's groups, app roles and directory roles.
type claimsDirectory struct {
	t     *testing.T
	env   *servertest.Env
	roles *directory.Roles
	app   *storage.Application
}

func (d *claimsDirectory) group(in directory.NewGroup) string {
	d.t.Helper()
	g, err := d.env.Directory.CreateGroup(context.Background(), system, d.env.Tenant.ID, in)
	must(d.t, err)
	return g.ID
}

func (d *claimsDirectory) addMember(groupID, memberID, memberType string) {
	d.t.Helper()
	must(d.t, d.env.Directory.AddGroupMember(context.Background(), system, d.env.Tenant.ID, groupID,
		storage.GroupMember{ID: memberID, Type: memberType}))
}

func (d *claimsDirectory) appRole(value string, memberTypes ...string) string {
	d.t.Helper()
	r, err := d.roles.CreateAppRole(context.Background(), system, d.env.Tenant.ID, d.app.ID,
		directory.NewAppRole{Value: value, DisplayName: value, AllowedMemberTypes: memberTypes})
	must(d.t, err)
	return r.ID
}

func (d *claimsDirectory) assignAppRole(roleID, principalID, principalType string) {
	d.t.Helper()
	_, err := d.roles.AssignAppRole(context.Background(), system, d.env.Tenant.ID, directory.NewAppRoleAssignment{
		ClientID: d.app.ID, AppRoleID: roleID, PrincipalID: principalID, PrincipalType: principalType})
	must(d.t, err)
}

// profileWithExtensions registers a directory extension for app and sets
// the signed-in user's department (which the dynamic group's rule reads),
// extensionAttribute1 and the extension; it returns the extension's name.
func profileWithExtensions(t *testing.T, env *servertest.Env, app *storage.Application) string {
	t.Helper()
	ctx := context.Background()
	prop, err := env.Directory.RegisterExtensionProperty(ctx, system, env.Tenant.ID, app.ID, "costcentre", "")
	must(t, err)
	profile := directory.UserProfile{Department: "Payroll", DirectoryExtensions: map[string]string{prop.Name: "CC-7"}}
	profile.ExtensionAttributes[0] = "EA-1"
	_, err = env.Directory.UpdateUser(ctx, system, env.Tenant.ID, env.User.ID, directory.UserChange{Profile: &profile})
	must(t, err)
	return prop.Name
}

// tokenClaims are the directory claims of one token.
type tokenClaims struct {
	Groups       []string          `json:"groups"`
	Roles        []string          `json:"roles"`
	WIDs         []string          `json:"wids"`
	UPN          string            `json:"upn"`
	ClaimNames   map[string]string `json:"_claim_names"`
	ClaimSources map[string]struct {
		Endpoint string `json:"endpoint"`
	} `json:"_claim_sources"`
	All map[string]any `json:"-"` // every claim, by name
}

// verifiedClaims checks both tokens of a token response with go-oidc against
// the tenant's JWKS and returns their directory claims.
func verifiedClaims(t *testing.T, env *servertest.Env, ctx context.Context, clientID string, tok *oauth2.Token) (id, access tokenClaims) {
	t.Helper()
	provider, err := oidc.NewProvider(ctx, env.Issuer)
	must(t, err)
	raw, _ := tok.Extra("id_token").(string)
	idToken, err := provider.Verifier(&oidc.Config{ClientID: clientID}).Verify(ctx, raw)
	must(t, err)
	must(t, idToken.Claims(&id))
	must(t, idToken.Claims(&id.All))
	accessToken, err := provider.Verifier(&oidc.Config{ClientID: clientID}).Verify(ctx, tok.AccessToken)
	must(t, err)
	must(t, accessToken.Claims(&access))
	must(t, accessToken.Claims(&access.All))
	return id, access
}

func sorted(v ...string) []string {
	out := slices.Clone(v)
	slices.Sort(out)
	return out
}

func sameList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestGroupAndRoleClaimsEndToEnd signs a user in through the real pages to
// an application that asks for security groups. The user is a direct member
// of Engineering (nested in All Staff), of the role-assignable Payroll Admins
// (holding Global Reader) and of the Microsoft 365 group Chat, and joins the
// dynamic group Payroll Department (rule user.department -eq "Payroll") when
// an admin sets their department, and the memberOf dynamic group Engineering
// Everyone (B-14) through Engineering. Both tokens,
// verified with go-oidc, carry exactly the transitive security groups
// (B-05), the app roles held directly and through groups, de-duplicated
// (D-01), and the directory role through the group (C-17, E-08); removing the
// user from Engineering shows in the next refreshed tokens (D-21); the ID
// token carries the requested extension attributes (E-12, J-38); a
// client-credentials token carries the roles of the app's service principal.
func TestGroupAndRoleClaimsEndToEnd(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{})
			ctx := env.ClientContext(context.Background())
			sc := newClaimsScenario(t, env)
			conf := env.OAuth2(sc.app, sc.secret)
			verifier := oauth2.GenerateVerifier()
			q, err := env.NewBrowser().SignIn(conf.AuthCodeURL("state-claims", oauth2.S256ChallengeOption(verifier)),
				env.User.UserPrincipalName, servertest.Password)
			must(t, err)
			tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
			must(t, err)

			id, at := verifiedClaims(t, env, ctx, sc.app.ID, tok)
			sc.expect(t, id, at, sorted(sc.allStaff, sc.engineering, sc.everyone, sc.payroll, sc.admins),
				[]string{"Payroll.Audit", "Payroll.Read", "Payroll.Write"})
			if at.UPN != env.User.UserPrincipalName || id.UPN != "" {
				t.Errorf("optional claim upn: access %q, ID %q; want it in the access token only", at.UPN, id.UPN)
			}
			if id.All["extensionAttribute1"] != "EA-1" || id.All[sc.costCentre] != "CC-7" || at.All[sc.costCentre] != nil {
				t.Errorf("extension attributes (E-12): ID %v / %v, access %v; want them in the ID token only",
					id.All["extensionAttribute1"], id.All[sc.costCentre], at.All[sc.costCentre])
			}

			t.Run("a membership change shows in the refreshed tokens", func(t *testing.T) {
				must(t, env.Directory.RemoveGroupMember(context.Background(), system, env.Tenant.ID, sc.engineering,
					storage.GroupMember{ID: env.User.ID, Type: storage.MemberTypeUser}))
				refreshed, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Minute)}).Token()
				must(t, err)
				id, at := verifiedClaims(t, env, ctx, sc.app.ID, refreshed)
				sc.expect(t, id, at, sorted(sc.payroll, sc.admins), []string{"Payroll.Read"})
			})

			t.Run("a client-credentials token carries the app's own roles", func(t *testing.T) {
				provider, err := oidc.NewProvider(ctx, env.Issuer)
				must(t, err)
				token, err := provider.Verifier(&oidc.Config{ClientID: sc.app.ID}).Verify(ctx, clientCredentials(t, env, sc.app, sc.secret))
				must(t, err)
				var claims tokenClaims
				must(t, token.Claims(&claims))
				sameList(t, "client-credentials roles", claims.Roles, []string{"Reports.Export"})
				if len(claims.Groups)+len(claims.WIDs) != 0 {
					t.Errorf("an app-only token carries user claims: %+v", claims)
				}
			})
		})
	}
}

// claimsScenario is the directory of TestGroupAndRoleClaimsEndToEnd.
type claimsScenario struct {
	*claimsDirectory
	secret, costCentre                                     string
	allStaff, engineering, everyone, payroll, admins, chat string
}

func newClaimsScenario(t *testing.T, env *servertest.Env) *claimsScenario {
	t.Helper()
	app, secret := env.App(directory.NewApplication{DisplayName: "Payroll", FirstParty: true})
	sc := &claimsScenario{secret: secret, claimsDirectory: &claimsDirectory{t: t, env: env, app: app,
		roles: &directory.Roles{Store: env.Store, Groups: directory.StoreGroups{Store: env.Store}}}}
	sc.groups()
	sc.appRoles()
	sc.costCentre = profileWithExtensions(t, env, app)
	gmc := "SecurityGroup"
	idClaims := []storage.OptionalClaim{{Name: "extensionAttribute1"}, {Name: sc.costCentre}}
	access := []storage.OptionalClaim{{Name: "upn"}}
	_, err := env.Directory.SetClaimSettings(context.Background(), env.Tenant.ID, app.ID,
		directory.ClaimSettingsChange{GroupMembershipClaims: &gmc, IDToken: &idClaims, AccessToken: &access})
	must(t, err)
	return sc
}

// groups builds the user's memberships and the directory role.
func (sc *claimsScenario) groups() {
	user := sc.env.User.ID
	sc.allStaff = sc.group(directory.NewGroup{DisplayName: "All Staff"})
	sc.engineering = sc.group(directory.NewGroup{DisplayName: "Engineering"})
	sc.addMember(sc.allStaff, sc.engineering, storage.MemberTypeGroup)
	sc.addMember(sc.engineering, user, storage.MemberTypeUser)
	sc.everyone = sc.group(directory.NewGroup{DisplayName: "Engineering Everyone",
		MembershipRule: "user.memberof -any (group.objectId -in ['" + sc.engineering + "'])"})
	sc.payroll = sc.group(directory.NewGroup{DisplayName: "Payroll Department", MembershipRule: `user.department -eq "Payroll"`})
	sc.admins = sc.group(directory.NewGroup{DisplayName: "Payroll Admins", IsAssignableToRole: true})
	sc.addMember(sc.admins, user, storage.MemberTypeUser)
	sc.chat = sc.group(directory.NewGroup{DisplayName: "Chat", Type: storage.GroupTypeMicrosoft365, MailNickname: "chat"})
	sc.addMember(sc.chat, user, storage.MemberTypeUser)
	_, err := sc.roles.AssignRole(context.Background(), system, sc.env.Tenant.ID, directory.NewRoleAssignment{
		RoleID: directory.RoleGlobalReader, PrincipalID: sc.admins, PrincipalType: storage.PrincipalGroup})
	must(sc.t, err)
}

// appRoles defines the application's roles and assigns them.
func (sc *claimsScenario) appRoles() {
	reader := sc.appRole("Payroll.Read", storage.AppRoleMemberUser)
	writer := sc.appRole("Payroll.Write", storage.AppRoleMemberUser)
	approver := sc.appRole("Payroll.Approve", storage.AppRoleMemberUser)
	auditor := sc.appRole("Payroll.Audit", storage.AppRoleMemberUser)
	exporter := sc.appRole("Reports.Export", storage.AppRoleMemberApplication)
	sc.assignAppRole(reader, sc.payroll, storage.PrincipalGroup)     // through the dynamic group
	sc.assignAppRole(reader, sc.env.User.ID, storage.PrincipalUser)  // and directly: one value in the token
	sc.assignAppRole(writer, sc.engineering, storage.PrincipalGroup) // through a direct group
	sc.assignAppRole(auditor, sc.everyone, storage.PrincipalGroup)   // through a memberOf dynamic group
	// An app role of a parent group does not reach members of nested groups
	// (Entra's rule, see directory.EvaluateAppAccess).
	sc.assignAppRole(approver, sc.allStaff, storage.PrincipalGroup)
	sc.assignAppRole(exporter, sc.app.ID, storage.PrincipalServicePrincipal)
}

// expect checks the groups, roles and wids of an ID token and an access
// token: both carry the same, exactly.
func (sc *claimsScenario) expect(t *testing.T, id, at tokenClaims, groups, roles []string) {
	t.Helper()
	for _, c := range []struct {
		name   string
		claims tokenClaims
	}{{"ID token", id}, {"access token", at}} {
		sameList(t, c.name+" groups", c.claims.Groups, groups)
		sameList(t, c.name+" roles", c.claims.Roles, roles)
		sameList(t, c.name+" wids", c.claims.WIDs, []string{directory.RoleGlobalReader})
	}
}
