package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/sigil-idp/sigil/storage"
)

// runTenantMFA shows or sets the tenant setting "require MFA for all users"
// (F-04: users without a method register one at their next sign-in).
func runTenantMFA(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("tenant mfa", "--tenant T [--require true|false] [flags]",
		"Show whether the tenant requires MFA of every user, or change it.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	var require *bool
	f.fs.Func("require", "require MFA of every user: true or false", func(v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("not true or false: %q", v)
		}
		require = &b
		return nil
	})
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{})
	if err != nil {
		return err
	}
	defer a.close()
	var t *storage.Tenant
	err = a.store.InTx(ctx, func(ctx context.Context) error {
		if t, err = a.store.GetTenant(ctx, id); err != nil || require == nil {
			return err
		}
		t.Settings.RequireMFA = *require
		return a.store.UpdateTenant(ctx, t)
	})
	if err != nil {
		return fmt.Errorf("tenant %q: %w", *tenant, err)
	}
	return a.out.write(a.stdout, map[string]any{"tenantId": t.ID, "requireMfa": t.Settings.RequireMFA},
		fmt.Sprintf("Tenant %s (%s) requires MFA of every user: %v\n", t.DisplayName, t.ID, t.Settings.RequireMFA))
}
