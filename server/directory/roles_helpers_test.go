package directory

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// testClock is the injected clock of the role tests.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// addGroup creates a security group in the tenant's store: assigned, or
// dynamic (with a rule that matches nobody), role-assignable or not.
func (f *roleFixture) addGroup(t *testing.T, g GroupInfo) {
	t.Helper()
	grp := &storage.Group{ID: g.ID, TenantID: f.tenant, DisplayName: g.DisplayName, Type: storage.GroupTypeSecurity,
		SecurityEnabled: true, MembershipType: storage.MembershipAssigned, RuleProcessingState: storage.RuleProcessingOn,
		IsAssignableToRole: g.AssignableToRole}
	if g.Dynamic {
		grp.MembershipType, grp.MembershipRule = storage.MembershipDynamic, `user.department -eq "Nobody"`
	}
	mustOK(t, f.dir.Store.CreateGroup(context.Background(), grp), "CreateGroup "+g.DisplayName)
}

// link makes the user a direct member and/or an owner of the group.
func (f *roleFixture) link(t *testing.T, userID, groupID string, member, owner bool) {
	t.Helper()
	ctx := context.Background()
	if member {
		mustOK(t, f.dir.Store.AddGroupMember(ctx, f.tenant, groupID, storage.GroupMember{ID: userID, Type: storage.MemberTypeUser}), "AddGroupMember")
	}
	if owner {
		mustOK(t, f.dir.Store.AddGroupOwner(ctx, f.tenant, groupID, userID), "AddGroupOwner")
	}
}

// roleFixture is a tenant with users, groups, an application and the Roles
// service over a real SQLite store.
type roleFixture struct {
	roles  *Roles
	dir    *Service
	clock  *testClock
	tenant string
}

var system = Actor{System: true}

func newRoleFixture(t *testing.T) *roleFixture {
	t.Helper()
	return newRoleFixtureOn(t, newService(t))
}

func newRoleFixtureOn(t *testing.T, dir *Service) *roleFixture {
	t.Helper()
	clock := &testClock{t: testNow}
	return &roleFixture{
		roles:  &Roles{Store: dir.Store, Groups: StoreGroups{Store: dir.Store}, Now: clock.Now},
		dir:    dir,
		clock:  clock,
		tenant: mustTenant(t, dir, "contoso.example"),
	}
}

// user creates a user with the given local part and type and returns its ID.
func (f *roleFixture) user(t *testing.T, local, userType string) string {
	t.Helper()
	u, err := f.dir.CreateUser(context.Background(), f.tenant, NewUser{
		UserPrincipalName: local + "@contoso.example", Password: "Correct-Horse-42-battery", UserType: userType,
	})
	if err != nil {
		t.Fatalf("create user %s: %v", local, err)
	}
	return u.ID
}

// app registers a confidential application and returns its client ID.
func (f *roleFixture) app(t *testing.T, name string) string {
	t.Helper()
	app, _, err := f.dir.CreateApplication(context.Background(), f.tenant, NewApplication{
		DisplayName: name, RedirectURIs: []string{"https://app.example/cb"},
	})
	if err != nil {
		t.Fatalf("create app %s: %v", name, err)
	}
	return app.ID
}

// mustOK fails the test now when err is not nil.
func mustOK(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// assertRoleRequired checks that err refuses the action for want of a role.
func assertRoleRequired(t *testing.T, err error) {
	t.Helper()
	var rerr *RoleRequiredError
	if !errors.As(err, &rerr) {
		t.Fatalf("error = %v; want a *RoleRequiredError", err)
	}
}
