package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/sigil-idp/sigil/server/directory"
)

// runTenantSecurityDefaults shows or changes a tenant's security defaults
// (F-04..F-18). Enabling them can end every sign-in of the tenant, so that
// everyone signs in again under the defaults (F-18).
func runTenantSecurityDefaults(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("tenant security-defaults", "--tenant T [--enabled true|false] [--revoke-sessions] [flags]",
		"Show whether security defaults protect the tenant, or turn them on or off.\n"+
			"With --enabled true --revoke-sessions every user's sessions and refresh tokens end,\n"+
			"so everyone signs in again and registers MFA.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	revoke := f.fs.Bool("revoke-sessions", false, "when enabling, end every user's sessions and refresh tokens")
	var enabled *bool
	f.fs.Func("enabled", "turn security defaults on or off: true or false", func(v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("not true or false: %q", v)
		}
		enabled = &b
		return nil
	})
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{})
	if err != nil {
		return err
	}
	defer a.close()
	if *revoke && (enabled == nil || !*enabled) {
		return usageErrorf("--revoke-sessions goes with --enabled true")
	}
	var revoked int64
	on := false
	if enabled == nil {
		t, err := a.store.GetTenant(ctx, id)
		if err != nil {
			return fmt.Errorf("tenant %q: %w", *tenant, err)
		}
		on = t.Settings.SecurityDefaults
	} else {
		res, err := a.dir.SetSecurityDefaults(ctx, operator, id, directory.SecurityDefaultsChange{Enabled: *enabled, RevokeSessions: *revoke})
		if err != nil {
			return fmt.Errorf("tenant %q: %w", *tenant, err)
		}
		on, revoked = res.Tenant.Settings.SecurityDefaults, res.RevokedRefreshTokens
	}
	text := fmt.Sprintf("Security defaults of tenant %s: %s\n", id, onOff(on))
	if *revoke {
		text += fmt.Sprintf("Ended every sign-in: %d refresh tokens revoked\n", revoked)
	}
	return a.out.write(a.stdout, map[string]any{"tenantId": id, "securityDefaults": on, "revokedRefreshTokens": revoked}, text)
}

func onOff(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled (not recommended)"
}
