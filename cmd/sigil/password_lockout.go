package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/storage"
)

// lockoutJSON is the stable JSON shape of a tenant's effective lockout settings.
type lockoutJSON struct {
	TenantID  string `json:"tenantId"`
	Threshold int    `json:"lockoutThreshold"`
	Duration  string `json:"lockoutDuration"`
}

// intFlag records an int only when the flag is given.
func intFlag(fs *flag.FlagSet, name, usage string) **int {
	var target *int
	fs.Func(name, usage, func(v string) error {
		var n int
		if _, err := fmt.Sscan(v, &n); err != nil {
			return fmt.Errorf("not a whole number: %q", v)
		}
		target = &n
		return nil
	})
	return &target
}

func runTenantLockout(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("tenant lockout", "--tenant T [--threshold N] [--duration D] [flags]",
		"Show a tenant's smart-lockout settings (F-30), or change the given ones: the failed passwords that\n"+
			"lock an account (1 to 100; default 10) and the first lockout (1s to 24h; default 60s, doubled for\n"+
			"each further lockout). 0 restores Sigil's default; out-of-range values are all reported and nothing changes.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	threshold := intFlag(f.fs, "threshold", "failed passwords before a lockout (1 to 100; 0: default 10)")
	duration := durationFlag(f.fs, "duration", "first lockout (1s to 24h; 0: default 60s)")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	var t *storage.Tenant
	err = a.store.InTx(ctx, func(ctx context.Context) error {
		if t, err = a.store.GetTenant(ctx, id); err != nil {
			return err
		}
		if *threshold == nil && *duration == nil {
			return nil
		}
		if *threshold != nil {
			t.Settings.LockoutThreshold = **threshold
		}
		if *duration != nil {
			t.Settings.LockoutDuration = **duration
		}
		if problems := lockout.SettingsProblems(t.Settings.LockoutThreshold, t.Settings.LockoutDuration); len(problems) > 0 {
			return errors.New("lockout settings: " + strings.Join(problems, "; "))
		}
		return a.store.UpdateTenant(ctx, t)
	})
	if err != nil {
		return err
	}
	p := lockout.PolicyFor(lockout.Defaults, t.Settings)
	out := lockoutJSON{TenantID: t.ID, Threshold: p.Threshold, Duration: p.Duration.String()}
	return a.out.write(a.stdout, out, fmt.Sprintf("Smart lockout of tenant %s (%s)\n  Threshold: %d failed passwords\n  Duration:  %s (doubled for each further lockout)\n",
		t.DisplayName, t.ID, p.Threshold, p.Duration))
}
