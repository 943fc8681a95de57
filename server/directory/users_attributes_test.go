package directory

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func TestUserAttributes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		e := newGroupEnv(t, s)
		app, _, err := s.CreateApplication(ctx, e.tenant, NewApplication{DisplayName: "HR"})
		if err != nil {
			t.Fatal(err)
		}
		prop, err := s.RegisterExtensionProperty(ctx, operator, e.tenant, app.ID, "CostCenter", "")
		if err != nil {
			t.Fatal(err)
		}
		wantName := "extension_" + strings.ReplaceAll(app.ID, "-", "") + "_costcenter"
		if prop.Name != wantName || prop.DataType != storage.ExtensionTypeString {
			t.Fatalf("extension = %+v; want %s of type String (B-47)", prop, wantName)
		}
		_, err = s.RegisterExtensionProperty(ctx, operator, e.tenant, app.ID, "costcenter", "")
		assertConflict(t, err, "a directory extension with this name already exists")
		_, err = s.RegisterExtensionProperty(ctx, operator, e.tenant, app.ID, "9 bad", "Float")
		assertProblem(t, err, "name", "start with a letter")
		assertProblem(t, err, "dataType", "String, Boolean or Integer")

		profile := UserProfile{Department: " Finance ", UsageLocation: "no", OtherMails: []string{"ann@home.example"},
			DirectoryExtensions: map[string]string{strings.ToUpper(wantName): "CC-42"}}
		profile.ExtensionAttributes[14] = "badge-7"
		u, err := s.CreateUser(ctx, e.tenant, NewUser{UserPrincipalName: "ann@contoso.com", Password: testPassword, Profile: profile})
		if err != nil {
			t.Fatal(err)
		}
		if u.Department != "Finance" || u.UsageLocation != "NO" || u.DirectoryExtensions[wantName] != "CC-42" || u.ExtensionAttributes[14] != "badge-7" {
			t.Fatalf("user = %+v", u)
		}
		cc := e.group(operator, NewGroup{DisplayName: "CC-42", MembershipRule: "user." + wantName + ` -eq "cc-42"`})
		e.wantMembers(cc, u) // B-47: directory extensions in rules

		bad := UserProfile{UsageLocation: "Norway", OtherMails: []string{"not-mail"}, EmployeeID: strings.Repeat("9", 17),
			DirectoryExtensions: map[string]string{"extension_00000000000000000000000000000000_x": "v"}}
		_, err = s.UpdateUser(ctx, operator, e.tenant, u.ID, UserChange{Profile: &bad})
		assertProblem(t, err, "usageLocation", "two-letter")
		assertProblem(t, err, "otherMails[0]", "e-mail address")
		assertProblem(t, err, "employeeId", "at most 16")
		assertProblem(t, err, "extension_00000000000000000000000000000000_x", "not a directory extension registered")

		typeName := "Guest"
		enabled := false
		if _, err := s.UpdateUser(ctx, operator, e.tenant, u.ID, UserChange{UserType: &typeName, AccountEnabled: &enabled}); err != nil {
			t.Fatal(err)
		}
		e.wantMembers(cc, u) // the profile was not part of the change and stays
		_, err = s.UpdateUser(ctx, Actor{}, e.tenant, u.ID, UserChange{UserType: &typeName})
		var refused *RoleRequiredError
		if !errors.As(err, &refused) {
			t.Fatalf("an actor without roles changed a user: %v", err)
		}
	})
}
