package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

var appCommands = []command{
	{"create", "register an application (client secret shown once)", runAppCreate},
	{"list", "list a tenant's applications", runAppList},
	{"delete", "delete an application", runAppDelete},
	{"add-secret", "add a client secret to a confidential application (shown once)", runAppAddSecret},
	{"claims", "show or change an application's group, role and optional claims", runAppClaims},
}

func runApp(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil app", appCommands, args)
}

// appJSON is the stable JSON shape of an application. ClientSecret is present
// only in the one response that shows it.
type appJSON struct {
	ClientID                string    `json:"clientId"`
	TenantID                string    `json:"tenantId"`
	DisplayName             string    `json:"displayName"`
	Public                  bool      `json:"public"`
	FirstParty              bool      `json:"firstParty"`
	RedirectURIs            []string  `json:"redirectUris"`
	PostLogoutRedirectURIs  []string  `json:"postLogoutRedirectUris"`
	GrantTypes              []string  `json:"grantTypes"`
	TokenEndpointAuthMethod string    `json:"tokenEndpointAuthMethod"`
	SigningAlg              string    `json:"signingAlg"`
	SecretHints             []string  `json:"secretHints"`
	CreatedAt               time.Time `json:"createdAt"`
	ClientSecret            string    `json:"clientSecret,omitempty"`
}

func toAppJSON(a storage.Application) appJSON {
	hints := make([]string, 0, len(a.Secrets))
	for _, s := range a.Secrets {
		hints = append(hints, s.Hint)
	}
	return appJSON{ClientID: a.ID, TenantID: a.TenantID, DisplayName: a.DisplayName,
		Public: a.Public, FirstParty: a.FirstParty,
		RedirectURIs: nonNil(a.RedirectURIs), PostLogoutRedirectURIs: nonNil(a.PostLogoutRedirectURIs),
		GrantTypes: nonNil(a.GrantTypes), TokenEndpointAuthMethod: a.TokenEndpointAuthMethod,
		SigningAlg: a.SigningAlg, SecretHints: hints, CreatedAt: a.CreatedAt.UTC()}
}

// secretLine labels a client secret so it cannot be mistaken for anything else.
func secretLine(secret string) string {
	return fmt.Sprintf("  Client secret (shown only now; store it safely): %s\n", secret)
}

func runAppCreate(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("app create", "--tenant T --name N [flags]",
		"Register an application. Confidential applications get a client secret, printed once;\n"+
			"public ones (--public: SPA, native) use PKCE and no secret.")
	var in directory.NewApplication
	var redirects, postLogout stringList
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	f.fs.StringVar(&in.DisplayName, "name", "", "display name (required)")
	f.fs.BoolVar(&in.Public, "public", false, "a public client (SPA, native): no secret, PKCE required")
	f.fs.BoolVar(&in.FirstParty, "first-party", false, "skip the consent page for this application")
	f.fs.Var(&redirects, "redirect-uri", "redirect URI, matched exactly (repeatable)")
	f.fs.Var(&postLogout, "post-logout-redirect-uri", "post-logout redirect URI (repeatable)")
	f.fs.StringVar(&in.SigningAlg, "signing-alg", "", "token signing algorithm: ES256 (default) or RS256")
	f.fs.StringVar(&in.AuthMethod, "auth-method", "", "token endpoint authentication: client_secret_basic (default), client_secret_post or private_key_jwt")
	jwksFile := f.fs.String("jwks-file", "", "file with the public JWK set, for private_key_jwt")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"name": &in.DisplayName})
	if err != nil {
		return err
	}
	defer a.close()
	in.RedirectURIs, in.PostLogoutRedirectURIs = redirects, postLogout
	if *jwksFile != "" {
		jwks, err := os.ReadFile(*jwksFile)
		if err != nil {
			return fmt.Errorf("--jwks-file: %w", err)
		}
		in.JWKS = string(jwks)
	}
	app, secret, err := a.dir.CreateApplication(ctx, id, in)
	if err != nil {
		return err
	}
	out := toAppJSON(*app)
	out.ClientSecret = secret
	text := fmt.Sprintf("Created application %s\n  Client ID: %s\n  Authentication: %s\n",
		out.DisplayName, out.ClientID, out.TokenEndpointAuthMethod)
	if secret != "" {
		text += secretLine(secret)
	}
	return a.out.write(a.stdout, out, text)
}

func runAppList(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("app list", "--tenant T [flags]", "List the tenant's applications.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, nil)
	if err != nil {
		return err
	}
	defer a.close()
	apps, err := a.dir.ListApplications(ctx, id)
	if err != nil {
		return err
	}
	rows := make([]appJSON, 0, len(apps))
	for _, app := range apps {
		rows = append(rows, toAppJSON(app))
	}
	return a.out.writeTable(a.stdout, rows, len(rows), []string{"CLIENT ID", "NAME", "AUTH", "ALG", "REDIRECT URIS"}, func(i int) []string {
		r := rows[i]
		return []string{r.ClientID, r.DisplayName, r.TokenEndpointAuthMethod, r.SigningAlg, listOrDash(r.RedirectURIs)}
	})
}

func runAppDelete(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("app delete", "--tenant T --client-id C [flags]", "Delete an application; its tokens stop working.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	clientID := f.fs.String("client-id", "", "the application's client ID (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"client-id": clientID})
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.dir.DeleteApplication(ctx, id, strings.TrimSpace(*clientID)); err != nil {
		return fmt.Errorf("application %q: %w", *clientID, err)
	}
	return a.out.write(a.stdout, map[string]any{"deleted": true, "clientId": *clientID},
		fmt.Sprintf("Deleted application %s\n", *clientID))
}

func runAppAddSecret(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("app add-secret", "--tenant T --client-id C [flags]",
		"Add a client secret, printed once. Existing secrets stay valid until removed.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	clientID := f.fs.String("client-id", "", "the application's client ID (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"client-id": clientID})
	if err != nil {
		return err
	}
	defer a.close()
	secret, err := a.dir.AddClientSecret(ctx, id, strings.TrimSpace(*clientID))
	if err != nil {
		return fmt.Errorf("application %q: %w", *clientID, err)
	}
	return a.out.write(a.stdout, map[string]any{"clientId": *clientID, "clientSecret": secret},
		fmt.Sprintf("Added a client secret to %s\n", *clientID)+secretLine(secret))
}
