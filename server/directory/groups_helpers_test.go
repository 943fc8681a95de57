package directory

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/storage"
)

var (
	operator   = Actor{System: true}
	privRoleAd = Actor{RoleTemplateIDs: []string{RolePrivilegedRoleAdministrator}}
	groupsAdm  = Actor{RoleTemplateIDs: []string{RoleGroupsAdministrator}}
)

// groupEnv is a tenant on one backend for group tests.
type groupEnv struct {
	t      *testing.T
	s      *Service
	tenant string
}

func newGroupEnv(t *testing.T, s *Service) *groupEnv {
	t.Helper()
	return &groupEnv{t: t, s: s, tenant: mustTenant(t, s, "contoso.com")}
}

// user stores a user directly (no password hashing) with the profile.
func (e *groupEnv) user(name string, mutate func(*storage.User)) *storage.User {
	e.t.Helper()
	u := &storage.User{ID: uuid.NewString(), TenantID: e.tenant, UserPrincipalName: name + "@contoso.com",
		DisplayName: name, UserType: storage.UserTypeMember, AccountEnabled: true, CreatedAt: testNow, UpdatedAt: testNow}
	if mutate != nil {
		mutate(u)
	}
	if err := e.s.Store.CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *groupEnv) group(actor Actor, in NewGroup) *storage.Group {
	e.t.Helper()
	g, err := e.s.CreateGroup(context.Background(), actor, e.tenant, in)
	if err != nil {
		e.t.Fatalf("CreateGroup(%+v): %v", in, err)
	}
	return g
}

func (e *groupEnv) addUser(g *storage.Group, u *storage.User) {
	e.t.Helper()
	if err := e.s.AddGroupMember(context.Background(), operator, e.tenant, g.ID, storage.GroupMember{ID: u.ID, Type: storage.MemberTypeUser}); err != nil {
		e.t.Fatalf("add %s to %s: %v", u.DisplayName, g.DisplayName, err)
	}
}

// members returns the sorted direct user member IDs of g.
func (e *groupEnv) members(g *storage.Group) []string {
	e.t.Helper()
	m, err := e.s.Store.ListDirectUserMembers(context.Background(), e.tenant, []string{g.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	return m[g.ID]
}

func ids(users ...*storage.User) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.ID)
	}
	slices.Sort(out)
	return out
}

func (e *groupEnv) wantMembers(g *storage.Group, want ...*storage.User) {
	e.t.Helper()
	if got := e.members(g); !slices.Equal(got, ids(want...)) {
		e.t.Fatalf("members of %s = %v, want %v", g.DisplayName, got, ids(want...))
	}
}
