package directory

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func TestDynamicGroupFollowsAttributes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		e := newGroupEnv(t, s)
		ann := e.user("ann", func(u *storage.User) { u.Department = "Sales"; u.City = "Oslo" })
		bob := e.user("bob", func(u *storage.User) { u.Department = "sales"; u.City = "Bergen" })
		e.user("cat", func(u *storage.User) { u.Department = "IT" })
		sales := e.group(operator, NewGroup{DisplayName: "Sales", MembershipRule: `user.department -eq "Sales"`})
		e.wantMembers(sales, ann, bob) // B-10: rule-based, case-insensitive
		err := s.AddGroupMember(ctx, operator, e.tenant, sales.ID, storage.GroupMember{ID: ann.ID, Type: storage.MemberTypeUser})
		assertGroupRule(t, err, "B-31")

		dept := "IT"
		if _, err := s.UpdateUser(ctx, operator, e.tenant, bob.ID, UserChange{Profile: &UserProfile{Department: dept}}); err != nil {
			t.Fatal(err)
		}
		e.wantMembers(sales, ann) // B-08: removed when the rule no longer holds
		dave, err := s.CreateUser(ctx, e.tenant, NewUser{UserPrincipalName: "dave@contoso.com", Password: testPassword,
			Profile: UserProfile{Department: "Sales"}})
		if err != nil {
			t.Fatal(err)
		}
		e.wantMembers(sales, ann, dave) // B-08: added when the rule holds
	})
}

func TestConvertingToDynamicRemovesAssignedMembers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		e := newGroupEnv(t, s)
		ann := e.user("ann", func(u *storage.User) { u.JobTitle = "Engineer" })
		bob := e.user("bob", func(u *storage.User) { u.JobTitle = "Manager" })
		g := e.group(operator, NewGroup{DisplayName: "Engineers"})
		e.addUser(g, bob)
		nested := e.group(operator, NewGroup{DisplayName: "Nested"})
		if err := s.AddGroupMember(ctx, operator, e.tenant, g.ID, storage.GroupMember{ID: nested.ID, Type: storage.MemberTypeGroup}); err != nil {
			t.Fatal(err)
		}
		preview, err := s.PreviewRule(ctx, e.tenant, g.ID, `user.jobTitle -startsWith "eng"`)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(preview.Add, ids(ann)) || !slices.Equal(preview.Remove, ids(bob)) || preview.Members != 1 {
			t.Fatalf("preview = %+v; want ann added and bob removed", preview)
		}
		e.wantMembers(g, bob) // the preview writes nothing
		g, err = s.SetMembershipRule(ctx, operator, e.tenant, g.ID, `user.jobTitle -startsWith "eng"`)
		if err != nil {
			t.Fatal(err)
		}
		e.wantMembers(g, ann) // B-12: assigned members removed first, then the rule applied
		members, err := s.ListGroupMembers(ctx, e.tenant, g.ID, false)
		if err != nil || len(members) != 1 {
			t.Fatalf("members = %+v, %v; the nested group should be gone too (B-12)", members, err)
		}
		if g.MembershipRule != `user.jobTitle -startsWith "eng"` || g.RuleProcessingState != storage.RuleProcessingOn {
			t.Fatalf("group = %+v", g)
		}
	})
}

func TestMemberOfRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		e := newGroupEnv(t, s)
		ann, bob, cat := e.user("ann", nil), e.user("bob", nil), e.user("cat", nil)
		a := e.group(operator, NewGroup{DisplayName: "A"})
		b := e.group(operator, NewGroup{DisplayName: "B", Type: storage.GroupTypeMicrosoft365})
		inner := e.group(operator, NewGroup{DisplayName: "Inner"})
		e.addUser(a, ann)
		e.addUser(b, bob)
		e.addUser(inner, cat)
		if err := s.AddGroupMember(ctx, operator, e.tenant, a.ID, storage.GroupMember{ID: inner.ID, Type: storage.MemberTypeGroup}); err != nil {
			t.Fatal(err)
		}
		rule := `user.memberOf -any (group.objectId -in ["` + a.ID + `", "` + b.ID + `"])`
		union := e.group(operator, NewGroup{DisplayName: "Union", MembershipRule: rule})
		e.wantMembers(union, ann, bob) // B-16, B-18 sources of both types; B-17: cat (nested in A) is not a member
		e.addUser(b, cat)
		e.wantMembers(union, ann, bob, cat) // a source's membership change re-evaluates the memberOf group
		if err := s.RemoveGroupMember(ctx, operator, e.tenant, a.ID, storage.GroupMember{ID: ann.ID, Type: storage.MemberTypeUser}); err != nil {
			t.Fatal(err)
		}
		e.wantMembers(union, bob, cat)
		if err := s.DeleteGroup(ctx, operator, e.tenant, b.ID); err != nil {
			t.Fatal(err)
		}
		e.wantMembers(union) // B-25: recomputed when a source goes away

		chained := `user.memberOf -any (group.objectId -in ["` + union.ID + `"])`
		_, err := s.CreateGroup(ctx, operator, e.tenant, NewGroup{DisplayName: "Chained", MembershipRule: chained})
		assertGroupRule(t, err, "B-21") // a memberOf group is not a source
		_, err = s.SetMembershipRule(ctx, operator, e.tenant, a.ID, `user.memberOf -any (group.objectId -in ["`+inner.ID+`"])`)
		assertGroupRule(t, err, "B-21") // a source does not become a memberOf group
		_, err = s.CreateGroup(ctx, operator, e.tenant, NewGroup{DisplayName: "Mixed",
			MembershipRule: rule[:len(rule)-1] + `) -and (user.city -eq "Redmond")`})
		assertProblem(t, err, "membershipRule", "whole rule") // B-22
		_, err = s.CreateGroup(ctx, operator, e.tenant, NewGroup{DisplayName: "Negated", MembershipRule: "-not (" + rule + ")"})
		assertProblem(t, err, "membershipRule", "whole rule") // B-23
		_, err = s.CreateGroup(ctx, operator, e.tenant, NewGroup{DisplayName: "Unknown",
			MembershipRule: `user.memberOf -any (group.objectId -in ["00000000-0000-4000-8000-000000000000"])`})
		assertProblem(t, err, "membershipRule", "does not exist")
	})
}

func TestMemberOfSourceLimit(t *testing.T) {
	t.Parallel()
	e := newGroupEnv(t, newService(t))
	var quoted []string
	for range 51 {
		quoted = append(quoted, `"`+newID()+`"`)
	}
	_, err := e.s.CreateGroup(context.Background(), operator, e.tenant, NewGroup{DisplayName: "Too many",
		MembershipRule: `user.memberOf -any (group.objectId -in [` + strings.Join(quoted, ", ") + `])`})
	assertProblem(t, err, "membershipRule", "50") // B-20
}

func TestMemberOfGroupsPerTenantLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newGroupEnv(t, newService(t))
	src := e.group(operator, NewGroup{DisplayName: "Source"})
	for range MaxMemberOfGroups {
		g := &storage.Group{ID: newID(), TenantID: e.tenant, DisplayName: "m", Type: storage.GroupTypeSecurity,
			MembershipType: storage.MembershipDynamic, RuleProcessingState: storage.RuleProcessingOn,
			MembershipRule: `user.memberOf -any (group.objectId -in ["` + src.ID + `"])`, RuleSourceGroupIDs: []string{src.ID}}
		if err := e.s.Store.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.s.CreateGroup(ctx, operator, e.tenant, NewGroup{DisplayName: "One too many",
		MembershipRule: `user.memberOf -any (group.objectId -in ["` + src.ID + `"])`})
	assertGroupRule(t, err, "B-19")
	e.group(operator, NewGroup{DisplayName: "Attribute rules are not limited", MembershipRule: `user.city -eq "Oslo"`})
}

func TestReevaluateTenant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		e := newGroupEnv(t, s)
		ann := e.user("ann", func(u *storage.User) { u.Country = "Norway"; u.OtherMails = []string{"ann@old.example"} })
		bob := e.user("bob", func(u *storage.User) { u.Country = "Sweden"; u.ExtensionAttributes[2] = "contractor" })
		nordic := e.group(operator, NewGroup{DisplayName: "Nordic", MembershipRule: `user.country -in ["Norway", "Sweden"]`})
		old := e.group(operator, NewGroup{DisplayName: "Old mail", MembershipRule: `user.otherMails -any (_ -contains "old.example")`})
		contractors := e.group(operator, NewGroup{DisplayName: "Contractors", MembershipRule: `user.extensionAttribute3 -eq "contractor"`})
		viaSource := e.group(operator, NewGroup{DisplayName: "Via", MembershipRule: `user.memberOf -any (group.objectId -in ["` + contractors.ID + `"])`})
		// Attributes changed behind the service's back (e.g. a bulk import):
		bob.Country = "Denmark"
		ann.ExtensionAttributes[2] = "contractor"
		for _, u := range []*storage.User{ann, bob} {
			if err := s.Store.UpdateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		stats, err := s.ReevaluateTenant(ctx, e.tenant)
		if err != nil {
			t.Fatal(err)
		}
		e.wantMembers(nordic, ann)
		e.wantMembers(old, ann) // multi-valued otherMails with -any
		e.wantMembers(contractors, ann, bob)
		e.wantMembers(viaSource, ann, bob)
		if stats.Groups != 4 || stats.Users != 2 || stats.Added != 2 || stats.Removed != 1 {
			t.Fatalf("stats = %+v; want 4 groups, 2 users, 2 added (ann to contractors and via), 1 removed", stats)
		}
	})
}

func TestAttributeChangeCascadesToMemberOfGroups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		e := newGroupEnv(t, s)
		ann := e.user("ann", func(u *storage.User) { u.Department = "Sales" })
		sales := e.group(operator, NewGroup{DisplayName: "Sales", MembershipRule: `user.department -eq "Sales"`})
		everyone := e.group(operator, NewGroup{DisplayName: "Everyone in Sales",
			MembershipRule: `user.memberOf -any (group.objectId -in ["` + sales.ID + `"])`})
		e.wantMembers(everyone, ann) // a dynamic group may be a memberOf source (B-18)
		if _, err := s.UpdateUser(ctx, operator, e.tenant, ann.ID, UserChange{Profile: &UserProfile{Department: "IT"}}); err != nil {
			t.Fatal(err)
		}
		e.wantMembers(sales)
		e.wantMembers(everyone) // the memberOf group follows its source within the same re-check
		if _, err := s.ReevaluateUser(ctx, e.tenant, "missing"); !errors.Is(err, ErrUserNotFound) {
			t.Fatalf("re-evaluating an unknown user = %v; want ErrUserNotFound", err)
		}
	})
}

func TestPausedRuleKeepsMembers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newGroupEnv(t, newService(t))
	ann := e.user("ann", func(u *storage.User) { u.City = "Oslo" })
	oslo := e.group(operator, NewGroup{DisplayName: "Oslo", MembershipRule: `user.city -eq "Oslo"`})
	if _, err := e.s.SetRuleProcessing(ctx, operator, e.tenant, oslo.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.UpdateUser(ctx, operator, e.tenant, ann.ID, UserChange{Profile: &UserProfile{City: "Bergen"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.ReevaluateTenant(ctx, e.tenant); err != nil {
		t.Fatal(err)
	}
	e.wantMembers(oslo, ann) // paused: nothing changes
	if _, err := e.s.SetRuleProcessing(ctx, operator, e.tenant, oslo.ID, true); err != nil {
		t.Fatal(err)
	}
	e.wantMembers(oslo) // resumed: evaluated at once
	assigned := e.group(operator, NewGroup{DisplayName: "Assigned"})
	_, err := e.s.SetRuleProcessing(ctx, operator, e.tenant, assigned.ID, false)
	assertGroupRule(t, err, "B-07")
}
