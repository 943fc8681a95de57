package conformance

import (
	"reflect"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("users", testUsers) }

func testUsers(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates a user and reads it back by ID and by UPN", userRoundTrip},
		{"stores the UPN lower-case and matches it case-insensitively", userUPNCase},
		{"rejects a UPN already used in the tenant, in any case", userDuplicateUPN},
		{"allows the same UPN in another tenant", userSameUPNOtherTenant},
		{"does not find a user through another tenant (A-02)", userTenantIsolation},
		{"rejects a user for an unknown tenant", userUnknownTenant},
		{"lists only the tenant's users", userList},
		{"updates a user and keeps it in its tenant", userUpdate},
		{"deletes a user", userDelete},
	})
}

func userRoundTrip(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	in := &storage.User{
		ID: newID(), TenantID: tenant.ID, UserPrincipalName: "ann@contoso.example",
		DisplayName: "Ann Lee", GivenName: "Ann", Surname: "Lee", Mail: "ann@contoso.example",
		UserType: storage.UserTypeGuest, AccountEnabled: true,
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA",
	}
	mustNil(t, s.CreateUser(ctx, in), "CreateUser")
	byID, err := s.GetUser(ctx, tenant.ID, in.ID)
	mustNil(t, err, "GetUser")
	byUPN, err := s.GetUserByUPN(ctx, tenant.ID, in.UserPrincipalName)
	mustNil(t, err, "GetUserByUPN")
	for _, got := range []*storage.User{byID, byUPN} {
		if !reflect.DeepEqual(*got, *in) {
			t.Errorf("got %+v, want %+v", *got, *in)
		}
	}
}

func userUPNCase(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	u := seedUser(t, s, tenant.ID, "Ann.Lee@Contoso.Example")
	if u.UserPrincipalName != "ann.lee@contoso.example" {
		t.Errorf("CreateUser left UPN %q, want it lower-cased", u.UserPrincipalName)
	}
	got, err := s.GetUserByUPN(ctx, tenant.ID, "ANN.LEE@contoso.EXAMPLE")
	mustNil(t, err, "GetUserByUPN in another case")
	if got.ID != u.ID || got.UserPrincipalName != "ann.lee@contoso.example" {
		t.Errorf("got %+v", got)
	}
}

func userDuplicateUPN(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	seedUser(t, s, tenant.ID, "ann@contoso.example")
	for _, upn := range []string{"ann@contoso.example", "ANN@Contoso.Example"} {
		dup := &storage.User{ID: newID(), TenantID: tenant.ID, UserPrincipalName: upn}
		mustIs(t, s.CreateUser(ctxFor(t), dup), storage.ErrAlreadyExists, "CreateUser "+upn)
	}
}

func userSameUPNOtherTenant(t *testing.T, s storage.Storage) {
	a := seedTenant(t, s, "alpha")
	b := seedTenant(t, s, "beta")
	seedUser(t, s, a.ID, "ann@shared.example")
	seedUser(t, s, b.ID, "ann@shared.example")
}

func userTenantIsolation(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a := seedTenant(t, s, "alpha")
	b := seedTenant(t, s, "beta")
	u := seedUser(t, s, a.ID, "ann@alpha.example")
	_, err := s.GetUser(ctx, b.ID, u.ID)
	mustIs(t, err, storage.ErrNotFound, "GetUser through tenant B")
	_, err = s.GetUserByUPN(ctx, b.ID, u.UserPrincipalName)
	mustIs(t, err, storage.ErrNotFound, "GetUserByUPN through tenant B")
	hijack := *u
	hijack.TenantID = b.ID
	hijack.DisplayName = "Hijacked"
	mustIs(t, s.UpdateUser(ctx, &hijack), storage.ErrNotFound, "UpdateUser through tenant B")
	mustIs(t, s.DeleteUser(ctx, b.ID, u.ID), storage.ErrNotFound, "DeleteUser through tenant B")
	got, err := s.GetUser(ctx, a.ID, u.ID)
	mustNil(t, err, "GetUser through tenant A")
	if got.DisplayName != u.DisplayName {
		t.Errorf("tenant B changed the user: %+v", got)
	}
}

func userUnknownTenant(t *testing.T, s storage.Storage) {
	u := &storage.User{ID: newID(), TenantID: newID(), UserPrincipalName: "ghost@nowhere.example"}
	mustIs(t, s.CreateUser(ctxFor(t), u), storage.ErrNotFound, "CreateUser in an unknown tenant")
}

func userList(t *testing.T, s storage.Storage) {
	a := seedTenant(t, s, "alpha")
	b := seedTenant(t, s, "beta")
	seedUser(t, s, a.ID, "zed@alpha.example")
	seedUser(t, s, a.ID, "ann@alpha.example")
	seedUser(t, s, b.ID, "bob@beta.example")
	users, err := s.ListUsers(ctxFor(t), a.ID)
	mustNil(t, err, "ListUsers")
	var upns []string
	for _, u := range users {
		if u.TenantID != a.ID {
			t.Errorf("ListUsers(A) returned a user of tenant %s", u.TenantID)
		}
		upns = append(upns, u.UserPrincipalName)
	}
	sameStrings(t, upns, []string{"ann@alpha.example", "zed@alpha.example"}, "UPNs ordered")
}

func userUpdate(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	u := seedUser(t, s, tenant.ID, "ann@contoso.example")
	created := u.CreatedAt
	u.DisplayName = "Ann Smith"
	u.Surname = "Smith"
	u.AccountEnabled = false
	u.UserPrincipalName = "Ann.Smith@Contoso.Example"
	mustNil(t, s.UpdateUser(ctx, u), "UpdateUser")
	got, err := s.GetUserByUPN(ctx, tenant.ID, "ann.smith@contoso.example")
	mustNil(t, err, "GetUserByUPN new UPN")
	if got.DisplayName != "Ann Smith" || got.Surname != "Smith" || got.AccountEnabled {
		t.Errorf("after update got %+v", got)
	}
	sameTime(t, got.CreatedAt, created, "CreatedAt kept")
	sameTime(t, got.UpdatedAt, u.UpdatedAt, "UpdatedAt written back")
	_, err = s.GetUserByUPN(ctx, tenant.ID, "ann@contoso.example")
	mustIs(t, err, storage.ErrNotFound, "old UPN")
}

func userDelete(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	u := seedUser(t, s, tenant.ID, "ann@contoso.example")
	mustNil(t, s.DeleteUser(ctx, tenant.ID, u.ID), "DeleteUser")
	_, err := s.GetUser(ctx, tenant.ID, u.ID)
	mustIs(t, err, storage.ErrNotFound, "GetUser after delete")
	mustIs(t, s.DeleteUser(ctx, tenant.ID, u.ID), storage.ErrNotFound, "DeleteUser twice")
	seedUser(t, s, tenant.ID, "ann@contoso.example")
}
