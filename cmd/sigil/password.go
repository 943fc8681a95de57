package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/server/password"
)

var passwordCommands = []command{
	{"banned", "list the tenant's custom banned passwords", runPasswordBanned},
	{"ban", "add terms to the tenant's custom banned-password list", runPasswordBan},
	{"unban", "remove terms from the tenant's custom banned-password list", runPasswordUnban},
	{"unlock", "end a user's smart lockout, or an address's password-spray throttle", runPasswordUnlock},
}

func runPassword(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil password", passwordCommands, args)
}

// bannedJSON is the stable JSON shape of a tenant's custom banned list.
type bannedJSON struct {
	TenantID string   `json:"tenantId"`
	Terms    []string `json:"terms"`
	Added    []string `json:"added,omitempty"`
	Removed  int64    `json:"removed,omitempty"`
}

func (a *admin) writeBanned(tenantID string, out bannedJSON, headline string) error {
	if out.Terms == nil {
		out.Terms = []string{}
	}
	out.TenantID = tenantID
	text := headline + fmt.Sprintf("Custom banned passwords (%d of %d):\n", len(out.Terms), password.MaxCustomTerms)
	for _, t := range out.Terms {
		text += "  " + t + "\n"
	}
	return a.out.write(a.stdout, out, text)
}

func runPasswordBanned(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("password banned", "--tenant T [flags]",
		"List the tenant's custom banned passwords (F-31). Sigil's global list always applies as well.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	terms, err := a.store.ListBannedPasswords(ctx, id)
	if err != nil {
		return err
	}
	return a.writeBanned(id, bannedJSON{Terms: terms}, "")
}

// termsFlags opens a tenant command that takes --term flags.
func termsFlags(ctx context.Context, c *cli, args []string, name, about string) (*admin, string, []string, error) {
	f := c.adminFlags("password "+name, "--tenant T --term TERM... [flags]", about)
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	var terms stringList
	f.fs.Var(&terms, "term", "a banned term (repeatable)")
	a, err := f.open(ctx, c, args, func() error {
		if err := required(f.fs, map[string]string{"tenant": *tenant}); err != nil {
			return err
		}
		if len(terms) == 0 {
			f.fs.Usage()
			return usageErrorf("give at least one --term")
		}
		return nil
	})
	if err != nil {
		return nil, "", nil, err
	}
	id, err := a.tenantID(ctx, *tenant)
	if err != nil {
		a.close()
		return nil, "", nil, err
	}
	return a, id, terms, nil
}

func runPasswordBan(ctx context.Context, c *cli, args []string) error {
	a, id, terms, err := termsFlags(ctx, c, args, "ban",
		"Add terms to the tenant's custom banned-password list: up to 1,000 terms of 4 to 16 characters,\n"+
			"matched case-insensitively, with common substitutions (0→o, @→a, $→s …), one edit of tolerance\n"+
			"and inside longer passwords. Every problem is reported and nothing changes.")
	if err != nil {
		return err
	}
	defer a.close()
	var out bannedJSON
	err = a.store.InTx(ctx, func(ctx context.Context) error {
		existing, err := a.store.ListBannedPasswords(ctx, id)
		if err != nil {
			return err
		}
		if out.Added, err = password.CleanTerms(existing, terms); err != nil {
			return err
		}
		if err := a.store.AddBannedPasswords(ctx, id, out.Added, time.Now()); err != nil {
			return err
		}
		out.Terms, err = a.store.ListBannedPasswords(ctx, id)
		return err
	})
	if err != nil {
		return err
	}
	return a.writeBanned(id, out, fmt.Sprintf("Added %d term(s)\n", len(out.Added)))
}

func runPasswordUnban(ctx context.Context, c *cli, args []string) error {
	a, id, terms, err := termsFlags(ctx, c, args, "unban", "Remove terms from the tenant's custom banned-password list.")
	if err != nil {
		return err
	}
	defer a.close()
	for i, t := range terms {
		terms[i] = strings.ToLower(strings.TrimSpace(t))
	}
	var out bannedJSON
	if out.Removed, err = a.store.RemoveBannedPasswords(ctx, id, terms); err != nil {
		return err
	}
	if out.Terms, err = a.store.ListBannedPasswords(ctx, id); err != nil {
		return err
	}
	return a.writeBanned(id, out, fmt.Sprintf("Removed %d term(s)\n", out.Removed))
}

func runPasswordUnlock(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("password unlock", "--tenant T (--user U | --address IP) [flags]",
		"End smart lockout (F-30) now: every lockout counter of a user (familiar and unfamiliar networks),\n"+
			"or the password-spray throttle of a client address.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	user := f.fs.String("user", "", "user object ID or UPN")
	address := f.fs.String("address", "", "client IP address")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	guard := &lockout.Service{Store: a.store}
	var (
		cleared int64
		what    string
	)
	switch {
	case (*user == "") == (*address == ""):
		return usageErrorf("give exactly one of --user and --address")
	case *user != "":
		u, err := a.dir.GetUser(ctx, id, *user)
		if err != nil {
			return fmt.Errorf("user %q: %w", *user, err)
		}
		cleared, err = guard.UnlockUser(ctx, id, u.ID)
		if err != nil {
			return err
		}
		what = u.UserPrincipalName
	default:
		ip, err := netip.ParseAddr(strings.TrimSpace(*address))
		if err != nil {
			return errors.New("--address: not an IP address")
		}
		if cleared, err = guard.UnlockAddress(ctx, id, ip); err != nil {
			return err
		}
		what = ip.String()
	}
	return a.out.write(a.stdout, map[string]any{"unlocked": what, "countersCleared": cleared},
		fmt.Sprintf("Unlocked %s (%d counter(s) cleared)\n", what, cleared))
}
