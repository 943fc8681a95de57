package main

import (
	"context"
	"fmt"

	"github.com/sigil-idp/sigil/storage"
)

// memberFlags are --user and --group, exactly one of which names a member.
type memberFlags struct{ user, member *string }

func bindMember(f *adminFlags) memberFlags {
	return memberFlags{
		user:   f.fs.String("user", "", "member user object ID or UPN"),
		member: f.fs.String("member-group", "", "member group object ID (nesting)"),
	}
}

func (m memberFlags) resolve() (storage.GroupMember, error) {
	switch {
	case (*m.user == "") == (*m.member == ""):
		return storage.GroupMember{}, usageErrorf("give exactly one of --user or --member-group")
	case *m.user != "":
		return storage.GroupMember{ID: *m.user, Type: storage.MemberTypeUser}, nil
	}
	return storage.GroupMember{ID: *m.member, Type: storage.MemberTypeGroup}, nil
}

func runGroupAddMember(ctx context.Context, c *cli, args []string) error {
	return changeMember(ctx, c, args, "add-member", true)
}

func runGroupRemoveMember(ctx context.Context, c *cli, args []string) error {
	return changeMember(ctx, c, args, "remove-member", false)
}

func changeMember(ctx context.Context, c *cli, args []string, name string, add bool) error {
	f := c.adminFlags("group "+name, "--tenant T --group G (--user U | --member-group G2) [flags]",
		"Add or remove a direct member of an Assigned group.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	group := f.fs.String("group", "", "group object ID (required)")
	mf := bindMember(f)
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"group": group})
	if err != nil {
		return err
	}
	defer a.close()
	m, err := mf.resolve()
	if err != nil {
		return err
	}
	verb := "Added"
	if add {
		err = a.dir.AddGroupMember(ctx, operator, id, *group, m)
	} else {
		verb = "Removed"
		err = a.dir.RemoveGroupMember(ctx, operator, id, *group, m)
	}
	if err != nil {
		return fmt.Errorf("group %q: %w", *group, err)
	}
	return a.out.write(a.stdout, map[string]any{"group": *group, "member": m.ID, "type": m.Type, "added": add},
		fmt.Sprintf("%s %s %s\n", verb, m.Type, m.ID))
}

func runGroupMembers(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("group members", "--tenant T --group G [--transitive] [flags]",
		"List a group's direct members, or with --transitive every user and group below it.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	group := f.fs.String("group", "", "group object ID (required)")
	transitive := f.fs.Bool("transitive", false, "include members of nested groups")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"group": group})
	if err != nil {
		return err
	}
	defer a.close()
	members, err := a.dir.ListGroupMembers(ctx, id, *group, *transitive)
	if err != nil {
		return fmt.Errorf("group %q: %w", *group, err)
	}
	type row struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	}
	rows := make([]row, 0, len(members))
	for _, m := range members {
		rows = append(rows, row{m.ID, m.Type})
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ID", "TYPE"}, func(i int) []string {
		return []string{rows[i].ID, rows[i].Type}
	})
}

func runGroupAddOwner(ctx context.Context, c *cli, args []string) error {
	return changeOwner(ctx, c, args, "add-owner", true)
}

func runGroupRemoveOwner(ctx context.Context, c *cli, args []string) error {
	return changeOwner(ctx, c, args, "remove-owner", false)
}

func changeOwner(ctx context.Context, c *cli, args []string, name string, add bool) error {
	f := c.adminFlags("group "+name, "--tenant T --group G --user U [flags]", "Add or remove an owner of a group.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	group := f.fs.String("group", "", "group object ID (required)")
	user := f.fs.String("user", "", "owner user object ID or UPN (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"group": group, "user": user})
	if err != nil {
		return err
	}
	defer a.close()
	verb := "Added"
	if add {
		err = a.dir.AddGroupOwner(ctx, operator, id, *group, *user)
	} else {
		verb = "Removed"
		err = a.dir.RemoveGroupOwner(ctx, operator, id, *group, *user)
	}
	if err != nil {
		return fmt.Errorf("group %q: %w", *group, err)
	}
	return a.out.write(a.stdout, map[string]any{"group": *group, "owner": *user, "added": add},
		fmt.Sprintf("%s owner %s\n", verb, *user))
}
