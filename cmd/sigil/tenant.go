package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var tenantCommands = []command{
	{"create", "create a tenant with its initial domain and signing keys", runTenantCreate},
	{"list", "list tenants", runTenantList},
	{"delete", "delete a tenant and everything it owns", runTenantDelete},
	{"lifetimes", "show or change a tenant's token and session lifetimes", runTenantLifetimes},
	{"lockout", "show or change a tenant's smart-lockout threshold and duration", runTenantLockout},
	{"mfa", "show or change whether a tenant requires MFA of every user", runTenantMFA},
	{"security-defaults", "show, enable or disable a tenant's security defaults", runTenantSecurityDefaults},
}

func runTenant(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil tenant", tenantCommands, args)
}

// tenantJSON is the stable JSON shape of a tenant.
type tenantJSON struct {
	ID          string    `json:"id"`
	DisplayName string    `json:"displayName"`
	Domains     []string  `json:"domains"`
	CreatedAt   time.Time `json:"createdAt"`
}

func (a *admin) tenantJSON(ctx context.Context, t storage.Tenant) (tenantJSON, error) {
	domains, err := a.store.ListDomains(ctx, t.ID)
	if err != nil {
		return tenantJSON{}, err
	}
	names := make([]string, 0, len(domains))
	for _, d := range domains {
		names = append(names, d.Name)
	}
	return tenantJSON{ID: t.ID, DisplayName: t.DisplayName, Domains: names, CreatedAt: t.CreatedAt.UTC()}, nil
}

func runTenantCreate(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("tenant create", "--name N --domain D [flags]",
		"Create a tenant. The domain becomes its initial verified domain: users' UPNs end in it,\n"+
			"and it can stand for the tenant ID in URLs.")
	name := f.fs.String("name", "", "display name (required)")
	domain := f.fs.String("domain", "", "initial verified domain, e.g. contoso.example (required)")
	secDefaults := f.fs.Bool("security-defaults", true, "start with security defaults on (F-14)")
	a, err := f.open(ctx, c, args, func() error {
		return required(f.fs, map[string]string{"name": *name, "domain": *domain})
	})
	if err != nil {
		return err
	}
	defer a.close()
	t, err := a.dir.CreateTenant(ctx, directory.NewTenant{DisplayName: *name, Domain: *domain,
		WithoutSecurityDefaults: !*secDefaults})
	if err != nil {
		return err
	}
	out, err := a.tenantJSON(ctx, *t)
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, out, fmt.Sprintf("Created tenant %s\n  ID:      %s\n  Domains: %s\n  Issuer:  %s/%s/v2.0\n",
		out.DisplayName, out.ID, strings.Join(out.Domains, ", "), a.cfg.PublicURL, out.ID))
}

func runTenantList(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("tenant list", "[flags]", "List every tenant.")
	a, err := f.open(ctx, c, args, nil)
	if err != nil {
		return err
	}
	defer a.close()
	tenants, err := a.dir.ListTenants(ctx)
	if err != nil {
		return err
	}
	rows := make([]tenantJSON, 0, len(tenants))
	for _, t := range tenants {
		row, err := a.tenantJSON(ctx, t)
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"ID", "NAME", "DOMAINS", "CREATED"}, func(i int) []string {
		r := rows[i]
		return []string{r.ID, r.DisplayName, strings.Join(r.Domains, ","), r.CreatedAt.Format(time.RFC3339)}
	})
}

func runTenantDelete(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("tenant delete", "--tenant T [flags]",
		"Delete a tenant with all its users, applications, keys and sessions. This cannot be undone.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	a, err := f.open(ctx, c, args, func() error { return required(f.fs, map[string]string{"tenant": *tenant}) })
	if err != nil {
		return err
	}
	defer a.close()
	t, err := a.dir.GetTenant(ctx, *tenant)
	if err != nil {
		return fmt.Errorf("tenant %q: %w", *tenant, err)
	}
	if err := a.dir.DeleteTenant(ctx, t.ID); err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]any{"deleted": true, "id": t.ID},
		fmt.Sprintf("Deleted tenant %s (%s)\n", t.DisplayName, t.ID))
}
