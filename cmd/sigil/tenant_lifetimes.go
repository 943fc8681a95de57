package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// lifetimesJSON is the stable JSON shape of a tenant's effective lifetimes.
type lifetimesJSON struct {
	TenantID     string `json:"tenantId"`
	AccessToken  string `json:"accessTokenLifetime"`
	IDToken      string `json:"idTokenLifetime"`
	RefreshToken string `json:"refreshTokenLifetime"`
	AuthCode     string `json:"authCodeLifetime"`
	Session      string `json:"sessionLifetime"`
}

// durationFlag records a duration only when the flag is given.
func durationFlag(fs *flag.FlagSet, name, usage string) **time.Duration {
	var target *time.Duration
	fs.Func(name, usage, func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("not a duration (e.g. 30m, 12h): %q", v)
		}
		target = &d
		return nil
	})
	return &target
}

func runTenantLifetimes(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("tenant lifetimes", "--tenant T [--access-token D] [--id-token D] [--refresh-token D] [--auth-code D] [--session D] [flags]",
		"Show a tenant's token and session lifetimes, or change the given ones.\n"+
			"A duration of 0 restores Sigil's default; out-of-range values are all reported and nothing changes.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	access := durationFlag(f.fs, "access-token", "access token lifetime (5m to 24h; default 1h)")
	id := durationFlag(f.fs, "id-token", "ID token lifetime (5m to 24h; default 1h)")
	refresh := durationFlag(f.fs, "refresh-token", "refresh token lifetime (1h to 8760h; default 2160h)")
	code := durationFlag(f.fs, "auth-code", "authorization code lifetime (30s to 10m; default 5m)")
	session := durationFlag(f.fs, "session", "sign-in session lifetime (5m to 2160h; default 24h)")
	a, err := f.open(ctx, c, args, func() error { return required(f.fs, map[string]string{"tenant": *tenant}) })
	if err != nil {
		return err
	}
	defer a.close()
	t, err := a.dir.SetLifetimes(ctx, *tenant, directory.LifetimeChanges{
		AccessToken: *access, IDToken: *id, RefreshToken: *refresh, AuthCode: *code, Session: *session,
	})
	if err != nil {
		return err
	}
	e := t.Settings.Effective()
	out := lifetimesJSON{TenantID: t.ID, AccessToken: e.AccessTokenLifetime.String(), IDToken: e.IDTokenLifetime.String(),
		RefreshToken: e.RefreshTokenLifetime.String(), AuthCode: e.AuthCodeLifetime.String(), Session: e.SessionLifetime.String()}
	return a.out.write(a.stdout, out, lifetimesText(t, e))
}

func lifetimesText(t *storage.Tenant, e storage.TenantSettings) string {
	return fmt.Sprintf("Lifetimes of tenant %s (%s)\n  Access token:  %s\n  ID token:      %s\n  Refresh token: %s\n  Auth code:     %s\n  Session:       %s\n",
		t.DisplayName, t.ID, e.AccessTokenLifetime, e.IDTokenLifetime, e.RefreshTokenLifetime, e.AuthCodeLifetime, e.SessionLifetime)
}
