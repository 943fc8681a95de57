package main

import (
	"context"
	"fmt"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

type eligibilityJSON struct {
	ID               string    `json:"id"`
	RoleID           string    `json:"roleDefinitionId"`
	PrincipalID      string    `json:"principalId"`
	PrincipalType    string    `json:"principalType"`
	MaxDuration      string    `json:"maxDuration"`
	ApprovalRequired bool      `json:"approvalRequired"`
	CreatedAt        time.Time `json:"createdAt"`
}

func toEligibilityJSON(e storage.RoleEligibility) eligibilityJSON {
	return eligibilityJSON{e.ID, e.RoleDefinitionID, e.PrincipalID, e.PrincipalType, e.MaxDuration.String(), e.ApprovalRequired, e.CreatedAt.UTC()}
}

func runRoleEligible(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role eligible", "--tenant T --role R (--user U | --group G) [--max-duration D] [--approval] [flags]",
		"Make a user, or every member of a role-assignable group, eligible to activate a role for at most --max-duration.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	role := f.fs.String("role", "", "role template ID, custom role ID or role name (required)")
	maxDuration := f.fs.Duration("max-duration", 8*time.Hour, "longest activation (30m to 24h)")
	approval := f.fs.Bool("approval", false, "activations wait for a Privileged Role Administrator's approval")
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
	e, err := a.roles().MakeEligible(ctx, operator, id, directory.NewEligibility{
		NewRoleAssignment: directory.NewRoleAssignment{RoleID: *role, PrincipalID: principal, PrincipalType: kind},
		MaxDuration:       *maxDuration, ApprovalRequired: *approval,
	})
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, toEligibilityJSON(*e), fmt.Sprintf("Made %s eligible for %s (at most %s)\n  Eligibility ID: %s\n",
		principal, roleName(e.RoleDefinitionID), e.MaxDuration, e.ID))
}

func runRoleEligibilities(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role eligibilities", "--tenant T [flags]", "List the tenant's eligible role assignments.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	list, err := a.roles().ListEligibilities(ctx, id, storage.RoleAssignmentFilter{})
	if err != nil {
		return err
	}
	rows := make([]eligibilityJSON, 0, len(list))
	for _, e := range list {
		rows = append(rows, toEligibilityJSON(e))
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ID", "ROLE", "PRINCIPAL", "MAX", "APPROVAL"}, func(i int) []string {
		r := rows[i]
		return []string{r.ID, roleName(r.RoleID), r.PrincipalID, r.MaxDuration, fmt.Sprint(r.ApprovalRequired)}
	})
}

func runRoleRemoveEligibility(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role remove-eligibility", "--tenant T --eligibility E [flags]", "Remove an eligible role assignment; its activations end at once.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	eligibility := f.fs.String("eligibility", "", "eligibility ID (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"eligibility": eligibility})
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.roles().RemoveEligibility(ctx, operator, id, *eligibility); err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]any{"deleted": true, "eligibility": *eligibility},
		fmt.Sprintf("Removed eligibility %s\n", *eligibility))
}

type activationJSON struct {
	ID            string     `json:"id"`
	RoleID        string     `json:"roleDefinitionId"`
	UserID        string     `json:"userId"`
	Justification string     `json:"justification"`
	Duration      string     `json:"duration"`
	Status        string     `json:"status"`
	RequestedAt   time.Time  `json:"requestedAt"`
	StartAt       *time.Time `json:"startDateTime,omitempty"`
	EndAt         *time.Time `json:"endDateTime,omitempty"`
}

func toActivationJSON(a storage.RoleActivation, now time.Time) activationJSON {
	return activationJSON{a.ID, a.RoleDefinitionID, a.UserID, a.Justification, a.Duration.String(),
		directory.ActivationState(a, now), a.RequestedAt.UTC(), a.StartAt, a.EndAt}
}

func runRoleRequests(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("role requests", "--tenant T [--user U] [flags]", "List PIM activation requests with their state (expired ones say Expired).")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	user := f.fs.String("user", "", "only this user's requests (object ID or UPN)")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	userID := ""
	if *user != "" {
		u, err := a.dir.GetUser(ctx, id, *user)
		if err != nil {
			return fmt.Errorf("user %q: %w", *user, err)
		}
		userID = u.ID
	}
	list, err := a.roles().ListActivations(ctx, id, userID)
	if err != nil {
		return err
	}
	now := time.Now()
	rows := make([]activationJSON, 0, len(list))
	for _, r := range list {
		rows = append(rows, toActivationJSON(r, now))
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ID", "ROLE", "USER", "STATUS", "DURATION"}, func(i int) []string {
		r := rows[i]
		return []string{r.ID, roleName(r.RoleID), r.UserID, r.Status, r.Duration}
	})
}

// decideRequest runs approve, deny or deactivate on --request.
func decideRequest(ctx context.Context, c *cli, args []string, name, about, verb string,
	act func(*directory.Roles, context.Context, directory.Actor, string, string) (*storage.RoleActivation, error)) error {
	f := c.adminFlags("role "+name, "--tenant T --request R [flags]", about)
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	request := f.fs.String("request", "", "activation request ID (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"request": request})
	if err != nil {
		return err
	}
	defer a.close()
	r, err := act(a.roles(), ctx, operator, id, *request)
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, toActivationJSON(*r, time.Now()), fmt.Sprintf("%s request %s\n", verb, r.ID))
}

func runRoleApprove(ctx context.Context, c *cli, args []string) error {
	return decideRequest(ctx, c, args, "approve", "Approve a pending activation; the role is active from now for the requested duration.",
		"Approved", (*directory.Roles).ApproveActivation)
}

func runRoleDeny(ctx context.Context, c *cli, args []string) error {
	return decideRequest(ctx, c, args, "deny", "Deny a pending activation.", "Denied", (*directory.Roles).DenyActivation)
}

func runRoleDeactivate(ctx context.Context, c *cli, args []string) error {
	return decideRequest(ctx, c, args, "deactivate", "End an active role before its window closes.", "Deactivated",
		(*directory.Roles).DeactivateActivation)
}
