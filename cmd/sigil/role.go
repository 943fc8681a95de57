package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var roleCommands = []command{
	{"list", "list built-in and custom directory roles", runRoleList},
	{"create", "define a custom role from permissions", runRoleCreate},
	{"delete", "delete a custom role nobody holds", runRoleDelete},
	{"assign", "assign a directory role to a user or a role-assignable group", runRoleAssign},
	{"unassign", "remove a role assignment", runRoleUnassign},
	{"assignments", "list role assignments", runRoleAssignments},
	{"effective", "print a user's effective directory roles (direct, group, active PIM)", runRoleEffective},
	{"eligible", "make a user or role-assignable group eligible for a role (PIM)", runRoleEligible},
	{"eligibilities", "list eligible role assignments", runRoleEligibilities},
	{"remove-eligibility", "remove an eligible role assignment and its activations", runRoleRemoveEligibility},
	{"requests", "list PIM activation requests", runRoleRequests},
	{"approve", "approve a pending activation request", runRoleApprove},
	{"deny", "deny a pending activation request", runRoleDeny},
	{"deactivate", "end an active role before it expires", runRoleDeactivate},
}

func runRole(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil role", roleCommands, args)
}

// operator is the CLI's actor: whoever holds the database holds every role.
var operator = directory.Actor{System: true}

// roles returns the role service over the admin's store.
func (a *admin) roles() *directory.Roles {
	return &directory.Roles{Store: a.store, Groups: directory.StoreGroups{Store: a.store}}
}

// principalFlags are --user and --group, exactly one of which names the
// principal of an assignment.
type principalFlags struct{ user, group *string }

func bindPrincipal(f *adminFlags) principalFlags {
	return principalFlags{
		user:  f.fs.String("user", "", "user object ID or UPN"),
		group: f.fs.String("group", "", "role-assignable group object ID"),
	}
}

// resolve returns the principal's ID and type.
func (p principalFlags) resolve(ctx context.Context, a *admin, tenantID string) (string, string, error) {
	switch {
	case *p.user != "" && *p.group != "":
		return "", "", usageErrorf("give --user or --group, not both")
	case *p.user != "":
		u, err := a.dir.GetUser(ctx, tenantID, *p.user)
		if err != nil {
			return "", "", fmt.Errorf("user %q: %w", *p.user, err)
		}
		return u.ID, storage.PrincipalUser, nil
	case *p.group != "":
		return *p.group, storage.PrincipalGroup, nil
	}
	return "", "", usageErrorf("give --user or --group")
}

type roleJSON struct {
	ID          string   `json:"id"`
	DisplayName string   `json:"displayName"`
	Description string   `json:"description"`
	BuiltIn     bool     `json:"isBuiltIn"`
	Permissions []string `json:"permissions"`
}

func runRoleList(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role list", "--tenant T [flags]", "List the built-in directory roles (with Entra's template IDs) and the tenant's custom roles.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	list, err := a.roles().ListRoles(ctx, id)
	if err != nil {
		return err
	}
	rows := make([]roleJSON, 0, len(list))
	for _, r := range list {
		rows = append(rows, roleJSON{r.ID, r.DisplayName, r.Description, r.BuiltIn, nonNil(r.Permissions)})
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ID", "NAME", "BUILT-IN"}, func(i int) []string {
		return []string{rows[i].ID, rows[i].DisplayName, fmt.Sprint(rows[i].BuiltIn)}
	})
}

func runRoleCreate(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role create", "--tenant T --name N --permission P... [flags]",
		"Define a custom directory role from resource actions, e.g. microsoft.directory/users/password/update.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	var in directory.NewCustomRole
	var perms stringList
	f.fs.StringVar(&in.DisplayName, "name", "", "display name (required)")
	f.fs.StringVar(&in.Description, "description", "", "description")
	f.fs.Var(&perms, "permission", "resource action the role grants (repeatable)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"name": &in.DisplayName})
	if err != nil {
		return err
	}
	defer a.close()
	in.Permissions = perms
	d, err := a.roles().CreateCustomRole(ctx, operator, id, in)
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, roleJSON{d.ID, d.DisplayName, d.Description, false, d.Permissions},
		fmt.Sprintf("Created custom role %s\n  ID: %s\n", d.DisplayName, d.ID))
}

func runRoleDelete(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role delete", "--tenant T --role R [flags]", "Delete a custom role that no assignment or eligibility uses.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	role := f.fs.String("role", "", "custom role ID or name (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"role": role})
	if err != nil {
		return err
	}
	defer a.close()
	r, err := a.roles().FindRole(ctx, id, *role)
	if err != nil {
		return fmt.Errorf("role %q: %w", *role, err)
	}
	if err := a.roles().DeleteCustomRole(ctx, operator, id, r.ID); err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]any{"deleted": true, "role": r.ID}, fmt.Sprintf("Deleted custom role %s\n", r.DisplayName))
}

type roleAssignmentJSON struct {
	ID            string    `json:"id"`
	RoleID        string    `json:"roleDefinitionId"`
	PrincipalID   string    `json:"principalId"`
	PrincipalType string    `json:"principalType"`
	Scope         string    `json:"directoryScopeId"`
	CreatedAt     time.Time `json:"createdAt"`
}

func toRoleAssignmentJSON(r storage.RoleAssignment) roleAssignmentJSON {
	return roleAssignmentJSON{r.ID, r.RoleDefinitionID, r.PrincipalID, r.PrincipalType, r.DirectoryScopeID, r.CreatedAt.UTC()}
}

func runRoleAssign(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role assign", "--tenant T --role R (--user U | --group G) [flags]",
		"Assign a directory role at the tenant scope. Only role-assignable groups can hold roles.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	role := f.fs.String("role", "", "role template ID, custom role ID or role name (required)")
	p := bindPrincipal(f)
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"role": role})
	if err != nil {
		return err
	}
	defer a.close()
	principal, kind, err := p.resolve(ctx, a, id)
	if err != nil {
		return err
	}
	r, err := a.roles().AssignRole(ctx, operator, id, directory.NewRoleAssignment{RoleID: *role, PrincipalID: principal, PrincipalType: kind})
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, toRoleAssignmentJSON(*r), fmt.Sprintf("Assigned role %s to %s %s\n  Assignment ID: %s\n",
		r.RoleDefinitionID, strings.ToLower(kind), principal, r.ID))
}

func runRoleUnassign(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role unassign", "--tenant T --assignment A [flags]", "Remove a directory role assignment.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	assignment := f.fs.String("assignment", "", "role assignment ID (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"assignment": assignment})
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.roles().RemoveRoleAssignment(ctx, operator, id, *assignment); err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]any{"deleted": true, "assignment": *assignment},
		fmt.Sprintf("Removed role assignment %s\n", *assignment))
}

func runRoleAssignments(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role assignments", "--tenant T [--role R] [flags]", "List the tenant's directory role assignments.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	role := f.fs.String("role", "", "only this role (template ID, custom role ID or name)")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	var filter storage.RoleAssignmentFilter
	if *role != "" {
		r, err := a.roles().FindRole(ctx, id, *role)
		if err != nil {
			return fmt.Errorf("role %q: %w", *role, err)
		}
		filter.RoleDefinitionID = r.ID
	}
	list, err := a.roles().ListRoleAssignments(ctx, id, filter)
	if err != nil {
		return err
	}
	rows := make([]roleAssignmentJSON, 0, len(list))
	for _, r := range list {
		rows = append(rows, toRoleAssignmentJSON(r))
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ID", "ROLE", "PRINCIPAL", "TYPE"}, func(i int) []string {
		return []string{rows[i].ID, roleName(rows[i].RoleID), rows[i].PrincipalID, rows[i].PrincipalType}
	})
}

// roleName is a built-in role's display name, or the ID of a custom role.
func roleName(id string) string {
	if r, ok := directory.LookupBuiltInRole(id); ok {
		return r.DisplayName
	}
	return id
}

func runRoleEffective(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role effective", "--tenant T --user U [flags]",
		"Print the directory roles a user holds now: assigned, through role-assignable groups, and active PIM activations.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	user := f.fs.String("user", "", "user object ID or UPN (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"user": user})
	if err != nil {
		return err
	}
	defer a.close()
	u, err := a.dir.GetUser(ctx, id, *user)
	if err != nil {
		return fmt.Errorf("user %q: %w", *user, err)
	}
	ids, err := a.roles().EffectiveRoleIDs(ctx, id, u.ID)
	if err != nil {
		return err
	}
	var text strings.Builder
	fmt.Fprintf(&text, "Effective roles of %s:\n", u.UserPrincipalName)
	for _, r := range ids {
		fmt.Fprintf(&text, "  %s  %s\n", r, roleName(r))
	}
	return a.out.write(a.stdout, map[string]any{"user": u.ID, "roleIds": nonNil(ids)}, text.String())
}
