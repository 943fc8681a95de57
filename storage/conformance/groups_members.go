package conformance

import (
	"reflect"
	"slices"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func groupDirectMembers(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	parent := seedGroup(t, s, tenant.ID, "parent", nil)
	child := seedGroup(t, s, tenant.ID, "child", nil)
	u := seedUser(t, s, tenant.ID, "ann@contoso.example")
	addMember(t, s, tenant.ID, parent.ID, u.ID, storage.MemberTypeUser)
	addMember(t, s, tenant.ID, parent.ID, child.ID, storage.MemberTypeGroup)
	err := s.AddGroupMember(ctx, tenant.ID, parent.ID, storage.GroupMember{ID: u.ID, Type: storage.MemberTypeUser})
	mustIs(t, err, storage.ErrAlreadyExists, "adding a member twice")
	got, err := s.ListGroupMembers(ctx, tenant.ID, parent.ID)
	mustNil(t, err, "ListGroupMembers")
	want := []storage.GroupMember{{ID: u.ID, Type: storage.MemberTypeUser}, {ID: child.ID, Type: storage.MemberTypeGroup}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %+v, want %+v", got, want)
	}
	ids, err := s.ListUserGroupIDs(ctx, tenant.ID, u.ID)
	mustNil(t, err, "ListUserGroupIDs")
	sameStrings(t, ids, []string{parent.ID}, "direct groups of the user")
	mustNil(t, s.RemoveGroupMember(ctx, tenant.ID, parent.ID, want[0]), "RemoveGroupMember user")
	mustNil(t, s.RemoveGroupMember(ctx, tenant.ID, parent.ID, want[1]), "RemoveGroupMember group")
	mustIs(t, s.RemoveGroupMember(ctx, tenant.ID, parent.ID, want[0]), storage.ErrNotFound, "removing a non-member")
}

func groupMemberOtherTenant(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a, b := seedTenant(t, s, "contoso"), seedTenant(t, s, "fabrikam")
	g := seedGroup(t, s, a.ID, "Sales", nil)
	foreignUser := seedUser(t, s, b.ID, "eve@fabrikam.example")
	foreignGroup := seedGroup(t, s, b.ID, "Other", nil)
	err := s.AddGroupMember(ctx, a.ID, g.ID, storage.GroupMember{ID: foreignUser.ID, Type: storage.MemberTypeUser})
	mustIs(t, err, storage.ErrNotFound, "user of another tenant")
	err = s.AddGroupMember(ctx, a.ID, g.ID, storage.GroupMember{ID: foreignGroup.ID, Type: storage.MemberTypeGroup})
	mustIs(t, err, storage.ErrNotFound, "group of another tenant")
	mustIs(t, s.AddGroupOwner(ctx, a.ID, g.ID, foreignUser.ID), storage.ErrNotFound, "owner of another tenant")
}

// nestedChain builds top ⊃ mid ⊃ leaf ∋ user and returns the groups.
func nestedChain(t *testing.T, s storage.Storage, tenantID, userID string) (top, mid, leaf *storage.Group) {
	top = seedGroup(t, s, tenantID, "top", nil)
	mid = seedGroup(t, s, tenantID, "mid", func(g *storage.Group) { g.IsAssignableToRole = true })
	leaf = seedGroup(t, s, tenantID, "leaf", nil)
	addMember(t, s, tenantID, top.ID, mid.ID, storage.MemberTypeGroup)
	addMember(t, s, tenantID, mid.ID, leaf.ID, storage.MemberTypeGroup)
	addMember(t, s, tenantID, leaf.ID, userID, storage.MemberTypeUser)
	return top, mid, leaf
}

func groupTransitiveOfUser(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	u := seedUser(t, s, tenant.ID, "ann@contoso.example")
	top, mid, leaf := nestedChain(t, s, tenant.ID, u.ID)
	seedGroup(t, s, tenant.ID, "unrelated", nil)
	got, err := s.TransitiveGroupsOfUser(ctxFor(t), tenant.ID, u.ID)
	mustNil(t, err, "TransitiveGroupsOfUser")
	byID := map[string]storage.GroupMembership{}
	var ids []string
	for _, m := range got {
		byID[m.GroupID] = m
		ids = append(ids, m.GroupID)
	}
	sameStrings(t, ids, sorted([]string{top.ID, mid.ID, leaf.ID}), "transitive groups")
	want := storage.GroupMembership{GroupID: mid.ID, DisplayName: "mid", Type: storage.GroupTypeSecurity,
		SecurityEnabled: true, IsAssignableToRole: true, MembershipType: storage.MembershipAssigned}
	if byID[mid.ID] != want {
		t.Errorf("mid = %+v, want %+v", byID[mid.ID], want)
	}
	if !byID[leaf.ID].Direct || byID[top.ID].Direct {
		t.Errorf("direct flags: leaf %v top %v, want true false", byID[leaf.ID].Direct, byID[top.ID].Direct)
	}
}

func groupTransitiveCycleSafe(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	u := seedUser(t, s, tenant.ID, "ann@contoso.example")
	top, _, leaf := nestedChain(t, s, tenant.ID, u.ID)
	// The store does not check cycles (the service does); the queries must still end.
	addMember(t, s, tenant.ID, leaf.ID, top.ID, storage.MemberTypeGroup)
	got, err := s.TransitiveGroupsOfUser(ctxFor(t), tenant.ID, u.ID)
	mustNil(t, err, "TransitiveGroupsOfUser")
	if len(got) != 3 {
		t.Errorf("got %d groups in a cycle of three, want 3", len(got))
	}
	members, err := s.TransitiveMembersOfGroup(ctxFor(t), tenant.ID, top.ID)
	mustNil(t, err, "TransitiveMembersOfGroup")
	if len(members) != 3 { // the user, mid and leaf
		t.Errorf("got %d transitive members, want 3: %+v", len(members), members)
	}
}

func groupTransitiveMembers(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	u := seedUser(t, s, tenant.ID, "ann@contoso.example")
	v := seedUser(t, s, tenant.ID, "bob@contoso.example")
	top, mid, leaf := nestedChain(t, s, tenant.ID, u.ID)
	addMember(t, s, tenant.ID, top.ID, u.ID, storage.MemberTypeUser) // reachable twice, listed once
	addMember(t, s, tenant.ID, mid.ID, v.ID, storage.MemberTypeUser)
	got, err := s.TransitiveMembersOfGroup(ctx, tenant.ID, top.ID)
	mustNil(t, err, "TransitiveMembersOfGroup")
	want := []storage.GroupMember{
		{ID: sorted([]string{u.ID, v.ID})[0], Type: storage.MemberTypeUser},
		{ID: sorted([]string{u.ID, v.ID})[1], Type: storage.MemberTypeUser},
		{ID: sorted([]string{mid.ID, leaf.ID})[0], Type: storage.MemberTypeGroup},
		{ID: sorted([]string{mid.ID, leaf.ID})[1], Type: storage.MemberTypeGroup},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("members = %+v, want %+v", got, want)
	}
	for _, tc := range []struct {
		group, descendant string
		want              bool
	}{{top.ID, leaf.ID, true}, {top.ID, top.ID, true}, {leaf.ID, top.ID, false}, {mid.ID, top.ID, false}} {
		ok, err := s.GroupContains(ctx, tenant.ID, tc.group, tc.descendant)
		mustNil(t, err, "GroupContains")
		if ok != tc.want {
			t.Errorf("GroupContains(%s, %s) = %v, want %v", tc.group, tc.descendant, ok, tc.want)
		}
	}
}

func groupApplyChanges(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	g := seedGroup(t, s, tenant.ID, "dyn", nil)
	var changes []storage.MembershipChange
	var ids []string
	for i := range 130 { // more than one insert batch
		u := seedUser(t, s, tenant.ID, "u"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@contoso.example")
		ids = append(ids, u.ID)
		changes = append(changes, storage.MembershipChange{GroupID: g.ID, UserID: u.ID, Add: true})
	}
	mustNil(t, s.ApplyMembershipChanges(ctx, tenant.ID, changes), "ApplyMembershipChanges add")
	mustNil(t, s.ApplyMembershipChanges(ctx, tenant.ID, changes[:3]), "re-adding is not an error")
	remove := []storage.MembershipChange{{GroupID: g.ID, UserID: ids[0]}, {GroupID: g.ID, UserID: ids[0]}}
	mustNil(t, s.ApplyMembershipChanges(ctx, tenant.ID, remove), "ApplyMembershipChanges remove")
	got, err := s.ListDirectUserMembers(ctx, tenant.ID, []string{g.ID, "missing"})
	mustNil(t, err, "ListDirectUserMembers")
	sameStrings(t, got[g.ID], sorted(ids[1:]), "members after changes")
}

func groupDynamicLookups(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	src := seedGroup(t, s, tenant.ID, "source", nil)
	on := seedGroup(t, s, tenant.ID, "on", func(g *storage.Group) {
		g.MembershipType, g.RuleProcessingState, g.RuleSourceGroupIDs = storage.MembershipDynamic, storage.RuleProcessingOn, []string{src.ID}
	})
	seedGroup(t, s, tenant.ID, "paused", func(g *storage.Group) {
		g.MembershipType, g.RuleProcessingState = storage.MembershipDynamic, storage.RuleProcessingPaused
	})
	dyn, err := s.ListDynamicGroups(ctx, tenant.ID)
	mustNil(t, err, "ListDynamicGroups")
	if len(dyn) != 1 || dyn[0].ID != on.ID {
		t.Errorf("dynamic groups = %+v, want only %q", dyn, on.ID)
	}
	bySource, err := s.ListGroupsByRuleSource(ctx, tenant.ID, src.ID)
	mustNil(t, err, "ListGroupsByRuleSource")
	if len(bySource) != 1 || bySource[0].ID != on.ID {
		t.Errorf("groups by source = %+v, want only %q", bySource, on.ID)
	}
	on.RuleSourceGroupIDs = nil
	mustNil(t, s.UpdateGroup(ctx, on), "UpdateGroup")
	bySource, err = s.ListGroupsByRuleSource(ctx, tenant.ID, src.ID)
	mustNil(t, err, "ListGroupsByRuleSource after update")
	if len(bySource) != 0 {
		t.Errorf("update kept stale rule sources: %+v", bySource)
	}
}

func groupOwners(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	g := seedGroup(t, s, tenant.ID, "Sales", nil)
	u := seedUser(t, s, tenant.ID, "ann@contoso.example")
	mustNil(t, s.AddGroupOwner(ctx, tenant.ID, g.ID, u.ID), "AddGroupOwner")
	mustIs(t, s.AddGroupOwner(ctx, tenant.ID, g.ID, u.ID), storage.ErrAlreadyExists, "owner twice")
	owners, err := s.ListGroupOwners(ctx, tenant.ID, g.ID)
	mustNil(t, err, "ListGroupOwners")
	sameStrings(t, owners, []string{u.ID}, "owners")
	owned, err := s.ListOwnedGroupIDs(ctx, tenant.ID, u.ID)
	mustNil(t, err, "ListOwnedGroupIDs")
	sameStrings(t, owned, []string{g.ID}, "owned groups")
	mustNil(t, s.RemoveGroupOwner(ctx, tenant.ID, g.ID, u.ID), "RemoveGroupOwner")
	mustIs(t, s.RemoveGroupOwner(ctx, tenant.ID, g.ID, u.ID), storage.ErrNotFound, "removing a non-owner")
}

func groupDelete(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	u := seedUser(t, s, tenant.ID, "ann@contoso.example")
	top, mid, _ := nestedChain(t, s, tenant.ID, u.ID)
	mustNil(t, s.DeleteGroup(ctx, tenant.ID, mid.ID), "DeleteGroup")
	_, err := s.GetUser(ctx, tenant.ID, u.ID)
	mustNil(t, err, "the member user survives")
	got, err := s.TransitiveGroupsOfUser(ctx, tenant.ID, u.ID)
	mustNil(t, err, "TransitiveGroupsOfUser")
	if len(got) != 1 {
		t.Errorf("after deleting the middle group the user is in %d groups, want 1 (leaf): %+v", len(got), got)
	}
	members, err := s.ListGroupMembers(ctx, tenant.ID, top.ID)
	mustNil(t, err, "ListGroupMembers")
	if len(members) != 0 {
		t.Errorf("top still lists %+v", members)
	}
}

func groupExtensionProperties(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app := seedApp(t, s, tenant.ID)
	p := &storage.ExtensionProperty{Name: "extension_0123456789abcdef0123456789abcdef_team", TenantID: tenant.ID,
		AppID: app.ID, DataType: storage.ExtensionTypeString}
	mustNil(t, s.CreateExtensionProperty(ctx, p), "CreateExtensionProperty")
	mustIs(t, s.CreateExtensionProperty(ctx, p), storage.ErrAlreadyExists, "same name twice")
	bad := *p
	bad.AppID = "missing"
	mustIs(t, s.CreateExtensionProperty(ctx, &bad), storage.ErrNotFound, "unknown application")
	list, err := s.ListExtensionProperties(ctx, tenant.ID)
	mustNil(t, err, "ListExtensionProperties")
	if len(list) != 1 || list[0].Name != p.Name || list[0].AppID != app.ID {
		t.Errorf("list = %+v", list)
	}
	mustNil(t, s.DeleteExtensionProperty(ctx, tenant.ID, p.Name), "DeleteExtensionProperty")
	mustIs(t, s.DeleteExtensionProperty(ctx, tenant.ID, p.Name), storage.ErrNotFound, "deleting twice")
}
