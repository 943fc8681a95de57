package directory

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/storage"
)

const testPassword = "a perfectly fine passphrase"

func TestCreateUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		u, err := s.CreateUser(ctx, tenant, NewUser{UserPrincipalName: " Alex.Wilber@Contoso.com ", Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		if u.UserPrincipalName != "alex.wilber@contoso.com" || u.DisplayName != "alex.wilber" {
			t.Fatalf("UPN %q, display name %q; want lower-cased UPN and the local part as display name", u.UserPrincipalName, u.DisplayName)
		}
		if u.UserType != storage.UserTypeMember || !u.AccountEnabled || u.TenantID != tenant || len(u.ID) != 36 {
			t.Fatalf("user = %+v", u)
		}
		stored, err := s.GetUser(ctx, tenant, "ALEX.WILBER@contoso.com")
		if err != nil || stored.ID != u.ID {
			t.Fatalf("GetUser by UPN = %v, %v", stored, err)
		}
		if ok, err := credential.VerifyPassword(stored.PasswordHash, testPassword); !ok || err != nil {
			t.Fatalf("stored password hash does not verify: %v", err)
		}
		if strings.Contains(stored.PasswordHash, testPassword) {
			t.Fatal("the password is stored in clear")
		}
	})
}

func TestCreateUserKeepsOptionalFields(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		u, err := s.CreateUser(context.Background(), tenant, NewUser{
			UserPrincipalName: "guest@contoso.com", DisplayName: "Gäst User", GivenName: "Gäst", Surname: "User",
			Mail: "guest@fabrikam.example", Password: testPassword, UserType: "guest", Disabled: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		if u.UserType != storage.UserTypeGuest || u.AccountEnabled || u.DisplayName != "Gäst User" ||
			u.GivenName != "Gäst" || u.Surname != "User" || u.Mail != "guest@fabrikam.example" {
			t.Fatalf("user = %+v", u)
		}
	})
}

func TestCreateUserValidation(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		mustTenant(t, s, "fabrikam.com")
		valid := NewUser{UserPrincipalName: "alex@contoso.com", Password: testPassword}
		with := func(change func(*NewUser)) NewUser { u := valid; change(&u); return u }
		tests := []struct {
			name     string
			in       NewUser
			field    string
			fragment string
		}{
			{"requires a UPN", with(func(u *NewUser) { u.UserPrincipalName = "" }), "userPrincipalName", "required"},
			{"rejects a UPN without @", with(func(u *NewUser) { u.UserPrincipalName = "alex" }), "userPrincipalName", "name@domain"},
			{"rejects a UPN with two @", with(func(u *NewUser) { u.UserPrincipalName = "a@b@contoso.com" }), "userPrincipalName", "exactly one @"},
			{"rejects a UPN on a domain the tenant does not own", with(func(u *NewUser) { u.UserPrincipalName = "alex@example.org" }), "userPrincipalName", "not a verified domain"},
			{"rejects a UPN on another tenant's domain (A-22)", with(func(u *NewUser) { u.UserPrincipalName = "alex@fabrikam.com" }), "userPrincipalName", "not a verified domain"},
			{"rejects an invalid local part", with(func(u *NewUser) { u.UserPrincipalName = "alex+x@contoso.com" }), "userPrincipalName", "only letters"},
			{"rejects an empty local part", with(func(u *NewUser) { u.UserPrincipalName = "@contoso.com" }), "userPrincipalName", "name before the @"},
			{"requires a password", with(func(u *NewUser) { u.Password = "" }), "password", "required"},
			{"rejects a short password", with(func(u *NewUser) { u.Password = "short" }), "password", "at least 8"},
			{"rejects an unknown user type", with(func(u *NewUser) { u.UserType = "Admin" }), "userType", "Member or Guest"},
			{"rejects a malformed mail address", with(func(u *NewUser) { u.Mail = "Alex <alex@contoso.com>" }), "mail", "e-mail address"},
			{"rejects a display name over 256 characters", with(func(u *NewUser) { u.DisplayName = strings.Repeat("x", 257) }), "displayName", "at most 256"},
			{"rejects a given name over 64 characters", with(func(u *NewUser) { u.GivenName = strings.Repeat("x", 65) }), "givenName", "at most 64"},
			{"rejects a surname with a newline", with(func(u *NewUser) { u.Surname = "Wil\nber" }), "surname", "control"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.CreateUser(context.Background(), tenant, tt.in)
				assertProblem(t, err, tt.field, tt.fragment)
			})
		}
		if users, _ := s.ListUsers(context.Background(), tenant); len(users) != 0 {
			t.Fatalf("%d users after refused creates; want 0", len(users))
		}
	})
}

func TestCreateUserReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		_, err := s.CreateUser(context.Background(), tenant, NewUser{UserPrincipalName: "alex@else.example", Password: "short", UserType: "x"})
		var verr *ValidationError
		if !errors.As(err, &verr) || len(verr.Problems) != 3 {
			t.Fatalf("error = %v; want three problems (domain, password, user type)", err)
		}
	})
}

func TestCreateUserRefusesADuplicateUPNCaseInsensitively(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		if _, err := s.CreateUser(ctx, tenant, NewUser{UserPrincipalName: "alex@contoso.com", Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		_, err := s.CreateUser(ctx, tenant, NewUser{UserPrincipalName: "ALEX@Contoso.com", Password: testPassword})
		assertConflict(t, err, "a user with this user principal name already exists")
	})
}

func TestUsersAreIsolatedPerTenant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		contoso, fabrikam := mustTenant(t, s, "contoso.com"), mustTenant(t, s, "fabrikam.com")
		u, err := s.CreateUser(ctx, contoso, NewUser{UserPrincipalName: "alex@contoso.com", Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range []string{u.ID, u.UserPrincipalName} {
			if _, err := s.GetUser(ctx, fabrikam, ref); !errors.Is(err, ErrUserNotFound) {
				t.Fatalf("GetUser(other tenant, %q) = %v; want ErrUserNotFound (A-02)", ref, err)
			}
		}
		if err := s.DeleteUser(ctx, fabrikam, u.ID); !errors.Is(err, ErrUserNotFound) {
			t.Fatalf("DeleteUser from another tenant: %v; want ErrUserNotFound", err)
		}
		if err := s.SetPassword(ctx, fabrikam, u.ID, "another fine passphrase"); !errors.Is(err, ErrUserNotFound) {
			t.Fatalf("SetPassword from another tenant: %v; want ErrUserNotFound", err)
		}
		if users, _ := s.ListUsers(ctx, fabrikam); len(users) != 0 {
			t.Fatalf("the other tenant lists %d users", len(users))
		}
		if _, err := s.ListUsers(ctx, "no-such-tenant"); !errors.Is(err, ErrTenantNotFound) {
			t.Fatalf("ListUsers(unknown tenant) = %v; want ErrTenantNotFound", err)
		}
		if _, err := s.CreateUser(ctx, "no-such-tenant", NewUser{}); !errors.Is(err, ErrTenantNotFound) {
			t.Fatalf("CreateUser(unknown tenant) = %v; want ErrTenantNotFound", err)
		}
	})
}

func TestSetPassword(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		u, err := s.CreateUser(ctx, tenant, NewUser{UserPrincipalName: "alex@contoso.com", Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		assertProblem(t, s.SetPassword(ctx, tenant, u.ID, "1234567"), "password", "at least 8")
		if err := s.SetPassword(ctx, tenant, "alex@contoso.com", "a brand new passphrase"); err != nil {
			t.Fatal(err)
		}
		stored, _ := s.GetUser(ctx, tenant, u.ID)
		if ok, _ := credential.VerifyPassword(stored.PasswordHash, "a brand new passphrase"); !ok {
			t.Fatal("the new password does not verify")
		}
		if ok, _ := credential.VerifyPassword(stored.PasswordHash, testPassword); ok {
			t.Fatal("the old password still verifies")
		}
	})
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		if _, err := s.CreateUser(ctx, tenant, NewUser{UserPrincipalName: "alex@contoso.com", Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, tenant, "Alex@contoso.com"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetUser(ctx, tenant, "alex@contoso.com"); !errors.Is(err, ErrUserNotFound) {
			t.Fatalf("deleted user still found: %v", err)
		}
	})
}
