package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var appRoleCommands = []command{
	{"create", "define an app role of an application", runAppRoleCreate},
	{"list", "list an application's app roles", runAppRoleList},
	{"disable", "disable an app role (needed before deleting it)", runAppRoleDisable},
	{"enable", "enable an app role again", runAppRoleEnable},
	{"delete", "delete a disabled app role and its assignments", runAppRoleDelete},
	{"assign", "assign an app role to a user, a group, a group team or a client", runAppRoleAssign},
	{"unassign", "remove an app role assignment", runAppRoleUnassign},
	{"assignments", "list an application's app role assignments", runAppRoleAssignments},
	{"require-assignment", "turn the application's \"assignment required\" on or off", runAppRoleRequire},
}

func runAppRole(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil approle", appRoleCommands, args)
}

type appRoleJSON struct {
	ID                 string   `json:"id"`
	Value              string   `json:"value"`
	DisplayName        string   `json:"displayName"`
	Description        string   `json:"description"`
	AllowedMemberTypes []string `json:"allowedMemberTypes"`
	IsEnabled          bool     `json:"isEnabled"`
}

func toAppRoleJSON(r storage.AppRole) appRoleJSON {
	return appRoleJSON{r.ID, r.Value, r.DisplayName, r.Description, nonNil(r.AllowedMemberTypes), r.IsEnabled}
}

func runAppRoleCreate(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("approle create", "--tenant T --client-id C --value V --name N [--member-type User|Application ...] [flags]",
		"Define an app role. Its value is what the roles claim carries; it is unique per application.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	client := f.fs.String("client-id", "", "the application's client ID (required)")
	var in directory.NewAppRole
	var types stringList
	f.fs.StringVar(&in.Value, "value", "", "claim value, no spaces (required)")
	f.fs.StringVar(&in.DisplayName, "name", "", "display name (required)")
	f.fs.StringVar(&in.Description, "description", "", "description")
	f.fs.Var(&types, "member-type", "User (users and groups) or Application (clients); repeatable, default User")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"client-id": client, "value": &in.Value, "name": &in.DisplayName})
	if err != nil {
		return err
	}
	defer a.close()
	in.AllowedMemberTypes = types
	if len(types) == 0 {
		in.AllowedMemberTypes = []string{storage.AppRoleMemberUser}
	}
	r, err := a.roles().CreateAppRole(ctx, operator, id, *client, in)
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, toAppRoleJSON(*r), fmt.Sprintf("Created app role %s\n  ID: %s\n", r.Value, r.ID))
}

func runAppRoleList(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("approle list", "--tenant T --client-id C [flags]", "List an application's app roles.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	client := f.fs.String("client-id", "", "the application's client ID (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"client-id": client})
	if err != nil {
		return err
	}
	defer a.close()
	list, err := a.roles().ListAppRoles(ctx, id, *client)
	if err != nil {
		return err
	}
	rows := make([]appRoleJSON, 0, len(list))
	for _, r := range list {
		rows = append(rows, toAppRoleJSON(r))
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ID", "VALUE", "NAME", "MEMBER TYPES", "ENABLED"}, func(i int) []string {
		r := rows[i]
		return []string{r.ID, r.Value, r.DisplayName, listOrDash(r.AllowedMemberTypes), fmt.Sprint(r.IsEnabled)}
	})
}

// appRoleFlags are --tenant, --client-id and --role of the commands that act
// on one app role.
func appRoleFlags(c *cli, name, about string) (*adminFlags, *string, *string, *string) {
	f := c.adminFlags("approle "+name, "--tenant T --client-id C --role R [flags]", about)
	return f, f.fs.String("tenant", "", "tenant ID or verified domain (required)"),
		f.fs.String("client-id", "", "the application's client ID (required)"),
		f.fs.String("role", "", "app role ID (required)")
}

func setAppRoleEnabled(ctx context.Context, c *cli, args []string, name string, enabled bool) error {
	f, tenant, client, role := appRoleFlags(c, name, "Enable or disable an app role; a disabled role reaches nobody.")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"client-id": client, "role": role})
	if err != nil {
		return err
	}
	defer a.close()
	r, err := a.roles().UpdateAppRole(ctx, operator, id, *client, *role, directory.AppRoleChange{Enabled: &enabled})
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, toAppRoleJSON(*r), fmt.Sprintf("App role %s enabled: %v\n", r.Value, r.IsEnabled))
}

func runAppRoleDisable(ctx context.Context, c *cli, args []string) error {
	return setAppRoleEnabled(ctx, c, args, "disable", false)
}

func runAppRoleEnable(ctx context.Context, c *cli, args []string) error {
	return setAppRoleEnabled(ctx, c, args, "enable", true)
}

func runAppRoleDelete(ctx context.Context, c *cli, args []string) error {
	f, tenant, client, role := appRoleFlags(c, "delete", "Delete a disabled app role together with its assignments.")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"client-id": client, "role": role})
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.roles().DeleteAppRole(ctx, operator, id, *client, *role); err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]any{"deleted": true, "appRole": *role}, fmt.Sprintf("Deleted app role %s\n", *role))
}

type appRoleAssignmentJSON struct {
	ID            string    `json:"id"`
	ClientID      string    `json:"resourceId"`
	AppRoleID     string    `json:"appRoleId"`
	PrincipalID   string    `json:"principalId"`
	PrincipalType string    `json:"principalType"`
	TeamType      string    `json:"teamType,omitempty"`
	CreatedAt     time.Time `json:"createdAt"`
}

func toAppRoleAssignmentJSON(r storage.AppRoleAssignment) appRoleAssignmentJSON {
	return appRoleAssignmentJSON{r.ID, r.ClientID, r.AppRoleID, r.PrincipalID, r.PrincipalType, r.TeamType, r.CreatedAt.UTC()}
}
