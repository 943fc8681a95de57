package directory

import (
	"context"
	"strings"
	"testing"
)

// TestNewPasswordsAreCheckedAgainstBannedPasswords: creating a user and
// setting a password both refuse common, custom-banned and name-based
// passwords (F-31) with a message that does not repeat the password.
func TestNewPasswordsAreCheckedAgainstBannedPasswords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		if err := s.Store.AddBannedPasswords(ctx, tenant, []string{"blizzard"}, testNow); err != nil {
			t.Fatal(err)
		}
		_, err := s.CreateUser(ctx, tenant, NewUser{UserPrincipalName: "alex@contoso.com", Password: "P@ssw0rd2024"})
		assertProblem(t, err, "password", "used too many times")
		if err != nil && strings.Contains(err.Error(), "P@ssw0rd2024") {
			t.Errorf("error repeats the password: %v", err)
		}
		u, err := s.CreateUser(ctx, tenant, NewUser{UserPrincipalName: "alex@contoso.com", GivenName: "Alex", Surname: "Wilber", Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		cases := map[string]string{
			"the tenant's custom term":   "Bl1zzard99",
			"the user's own names":       "AlexWilber!1",
			"a global term one edit off": "qwertyuiopa",
		}
		for name, pw := range cases {
			err := s.SetPassword(ctx, tenant, u.ID, pw)
			assertProblem(t, err, "password", "too easy to guess")
			if err != nil && strings.Contains(err.Error(), pw) {
				t.Errorf("%s: error repeats the password: %v", name, err)
			}
		}
		if err := s.SetPassword(ctx, tenant, u.ID, "blizzard season in the quiet hills"); err != nil {
			t.Errorf("a long passphrase that only contains a banned term was refused: %v", err)
		}
	})
}
