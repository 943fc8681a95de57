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

// memberGroups is the group side of the role tests: groups and the users'
// direct links to them, as the group directory reports them.
type memberGroups struct {
	groups map[string]GroupInfo
	links  map[string][]GroupLink // by user ID
}

func (m *memberGroups) GroupInfo(_ context.Context, _ string, id string) (GroupInfo, error) {
	g, ok := m.groups[id]
	if !ok {
		return GroupInfo{}, storage.ErrNotFound
	}
	return g, nil
}

func (m *memberGroups) UserGroupLinks(_ context.Context, _ string, userID string) ([]GroupLink, error) {
	return m.links[userID], nil
}

// addGroup registers a group; link adds a user's membership or ownership.
func (m *memberGroups) addGroup(g GroupInfo) { m.groups[g.ID] = g }

func (m *memberGroups) link(userID, groupID string, member, owner bool) {
	m.links[userID] = append(m.links[userID], GroupLink{
		GroupID: groupID, Member: member, Owner: owner, AssignableToRole: m.groups[groupID].AssignableToRole,
	})
}

// roleFixture is a tenant with users, an application and the Roles service
// over a real SQLite store.
type roleFixture struct {
	roles  *Roles
	dir    *Service
	groups *memberGroups
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
	groups := &memberGroups{groups: map[string]GroupInfo{}, links: map[string][]GroupLink{}}
	return &roleFixture{
		roles:  &Roles{Store: dir.Store, Groups: groups, Now: clock.Now},
		dir:    dir,
		groups: groups,
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
