package directory

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore"
)

// claimWorld is a tenant with a user, an application and the directory
// objects a test adds, written straight to the store.
type claimWorld struct {
	t      testing.TB
	ctx    context.Context
	store  storage.Storage
	tenant string
	user   *storage.User
	app    *storage.Application
	facts  *ClaimFacts
}

func newClaimWorld(t testing.TB, store storage.Storage) *claimWorld {
	t.Helper()
	ctx := context.Background()
	km, err := keys.NewManager(store, [][]byte{[]byte("0123456789abcdef0123456789abcdef")}, keys.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{Store: store, Keys: km, Now: func() time.Time { return testNow }}
	tenant, err := s.CreateTenant(ctx, NewTenant{DisplayName: "Contoso", Domain: "contoso.example"})
	if err != nil {
		t.Fatal(err)
	}
	app, _, err := s.CreateApplication(ctx, tenant.ID, NewApplication{DisplayName: "Payroll", RedirectURIs: []string{"https://payroll.example/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	user := &storage.User{ID: uuid.NewString(), TenantID: tenant.ID, UserPrincipalName: "ada@contoso.example",
		DisplayName: "Ada", UserType: storage.UserTypeMember, AccountEnabled: true, Country: "GB"}
	user.ExtensionAttributes[2] = "cost-centre-7"
	if err := store.CreateUser(ctx, user); err != nil {
		t.Fatal(err)
	}
	roles := &Roles{Store: store, Now: func() time.Time { return testNow }}
	return &claimWorld{t: t, ctx: ctx, store: store, tenant: tenant.ID, user: user, app: app,
		facts: &ClaimFacts{Store: store, Roles: roles}}
}

func (w *claimWorld) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// group creates a group; kind is "security", "m365" or "role" (role-assignable).
func (w *claimWorld) group(name, kind string) string {
	w.t.Helper()
	g := &storage.Group{ID: uuid.NewString(), TenantID: w.tenant, DisplayName: name, Type: storage.GroupTypeSecurity,
		SecurityEnabled: true, MembershipType: storage.MembershipAssigned, IsAssignableToRole: kind == "role"}
	if kind == "m365" {
		g.Type, g.SecurityEnabled, g.MailEnabled = storage.GroupTypeMicrosoft365, false, true
	}
	w.must(w.store.CreateGroup(w.ctx, g))
	return g.ID
}

func (w *claimWorld) addUser(groupID string) {
	w.t.Helper()
	w.must(w.store.AddGroupMember(w.ctx, w.tenant, groupID, storage.GroupMember{ID: w.user.ID, Type: storage.MemberTypeUser}))
}

func (w *claimWorld) nest(childID, parentID string) {
	w.t.Helper()
	w.must(w.store.AddGroupMember(w.ctx, w.tenant, parentID, storage.GroupMember{ID: childID, Type: storage.MemberTypeGroup}))
}

// appRole defines an app role of the application and assigns it to a
// principal; value "" assigns Default Access.
func (w *claimWorld) appRole(value, principalID, principalType string) {
	w.t.Helper()
	roleID := storage.DefaultAccessAppRoleID
	if value != "" {
		roles, err := w.store.ListAppRoles(w.ctx, w.tenant, w.app.ID)
		w.must(err)
		roleID = ""
		for _, r := range roles {
			if r.Value == value {
				roleID = r.ID
			}
		}
		if roleID == "" {
			r := &storage.AppRole{ID: uuid.NewString(), TenantID: w.tenant, ClientID: w.app.ID, Value: value, DisplayName: value,
				AllowedMemberTypes: []string{storage.AppRoleMemberUser, storage.AppRoleMemberApplication}, IsEnabled: true}
			w.must(w.store.CreateAppRole(w.ctx, r))
			roleID = r.ID
		}
	}
	w.must(w.store.CreateAppRoleAssignment(w.ctx, &storage.AppRoleAssignment{ID: uuid.NewString(), TenantID: w.tenant,
		ClientID: w.app.ID, AppRoleID: roleID, PrincipalID: principalID, PrincipalType: principalType}))
}

func (w *claimWorld) customRole() string {
	w.t.Helper()
	d := &storage.RoleDefinition{ID: uuid.NewString(), TenantID: w.tenant, DisplayName: "Payroll auditors",
		Permissions: []string{"microsoft.directory/users/standard/read"}}
	w.must(w.store.CreateRoleDefinition(w.ctx, d))
	return d.ID
}

func (w *claimWorld) directoryRole(templateID, principalID, principalType string) {
	w.t.Helper()
	w.must(w.store.CreateRoleAssignment(w.ctx, &storage.RoleAssignment{ID: uuid.NewString(), TenantID: w.tenant,
		RoleDefinitionID: templateID, PrincipalID: principalID, PrincipalType: principalType, DirectoryScopeID: storage.TenantScope}))
}

// activation makes the user eligible for a role through PIM and records an
// activation active from start to end (C-20, C-22).
func (w *claimWorld) activation(templateID string, start, end time.Time) {
	w.t.Helper()
	e := &storage.RoleEligibility{ID: uuid.NewString(), TenantID: w.tenant, RoleDefinitionID: templateID,
		PrincipalID: w.user.ID, PrincipalType: storage.PrincipalUser, DirectoryScopeID: storage.TenantScope, MaxDuration: 8 * time.Hour}
	w.must(w.store.CreateRoleEligibility(w.ctx, e))
	w.must(w.store.CreateRoleActivation(w.ctx, &storage.RoleActivation{ID: uuid.NewString(), TenantID: w.tenant,
		EligibilityID: e.ID, RoleDefinitionID: templateID, UserID: w.user.ID, Justification: "incident 42",
		Duration: end.Sub(start), Status: storage.ActivationActive, RequestedAt: start, StartAt: &start, EndAt: &end}))
}

func (w *claimWorld) settings(gmc string, id, access []storage.OptionalClaim) {
	w.t.Helper()
	w.app.GroupMembershipClaims, w.app.OptionalClaims = gmc, storage.OptionalClaims{IDToken: id, AccessToken: access}
	w.must(w.store.UpdateApplication(w.ctx, w.app))
}

// TestClaimFactsFromTheDirectory builds the claims of a user who is in a
// nested security group, a Microsoft 365 group and a role-assignable group,
// holds app roles directly and through groups, and directory roles directly,
// through the group and through an active PIM activation (B-05, C-17, C-20,
// C-22, D-01, E-08, E-12). An expired activation and a custom role are not
// in `wids`.
func TestClaimFactsFromTheDirectory(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		w := newClaimWorld(t, s.Store)
		eng, platform, chat, admins := w.group("Engineering", "security"), w.group("Platform", "security"), w.group("Chat", "m365"), w.group("Admins", "role")
		w.addUser(eng)
		w.addUser(chat)
		w.addUser(admins)
		w.nest(eng, platform)
		w.appRole("Writer", w.user.ID, storage.PrincipalUser)
		w.appRole("Reader", eng, storage.PrincipalGroup)
		w.appRole("Writer", admins, storage.PrincipalGroup)
		w.appRole("", chat, storage.PrincipalGroup)
		w.directoryRole(RoleGlobalReader, admins, storage.PrincipalGroup)
		w.directoryRole(RoleUserAdministrator, w.user.ID, storage.PrincipalUser)
		w.activation(RoleGroupsAdministrator, testNow.Add(-time.Hour), testNow.Add(time.Hour))      // active now
		w.activation(RoleHelpdeskAdministrator, testNow.Add(-3*time.Hour), testNow.Add(-time.Hour)) // expired
		w.directoryRole(w.customRole(), w.user.ID, storage.PrincipalUser)                           // not a template ID

		w.settings("All", []storage.OptionalClaim{{Name: "extensionAttribute3"}, {Name: "ctry"}}, []storage.OptionalClaim{{Name: "upn"}})
		id, access, err := w.facts.UserClaims(w.ctx, w.app, w.user, "https://sigil/overage")
		w.must(err)
		wantGroups := sortedIDs(eng, platform, chat, admins)
		wantRoles := []string{"Reader", "Writer"}
		wantWids := sortedIDs(RoleGlobalReader, RoleUserAdministrator, RoleGroupsAdministrator)
		assertClaims(t, "ID token", id, map[string]any{"groups": wantGroups, "roles": wantRoles, "wids": wantWids,
			"extensionAttribute3": "cost-centre-7", "ctry": "GB"})
		assertClaims(t, "access token", access, map[string]any{"groups": wantGroups, "roles": wantRoles, "wids": wantWids,
			"upn": "ada@contoso.example"})

		w.settings("DirectoryRole", nil, nil)
		_, access, err = w.facts.UserClaims(w.ctx, w.app, w.user, "")
		w.must(err)
		assertClaims(t, "DirectoryRole access token (direct memberships only)", access, map[string]any{
			"roles": wantRoles, "wids": wantWids})

		w.settings("ApplicationGroup", nil, []storage.OptionalClaim{{Name: "groups", AdditionalProperties: []string{"cloud_displayname"}}})
		_, access, err = w.facts.UserClaims(w.ctx, w.app, w.user, "")
		w.must(err)
		assertClaims(t, "ApplicationGroup access token", access, map[string]any{
			"groups": []string{"Admins", "Chat", "Engineering"}, "roles": wantRoles})

		all, err := w.facts.MemberObjects(w.ctx, w.tenant, w.user.ID, false)
		w.must(err)
		security, err := w.facts.MemberObjects(w.ctx, w.tenant, w.user.ID, true)
		w.must(err)
		if !reflect.DeepEqual(all, wantGroups) || !reflect.DeepEqual(security, sortedIDs(eng, platform, admins)) {
			t.Errorf("member objects: all %v, security %v", all, security)
		}
	})
}

func sortedIDs(ids ...string) []string {
	out := append([]string(nil), ids...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func assertClaims(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s claims:\n got  %v\n want %v", what, got, want)
	}
}

// queryCounter counts the SQL statements a store runs: every statement is
// "slow" with a 1 ns threshold, and the store logs each one.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) Enabled(context.Context, slog.Level) bool { return true }
func (q *queryCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "slow query" {
		q.n.Add(1)
	}
	return nil
}
func (q *queryCounter) WithAttrs([]slog.Attr) slog.Handler { return q }
func (q *queryCounter) WithGroup(string) slog.Handler      { return q }

// TestClaimFactsUseAConstantNumberOfQueries loads the facts of a user in 3
// and in 300 nested groups and counts the SQL statements: the same number,
// never one per group (ARCHITECTURE "Hot paths").
func TestClaimFactsUseAConstantNumberOfQueries(t *testing.T) {
	t.Parallel()
	counts := map[int]int64{}
	for _, n := range []int{3, 300} {
		counter := &queryCounter{}
		store, err := gormstore.Open(context.Background(), filepath.Join(t.TempDir(), "sigil.db"),
			gormstore.Options{Logger: slog.New(counter), SlowQueryThreshold: time.Nanosecond})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Close() })
		if err := store.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		w := newClaimWorld(t, store)
		nestedGroups(w, n, 3)
		w.settings("All,ApplicationGroup", nil, nil)
		counter.n.Store(0)
		if _, _, err := w.facts.UserClaims(w.ctx, w.app, w.user, "https://sigil/overage"); err != nil {
			t.Fatal(err)
		}
		counts[n] = counter.n.Load()
	}
	if counts[3] != counts[300] || counts[3] > 8 {
		t.Fatalf("queries for 3 groups: %d, for 300 groups: %d; want the same small number", counts[3], counts[300])
	}
	t.Logf("queries per token: %d", counts[3])
}

// nestedGroups puts the user in n groups nested depth deep: n/depth groups
// hold the user directly, and each level's group i is nested in the next
// level's group i. Every level-1 group holds an app role.
func nestedGroups(w *claimWorld, n, depth int) {
	w.t.Helper()
	width := n / depth
	below := make([]string, width)
	for level := range depth {
		for i := range width {
			id := w.group(fmt.Sprintf("L%d-%04d", level, i), "security")
			if level == 0 {
				w.addUser(id)
				w.appRole(fmt.Sprintf("Role%d", i%10), id, storage.PrincipalGroup)
			} else {
				w.nest(below[i], id)
			}
			below[i] = id
		}
	}
}
