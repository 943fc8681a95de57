package directory

import (
	"context"
	"errors"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func TestCreateGroup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		e := newGroupEnv(t, s)
		creator := e.user("owner", nil)
		g := e.group(Actor{UserID: creator.ID, RoleTemplateIDs: []string{RoleGroupsAdministrator}},
			NewGroup{DisplayName: " Sales Team ", Type: "Unified"})
		if g.Type != storage.GroupTypeMicrosoft365 || !g.MailEnabled || g.SecurityEnabled || g.MailNickname != "salesteam" ||
			g.MembershipType != storage.MembershipAssigned || g.DisplayName != "Sales Team" {
			t.Fatalf("group = %+v", g)
		}
		owners, err := s.ListGroupOwners(ctx, e.tenant, g.ID)
		if err != nil || len(owners) != 1 || owners[0] != creator.ID {
			t.Fatalf("owners = %v, %v; want the creator (B-30)", owners, err)
		}
		_, err = s.CreateGroup(ctx, operator, e.tenant, NewGroup{DisplayName: "", Type: "Distribution", MailNickname: "a b"})
		assertProblem(t, err, "displayName", "required")
		assertProblem(t, err, "groupType", "Security or Microsoft365")
		assertProblem(t, err, "mailNickname", "ASCII letters")
		_, err = s.CreateGroup(ctx, operator, e.tenant, NewGroup{DisplayName: "Bad", MembershipRule: `user.department -eqq "x"`})
		assertProblem(t, err, "membershipRule", "column 17")
	})
}

func TestRoleAssignableGroupRestrictions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		e := newGroupEnv(t, s)
		ann := e.user("ann", nil)
		_, err := s.CreateGroup(ctx, groupsAdm, e.tenant, NewGroup{DisplayName: "Admins", IsAssignableToRole: true})
		var refused *RoleRequiredError
		if !errors.As(err, &refused) {
			t.Fatalf("a Groups Administrator created a role-assignable group: %v (C-11)", err)
		}
		admins := e.group(privRoleAd, NewGroup{DisplayName: "Admins", IsAssignableToRole: true})
		_, err = s.CreateGroup(ctx, operator, e.tenant, NewGroup{DisplayName: "Dyn admins", IsAssignableToRole: true,
			MembershipRule: `user.department -eq "IT"`})
		assertProblem(t, err, "membershipRule", "C-12")
		_, err = s.SetMembershipRule(ctx, operator, e.tenant, admins.ID, `user.department -eq "IT"`)
		assertGroupRule(t, err, "C-12")
		member := storage.GroupMember{ID: ann.ID, Type: storage.MemberTypeUser}
		if err := s.AddGroupMember(ctx, groupsAdm, e.tenant, admins.ID, member); !errors.As(err, &refused) {
			t.Fatalf("a Groups Administrator changed a role-assignable group's members: %v (C-13)", err)
		}
		if err := s.AddGroupOwner(ctx, groupsAdm, e.tenant, admins.ID, ann.ID); !errors.As(err, &refused) {
			t.Fatalf("a Groups Administrator changed a role-assignable group's owners: %v (C-13)", err)
		}
		if err := s.AddGroupMember(ctx, privRoleAd, e.tenant, admins.ID, member); err != nil {
			t.Fatalf("a Privileged Role Administrator could not add a member: %v", err)
		}
		nested := e.group(groupsAdm, NewGroup{DisplayName: "Nested"})
		err = s.AddGroupMember(ctx, privRoleAd, e.tenant, admins.ID, storage.GroupMember{ID: nested.ID, Type: storage.MemberTypeGroup})
		assertGroupRule(t, err, "C-16")
		helpdesk := Actor{RoleTemplateIDs: []string{RoleHelpdeskAdministrator}}
		if err := s.CheckCredentialResetOf(ctx, helpdesk, e.tenant, ann.ID); !errors.As(err, &refused) {
			t.Fatalf("a Helpdesk Administrator may reset a role-assignable group member: %v (C-15)", err)
		}
		pauth := Actor{RoleTemplateIDs: []string{RolePrivilegedAuthenticationAdministrator}}
		if err := s.CheckCredentialResetOf(ctx, pauth, e.tenant, ann.ID); err != nil {
			t.Fatalf("a Privileged Authentication Administrator was refused: %v (C-15)", err)
		}
		mobile := "+47 999"
		_, err = s.UpdateUser(ctx, Actor{RoleTemplateIDs: []string{RoleUserAdministrator}}, e.tenant, ann.ID,
			UserChange{Profile: &UserProfile{MobilePhone: mobile}})
		if !errors.As(err, &refused) {
			t.Fatalf("a User Administrator changed a protected user's phone: %v (C-15)", err)
		}
	})
}

func TestRoleAssignableGroupLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newGroupEnv(t, newService(t))
	for range MaxRoleAssignableGroups {
		g := &storage.Group{ID: newID(), TenantID: e.tenant, DisplayName: "g", Type: storage.GroupTypeSecurity,
			MembershipType: storage.MembershipAssigned, IsAssignableToRole: true}
		if err := e.s.Store.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.s.CreateGroup(ctx, privRoleAd, e.tenant, NewGroup{DisplayName: "One too many", IsAssignableToRole: true})
	assertGroupRule(t, err, "C-10")
	e.group(groupsAdm, NewGroup{DisplayName: "Ordinary groups are not limited"})
}

func TestGroupNestingAndCycles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		e := newGroupEnv(t, s)
		a, b, c := e.group(operator, NewGroup{DisplayName: "A"}), e.group(operator, NewGroup{DisplayName: "B"}), e.group(operator, NewGroup{DisplayName: "C"})
		nest := func(parent, child *storage.Group) error {
			return s.AddGroupMember(ctx, operator, e.tenant, parent.ID, storage.GroupMember{ID: child.ID, Type: storage.MemberTypeGroup})
		}
		if err := nest(a, b); err != nil {
			t.Fatal(err)
		}
		if err := nest(b, c); err != nil {
			t.Fatal(err)
		}
		assertGroupRule(t, nest(c, a), "B-05")
		assertGroupRule(t, nest(b, b), "B-05")
		var conflict *ConflictError
		if err := nest(a, b); !errors.As(err, &conflict) {
			t.Fatalf("nesting twice = %v; want a ConflictError", err)
		}
		ann := e.user("ann", nil)
		e.addUser(c, ann)
		groups, err := s.Store.TransitiveGroupsOfUser(ctx, e.tenant, ann.ID)
		if err != nil || len(groups) != 3 {
			t.Fatalf("transitive groups = %+v, %v; want A, B and C (B-05)", groups, err)
		}
		members, err := s.ListGroupMembers(ctx, e.tenant, a.ID, true)
		if err != nil || len(members) != 3 {
			t.Fatalf("transitive members of A = %+v, %v; want ann, B and C", members, err)
		}
		if err := s.AddGroupMember(ctx, operator, e.tenant, a.ID, storage.GroupMember{ID: "nobody@contoso.com", Type: storage.MemberTypeUser}); !errors.Is(err, ErrUserNotFound) {
			t.Fatalf("adding an unknown user = %v; want ErrUserNotFound (B-39)", err)
		}
	})
}
