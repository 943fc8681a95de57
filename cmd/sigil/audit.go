package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	adminapi "github.com/sigil-idp/sigil/server/admin"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var auditCommands = []command{
	{"export", "write the tenant's directory audit records as JSON lines, newest first", runAuditExport},
	{"purge", "delete audit records older than the retention period", runAuditPurge},
}

func runAudit(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil audit", auditCommands, args)
}

// auditExportPage is how many records one query reads.
const auditExportPage = 500

func runAuditExport(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("audit export", "--tenant T [--since D] [flags]",
		"Write the tenant's directory audit records (Graph's directoryAudit shape) as JSON lines, newest first.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	since := f.fs.Duration("since", 0, "only records of the last D (e.g. 720h); 0 exports all")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	filter := storage.AuditFilter{}
	if *since > 0 {
		filter.Since = time.Now().Add(-*since)
	}
	enc := json.NewEncoder(c.stdout)
	for offset := 0; ; offset += auditExportPage {
		recs, err := a.store.ListAuditRecords(ctx, id, filter, offset, auditExportPage)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if err := enc.Encode(adminapi.AuditJSON(r)); err != nil {
				return err
			}
		}
		if len(recs) < auditExportPage {
			return nil
		}
	}
}

func runAuditPurge(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("audit purge", "--older-than D [--tenant T] [flags]",
		"Delete audit records older than D (the retention period, e.g. 2160h for 90 days); run it from cron.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain; every tenant when empty")
	olderThan := f.fs.Duration("older-than", 0, "retention period (at least 24h, required)")
	a, err := f.open(ctx, c, args, func() error {
		if *olderThan < 24*time.Hour {
			return usageErrorf("--older-than must be at least 24h")
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer a.close()
	id := ""
	if *tenant != "" {
		if id, err = a.tenantID(ctx, *tenant); err != nil {
			return err
		}
	}
	n, err := a.store.DeleteAuditRecordsBefore(ctx, id, time.Now().Add(-*olderThan))
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]int64{"deleted": n}, fmt.Sprintf("Deleted %d audit records older than %s\n", n, *olderThan))
}

// apiPermissions are the application permissions of the admin API: those
// its permission table names.
var apiPermissions = adminapi.AppPermissions()

var apiPermissionCommands = []command{
	{"grant", "grant an application permission of the admin API to an app", runAPIPermissionGrant},
	{"revoke", "revoke an application permission", runAPIPermissionRevoke},
	{"list", "list an app's application permissions", runAPIPermissionList},
}

func runAPIPermission(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil api-permission", apiPermissionCommands, args)
}

func runAPIPermissionGrant(ctx context.Context, c *cli, args []string) error {
	return changeAPIPermission(ctx, c, args, true)
}

func runAPIPermissionRevoke(ctx context.Context, c *cli, args []string) error {
	return changeAPIPermission(ctx, c, args, false)
}

func changeAPIPermission(ctx context.Context, c *cli, args []string, grant bool) error {
	verb := map[bool]string{true: "grant", false: "revoke"}[grant]
	f := c.adminFlags("api-permission "+verb, "--tenant T --app ID --permission P [flags]",
		"Grant or revoke an application permission of the admin API (/v1.0), e.g. User.ReadWrite.All.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	app := f.fs.String("app", "", "client ID of the application (required)")
	perm := f.fs.String("permission", "", "the permission (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"app": app, "permission": perm})
	if err != nil {
		return err
	}
	defer a.close()
	if !slices.Contains(apiPermissions, *perm) {
		return &directory.ValidationError{Problems: []directory.Problem{{Field: "permission", Message: fmt.Sprintf("%q is not a permission of the admin API", *perm)}}}
	}
	if _, err := a.dir.GetApplication(ctx, id, *app); err != nil {
		return err
	}
	err = a.store.InTx(ctx, func(ctx context.Context) error {
		if grant {
			err = a.store.GrantAppPermission(ctx, &storage.AppPermissionGrant{TenantID: id, ClientID: *app, Permission: *perm})
		} else {
			err = a.store.RevokeAppPermission(ctx, id, *app, *perm)
		}
		if err != nil {
			return err
		}
		before, after := map[string]any{}, map[string]any{"appPermission": *perm}
		if !grant {
			before, after = after, before
		}
		return directory.Record(ctx, a.store, time.Now(), directory.Change{TenantID: id, Category: directory.CategoryApplication,
			Activity: "Add app role assignment to service principal", Operation: storage.AuditAssign,
			TargetType: "Application", TargetID: *app, Modified: directory.Diff(before, after)})
	})
	if errors.Is(err, storage.ErrAlreadyExists) || errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%s %s: %w", verb, *perm, err)
	}
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]string{"app": *app, "permission": *perm, "action": verb}, fmt.Sprintf("%s %s for %s\n", map[bool]string{true: "Granted", false: "Revoked"}[grant], *perm, *app))
}

func runAPIPermissionList(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("api-permission list", "--tenant T --app ID [flags]", "List an application's admin API permissions.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	app := f.fs.String("app", "", "client ID of the application (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"app": app})
	if err != nil {
		return err
	}
	defer a.close()
	perms, err := a.store.ListAppPermissions(ctx, id, *app)
	if err != nil {
		return err
	}
	text := ""
	for _, p := range perms {
		text += p + "\n"
	}
	return a.out.write(a.stdout, perms, text)
}
