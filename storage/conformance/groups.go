package conformance

import (
	"reflect"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("groups", testGroups) }

func testGroups(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates a group and reads it back with its rule sources", groupRoundTrip},
		{"keeps user profile and extension attributes (A-25, B-47)", userAttributesRoundTrip},
		{"pages through users by ID", userPaging},
		{"does not find a group through another tenant (A-02)", groupTenantIsolation},
		{"never changes isAssignableToRole on update (C-08)", groupAssignableImmutable},
		{"counts role-assignable, dynamic and memberOf groups", groupCounts},
		{"adds and removes direct user and group members", groupDirectMembers},
		{"refuses a member of another tenant", groupMemberOtherTenant},
		{"computes transitive groups of a user through nesting (B-05)", groupTransitiveOfUser},
		{"ends the transitive walk on a cycle in the data", groupTransitiveCycleSafe},
		{"computes transitive members of a group", groupTransitiveMembers},
		{"applies membership changes in batches, idempotently", groupApplyChanges},
		{"finds dynamic groups and groups by memberOf source", groupDynamicLookups},
		{"manages owners", groupOwners},
		{"deletes a group with its memberships, not its users (B-38)", groupDelete},
		{"registers directory extension properties", groupExtensionProperties},
	})
}

func seedGroup(t *testing.T, s storage.Storage, tenantID, name string, mutate func(*storage.Group)) *storage.Group {
	t.Helper()
	g := &storage.Group{ID: newID(), TenantID: tenantID, DisplayName: name, Type: storage.GroupTypeSecurity,
		SecurityEnabled: true, MembershipType: storage.MembershipAssigned}
	if mutate != nil {
		mutate(g)
	}
	mustNil(t, s.CreateGroup(ctxFor(t), g), "CreateGroup "+name)
	return g
}

func addMember(t *testing.T, s storage.Storage, tenantID, groupID, id, typ string) {
	t.Helper()
	mustNil(t, s.AddGroupMember(ctxFor(t), tenantID, groupID, storage.GroupMember{ID: id, Type: typ}), "AddGroupMember")
}

func groupRoundTrip(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	in := seedGroup(t, s, tenant.ID, "Sales", func(g *storage.Group) {
		g.Type, g.Description, g.MailNickname, g.Mail = storage.GroupTypeMicrosoft365, "d", "sales", "sales@contoso.example"
		g.MailEnabled, g.MembershipType = true, storage.MembershipDynamic
		g.MembershipRule, g.RuleProcessingState = `user.memberOf -any (group.objectId -in ["a", "b"])`, storage.RuleProcessingOn
		g.RuleSourceGroupIDs, g.RuleProcessedAt = []string{"a", "b"}, &at
		g.IsAssignableToRole = true
	})
	got, err := s.GetGroup(ctxFor(t), tenant.ID, in.ID)
	mustNil(t, err, "GetGroup")
	if !reflect.DeepEqual(*got, *in) {
		t.Errorf("got %+v, want %+v", *got, *in)
	}
}

func userAttributesRoundTrip(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	u := seedUser(t, s, tenant.ID, "ann@contoso.example")
	u.Department, u.JobTitle, u.CompanyName, u.EmployeeID = "Sales", "Rep", "Contoso", "E1"
	u.City, u.Country, u.UsageLocation, u.MobilePhone = "Oslo", "Norway", "NO", "+47 1"
	u.OtherMails, u.ProxyAddresses = []string{"a@x.example", "b@x.example"}, []string{"SMTP:ann@contoso.example"}
	u.ExtensionAttributes[0], u.ExtensionAttributes[14] = "one", "fifteen"
	u.DirectoryExtensions = map[string]string{"extension_0123456789abcdef0123456789abcdef_team": "blue"}
	mustNil(t, s.UpdateUser(ctxFor(t), u), "UpdateUser")
	got, err := s.GetUser(ctxFor(t), tenant.ID, u.ID)
	mustNil(t, err, "GetUser")
	if !reflect.DeepEqual(*got, *u) {
		t.Errorf("got %+v, want %+v", *got, *u)
	}
}

func userPaging(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	other := seedTenant(t, s, "fabrikam")
	seedUser(t, s, other.ID, "x@fabrikam.example")
	var want []string
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		want = append(want, seedUser(t, s, tenant.ID, name+"@contoso.example").ID)
	}
	var got []string
	after := ""
	for {
		page, err := s.ListUsersPage(ctxFor(t), tenant.ID, after, 2)
		mustNil(t, err, "ListUsersPage")
		if len(page) == 0 {
			break
		}
		for _, u := range page {
			got = append(got, u.ID)
		}
		after = page[len(page)-1].ID
	}
	sameStrings(t, got, sorted(want), "paged user IDs")
}

func groupTenantIsolation(t *testing.T, s storage.Storage) {
	a, b := seedTenant(t, s, "contoso"), seedTenant(t, s, "fabrikam")
	g := seedGroup(t, s, a.ID, "Sales", nil)
	_, err := s.GetGroup(ctxFor(t), b.ID, g.ID)
	mustIs(t, err, storage.ErrNotFound, "GetGroup from another tenant")
	mustIs(t, s.DeleteGroup(ctxFor(t), b.ID, g.ID), storage.ErrNotFound, "DeleteGroup from another tenant")
	list, err := s.ListGroups(ctxFor(t), b.ID)
	mustNil(t, err, "ListGroups")
	if len(list) != 0 {
		t.Errorf("other tenant lists %d groups", len(list))
	}
}

func groupAssignableImmutable(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	g := seedGroup(t, s, tenant.ID, "Admins", nil)
	g.IsAssignableToRole, g.DisplayName = true, "Admins 2"
	mustNil(t, s.UpdateGroup(ctxFor(t), g), "UpdateGroup")
	got, err := s.GetGroup(ctxFor(t), tenant.ID, g.ID)
	mustNil(t, err, "GetGroup")
	if got.IsAssignableToRole || got.DisplayName != "Admins 2" {
		t.Errorf("got assignable=%v name=%q, want false and the new name", got.IsAssignableToRole, got.DisplayName)
	}
}

func groupCounts(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	seedGroup(t, s, tenant.ID, "plain", nil)
	seedGroup(t, s, tenant.ID, "admins", func(g *storage.Group) { g.IsAssignableToRole = true })
	seedGroup(t, s, tenant.ID, "dyn", func(g *storage.Group) { g.MembershipType = storage.MembershipDynamic })
	seedGroup(t, s, tenant.ID, "mo", func(g *storage.Group) {
		g.MembershipType, g.RuleSourceGroupIDs = storage.MembershipDynamic, []string{"x"}
	})
	for _, tc := range []struct {
		f    storage.GroupCountFilter
		want int
	}{
		{storage.GroupCountFilter{}, 4},
		{storage.GroupCountFilter{AssignableToRole: true}, 1},
		{storage.GroupCountFilter{Dynamic: true}, 2},
		{storage.GroupCountFilter{UsesMemberOf: true}, 1},
	} {
		n, err := s.CountGroups(ctxFor(t), tenant.ID, tc.f)
		mustNil(t, err, "CountGroups")
		if n != tc.want {
			t.Errorf("CountGroups(%+v) = %d, want %d", tc.f, n, tc.want)
		}
	}
}
