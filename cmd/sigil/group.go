package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var groupCommands = []command{
	{"create", "create a security or Microsoft 365 group, assigned or dynamic", runGroupCreate},
	{"list", "list a tenant's groups", runGroupList},
	{"delete", "delete a group (its members stay)", runGroupDelete},
	{"add-member", "add a user or a nested security group to an assigned group", runGroupAddMember},
	{"remove-member", "remove a direct member of an assigned group", runGroupRemoveMember},
	{"members", "list a group's direct or transitive members", runGroupMembers},
	{"add-owner", "make a user an owner of a group", runGroupAddOwner},
	{"remove-owner", "remove an owner of a group", runGroupRemoveOwner},
	{"set-rule", "set or clear a group's dynamic membership rule", runGroupSetRule},
	{"preview-rule", "show which users a rule would add and remove, without changing anything", runGroupPreviewRule},
	{"reevaluate", "re-evaluate every dynamic group of a tenant (or one group)", runGroupReevaluate},
}

func runGroup(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil group", groupCommands, args)
}

// groupJSON is the stable JSON shape of a group.
type groupJSON struct {
	ID                 string     `json:"id"`
	TenantID           string     `json:"tenantId"`
	DisplayName        string     `json:"displayName"`
	Description        string     `json:"description,omitempty"`
	MailNickname       string     `json:"mailNickname"`
	GroupType          string     `json:"groupType"`
	SecurityEnabled    bool       `json:"securityEnabled"`
	MailEnabled        bool       `json:"mailEnabled"`
	MembershipType     string     `json:"membershipType"`
	MembershipRule     string     `json:"membershipRule,omitempty"`
	RuleProcessedAt    *time.Time `json:"membershipRuleProcessedAt,omitempty"`
	IsAssignableToRole bool       `json:"isAssignableToRole"`
	CreatedAt          time.Time  `json:"createdAt"`
}

func toGroupJSON(g storage.Group) groupJSON {
	return groupJSON{ID: g.ID, TenantID: g.TenantID, DisplayName: g.DisplayName, Description: g.Description,
		MailNickname: g.MailNickname, GroupType: g.Type, SecurityEnabled: g.SecurityEnabled, MailEnabled: g.MailEnabled,
		MembershipType: g.MembershipType, MembershipRule: g.MembershipRule, RuleProcessedAt: g.RuleProcessedAt,
		IsAssignableToRole: g.IsAssignableToRole, CreatedAt: g.CreatedAt.UTC()}
}

func runGroupCreate(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("group create", "--tenant T --name N [flags]",
		"Create a group. With --rule it is a Dynamic User group; --role-assignable can only be chosen now.")
	var in directory.NewGroup
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	f.fs.StringVar(&in.DisplayName, "name", "", "display name (required)")
	f.fs.StringVar(&in.Description, "description", "", "description")
	f.fs.StringVar(&in.MailNickname, "mail-nickname", "", "mail nickname (default: from the name)")
	f.fs.StringVar(&in.Type, "type", storage.GroupTypeSecurity, "Security or Microsoft365")
	f.fs.StringVar(&in.MembershipRule, "rule", "", `dynamic membership rule, e.g. 'user.department -eq "Sales"'`)
	f.fs.BoolVar(&in.IsAssignableToRole, "role-assignable", false, "allow directory roles to be assigned to the group (immutable)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"name": &in.DisplayName})
	if err != nil {
		return err
	}
	defer a.close()
	g, err := a.dir.CreateGroup(ctx, operator, id, in)
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, toGroupJSON(*g), fmt.Sprintf("Created group %s\n  ID: %s\n", g.DisplayName, g.ID))
}

func runGroupList(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("group list", "--tenant T [flags]", "List the tenant's groups.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	groups, err := a.dir.ListGroups(ctx, id)
	if err != nil {
		return err
	}
	rows := make([]groupJSON, 0, len(groups))
	for _, g := range groups {
		rows = append(rows, toGroupJSON(g))
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ID", "NAME", "TYPE", "MEMBERSHIP", "ROLE-ASSIGNABLE"}, func(i int) []string {
		r := rows[i]
		return []string{r.ID, r.DisplayName, r.GroupType, r.MembershipType, fmt.Sprint(r.IsAssignableToRole)}
	})
}

func runGroupDelete(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("group delete", "--tenant T --group G [flags]", "Delete a group; its members stay in the directory.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	group := f.fs.String("group", "", "group object ID (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"group": group})
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.dir.DeleteGroup(ctx, operator, id, *group); err != nil {
		return fmt.Errorf("group %q: %w", *group, err)
	}
	return a.out.write(a.stdout, map[string]any{"deleted": true, "group": *group}, fmt.Sprintf("Deleted group %s\n", *group))
}

func runGroupSetRule(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("group set-rule", "--tenant T --group G --rule R [flags]",
		"Set a dynamic membership rule. An Assigned group loses its members first, then the rule is applied.\n"+
			"An empty --rule \"\" makes the group Assigned again, keeping its members.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	group := f.fs.String("group", "", "group object ID (required)")
	rule := f.fs.String("rule", "", "the membership rule")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"group": group})
	if err != nil {
		return err
	}
	defer a.close()
	g, err := a.dir.SetMembershipRule(ctx, operator, id, *group, *rule)
	if err != nil {
		return fmt.Errorf("group %q: %w", *group, err)
	}
	return a.out.write(a.stdout, toGroupJSON(*g), fmt.Sprintf("Group %s is %s\n", g.DisplayName, g.MembershipType))
}

func runGroupPreviewRule(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("group preview-rule", "--tenant T --rule R [--group G] [flags]",
		"Validate a rule and list the users it would add to and remove from the group (or select for a new group).")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	group := f.fs.String("group", "", "group object ID (optional)")
	rule := f.fs.String("rule", "", "the membership rule (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"rule": rule})
	if err != nil {
		return err
	}
	defer a.close()
	p, err := a.dir.PreviewRule(ctx, id, *group, *rule)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("Rule: %s\n  Members after: %d\n  Add (%d): %s\n  Remove (%d): %s\n",
		p.Rule, p.Members, len(p.Add), strings.Join(p.Add, " "), len(p.Remove), strings.Join(p.Remove, " "))
	return a.out.write(a.stdout, map[string]any{"rule": p.Rule, "members": p.Members, "add": nonNil(p.Add), "remove": nonNil(p.Remove)}, text)
}

func runGroupReevaluate(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("group reevaluate", "--tenant T [--group G] [flags]",
		"Evaluate every dynamic group of the tenant against every user, writing only the differences.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	group := f.fs.String("group", "", "only this group")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	start := time.Now()
	var r directory.Reevaluation
	if *group != "" {
		r, err = a.dir.ReevaluateGroup(ctx, id, *group)
	} else {
		r, err = a.dir.ReevaluateTenant(ctx, id)
	}
	if err != nil {
		return err
	}
	took := time.Since(start).Round(time.Millisecond)
	return a.out.write(a.stdout, map[string]any{"groups": r.Groups, "users": r.Users, "added": r.Added, "removed": r.Removed},
		fmt.Sprintf("Re-evaluated %d dynamic groups over %d users in %s: %d added, %d removed\n", r.Groups, r.Users, took, r.Added, r.Removed))
}
