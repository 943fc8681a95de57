package main

import (
	"context"
	"fmt"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

func runAppRoleAssign(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("approle assign", "--tenant T --client-id C [--role R] (--user U | --group G [--team TYPE] | --client C2) [flags]",
		"Assign an app role. Without --role the assignment is Default Access (access without a role value).\n"+
			"A group assignment reaches the group's direct members; --team makes it a group team that reaches\n"+
			"only its Members, Owners, Guests or MembersAndGuests.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	client := f.fs.String("client-id", "", "the resource application's client ID (required)")
	role := f.fs.String("role", storage.DefaultAccessAppRoleID, "app role ID (default: Default Access)")
	p := bindPrincipal(f)
	team := f.fs.String("team", "", "group team type: MembersAndGuests, Members, Owners or Guests")
	clientPrincipal := f.fs.String("client", "", "a client application's ID (for client-credentials roles)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"client-id": client})
	if err != nil {
		return err
	}
	defer a.close()
	in := directory.NewAppRoleAssignment{ClientID: *client, AppRoleID: *role, TeamType: *team}
	if *clientPrincipal != "" {
		in.PrincipalID, in.PrincipalType = *clientPrincipal, storage.PrincipalServicePrincipal
	} else if in.PrincipalID, in.PrincipalType, err = p.resolve(ctx, a, id); err != nil {
		return err
	}
	r, err := a.roles().AssignAppRole(ctx, operator, id, in)
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, toAppRoleAssignmentJSON(*r), fmt.Sprintf("Assigned app role %s to %s %s\n  Assignment ID: %s\n",
		r.AppRoleID, r.PrincipalType, r.PrincipalID, r.ID))
}

func runAppRoleUnassign(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("approle unassign", "--tenant T --assignment A [flags]", "Remove an app role assignment.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	assignment := f.fs.String("assignment", "", "app role assignment ID (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"assignment": assignment})
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.roles().RemoveAppRoleAssignment(ctx, operator, id, *assignment); err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]any{"deleted": true, "assignment": *assignment},
		fmt.Sprintf("Removed app role assignment %s\n", *assignment))
}

func runAppRoleAssignments(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("approle assignments", "--tenant T --client-id C [flags]", "List an application's app role assignments.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	client := f.fs.String("client-id", "", "the resource application's client ID (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"client-id": client})
	if err != nil {
		return err
	}
	defer a.close()
	list, err := a.roles().ListAppRoleAssignments(ctx, id, storage.AppRoleAssignmentFilter{ClientID: *client})
	if err != nil {
		return err
	}
	rows := make([]appRoleAssignmentJSON, 0, len(list))
	for _, r := range list {
		rows = append(rows, toAppRoleAssignmentJSON(r))
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ID", "APP ROLE", "PRINCIPAL", "TYPE", "TEAM"}, func(i int) []string {
		r := rows[i]
		team := r.TeamType
		if team == "" {
			team = "-"
		}
		return []string{r.ID, r.AppRoleID, r.PrincipalID, r.PrincipalType, team}
	})
}

func runAppRoleRequire(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("approle require-assignment", "--tenant T --client-id C [--off] [flags]",
		"Require an app role assignment (direct or through a group) to sign in to the application; --off admits everyone again.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	client := f.fs.String("client-id", "", "the application's client ID (required)")
	off := f.fs.Bool("off", false, "stop requiring assignment")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"client-id": client})
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.roles().SetAssignmentRequired(ctx, operator, id, *client, !*off); err != nil {
		return fmt.Errorf("application %q: %w", *client, err)
	}
	return a.out.write(a.stdout, map[string]any{"clientId": *client, "appRoleAssignmentRequired": !*off},
		fmt.Sprintf("Application %s: assignment required = %v\n", *client, !*off))
}
