package directory

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// BenchmarkEvaluateAppAccess: the pure core for a user in 100 groups and an
// application with 300 grants reaching them.
func BenchmarkEvaluateAppAccess(b *testing.B) {
	links := make([]GroupLink, 100)
	grants := make([]storage.AppRoleGrant, 0, 300)
	for i := range links {
		links[i] = GroupLink{GroupID: fmt.Sprintf("g%03d", i), Member: true, Owner: i%10 == 0}
		for j, team := range []string{"", storage.GroupTeamMembers, storage.GroupTeamOwners} {
			grants = append(grants, storage.AppRoleGrant{PrincipalID: links[i].GroupID, PrincipalType: storage.PrincipalGroup,
				TeamType: team, Value: fmt.Sprintf("Role.%d", (i+j)%40), Enabled: true})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if got := EvaluateAppAccess(grants, "u", storage.UserTypeMember, links); len(got.Roles) != 40 {
			b.Fatalf("roles = %d", len(got.Roles))
		}
	}
}

// BenchmarkTokenRoles: roles and wids of one user on SQLite, in a tenant with
// 1,000 users, the user a member of 50 groups (10 role-assignable, each
// holding a directory role), 50 app role assignments to those groups, and an
// active PIM activation. Four indexed queries, whatever the counts.
func BenchmarkTokenRoles(b *testing.B) {
	ctx := context.Background()
	store := gormstoretest.SQLite(b)
	km, err := keys.NewManager(store, [][]byte{[]byte("0123456789abcdef0123456789abcdef")}, keys.Options{})
	benchOK(b, err)
	dir := &Service{Store: store, Keys: km}
	tenant, err := dir.CreateTenant(ctx, NewTenant{DisplayName: "Bench", Domain: "bench.example"})
	benchOK(b, err)
	roles := &Roles{Store: store, Groups: StoreGroups{Store: store}}
	app, _, err := dir.CreateApplication(ctx, tenant.ID, NewApplication{DisplayName: "Bench", RedirectURIs: []string{"https://app.example/cb"}})
	benchOK(b, err)
	var user string
	for i := range 1000 {
		u := &storage.User{ID: uuid.NewString(), TenantID: tenant.ID, UserPrincipalName: fmt.Sprintf("u%04d@bench.example", i),
			DisplayName: "U", UserType: storage.UserTypeMember, AccountEnabled: true}
		benchOK(b, store.CreateUser(ctx, u))
		user = u.ID
	}
	role, err := roles.CreateAppRole(ctx, system, tenant.ID, app.ID, NewAppRole{Value: "Reader", DisplayName: "Readers",
		AllowedMemberTypes: []string{storage.AppRoleMemberUser}})
	benchOK(b, err)
	for i := range 50 {
		id := fmt.Sprintf("g-%02d", i)
		grp := &storage.Group{ID: id, TenantID: tenant.ID, DisplayName: id, Type: storage.GroupTypeSecurity, SecurityEnabled: true,
			MembershipType: storage.MembershipAssigned, RuleProcessingState: storage.RuleProcessingOn, IsAssignableToRole: i < 10}
		benchOK(b, store.CreateGroup(ctx, grp))
		benchOK(b, store.AddGroupMember(ctx, tenant.ID, id, storage.GroupMember{ID: user, Type: storage.MemberTypeUser}))
		if i < 10 {
			_, err = roles.AssignRole(ctx, system, tenant.ID, NewRoleAssignment{RoleID: builtInRoles[i+1].TemplateID, PrincipalID: id, PrincipalType: storage.PrincipalGroup})
			benchOK(b, err)
		}
		_, err = roles.AssignAppRole(ctx, system, tenant.ID, NewAppRoleAssignment{ClientID: app.ID, AppRoleID: role.ID, PrincipalID: id, PrincipalType: storage.PrincipalGroup})
		benchOK(b, err)
	}
	e, err := roles.MakeEligible(ctx, system, tenant.ID, NewEligibility{NewRoleAssignment: NewRoleAssignment{
		RoleID: RoleGlobalAdministrator, PrincipalID: user, PrincipalType: storage.PrincipalUser}, MaxDuration: 8 * time.Hour})
	benchOK(b, err)
	_, err = roles.RequestActivation(ctx, tenant.ID, user, ActivationRequest{EligibilityID: e.ID, Justification: "bench", Duration: 8 * time.Hour, MFADone: true})
	benchOK(b, err)
	b.ReportAllocs()
	for b.Loop() {
		got, err := roles.TokenRoles(ctx, tenant.ID, app.ID, user)
		if err != nil || len(got.Roles) != 1 || len(got.WIDs) != 11 {
			b.Fatalf("TokenRoles = %+v, %v", got, err)
		}
	}
}

func benchOK(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}
