package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/sigil-idp/sigil/server/config"
	"github.com/sigil-idp/sigil/server/directory"
)

func runDemo(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("sigil demo", "[flags]",
		"Create (or find again) a demo tenant with a user, a web app and an SPA, print how to\n"+
			"sign in, then serve. Uses the embedded SQLite file in --data-dir unless --database is\n"+
			"set, and generates a master secret in DATA_DIR/master.key when none is configured.")
	flags := config.Bind(fs, config.AllSettings)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := flags.Load(c.lookupEnv)
	if err != nil {
		return err
	}
	if _, err := config.EnsureDemoMasterSecret(&cfg); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	logger := newLogger(cfg, c.stderr)
	store, km, err := openDirectory(ctx, cfg, logger, true)
	if err != nil {
		return err
	}
	defer store.Close()
	demo, err := (&directory.Service{Store: store, Keys: km}).EnsureDemo(ctx, cfg.PublicURL)
	if err != nil {
		return err
	}
	if err := printDemo(c.stdout, cfg, demo); err != nil {
		return err
	}
	return c.serveDirectory(ctx, cfg, logger, store, km, demo)
}

// printDemo writes the demo's sign-in instructions. Secrets appear only on the
// run that generated them.
func printDemo(w io.Writer, cfg config.Config, demo *directory.Demo) error {
	redirect := cfg.PublicURL + "/demo/callback"
	req := newAuthorizeRequest(cfg.PublicURL, demo.TenantID, demo.WebClientID, redirect)
	admin := adminHint(cfg)
	var b strings.Builder
	fmt.Fprintf(&b, "\nSigil demo directory %s\n\n", map[bool]string{true: "created", false: "found again"}[demo.Created])
	fmt.Fprintf(&b, "  Issuer:            %s\n", demo.Issuer)
	fmt.Fprintf(&b, "  Discovery:         %s/.well-known/openid-configuration\n", demo.Issuer)
	fmt.Fprintf(&b, "  Tenant ID:         %s\n", demo.TenantID)
	fmt.Fprintf(&b, "  Tenant domain:     %s\n\n", demo.Domain)
	fmt.Fprintf(&b, "  User:              %s\n", demo.UserUPN)
	if demo.UserPassword != "" {
		fmt.Fprintf(&b, "  Password:          %s   (shown only now)\n", demo.UserPassword)
	} else {
		fmt.Fprintf(&b, "  Password:          printed on the first run; to set a new one:\n")
		fmt.Fprintf(&b, "                     sigil user set-password%s --tenant %s --user %s\n", admin, demo.Domain, demo.UserUPN)
	}
	fmt.Fprintf(&b, "\n  Web app (confidential, first-party, redirects to %s)\n", redirect)
	fmt.Fprintf(&b, "    Client ID:       %s\n", demo.WebClientID)
	if demo.WebClientSecret != "" {
		fmt.Fprintf(&b, "    Client secret:   %s   (shown only now)\n", demo.WebClientSecret)
	} else {
		fmt.Fprintf(&b, "    Client secret:   printed on the first run; to add one:\n")
		fmt.Fprintf(&b, "                     sigil app add-secret%s --tenant %s --client-id %s\n", admin, demo.Domain, demo.WebClientID)
	}
	fmt.Fprintf(&b, "  SPA (public, PKCE, asks for consent, redirects to %s)\n", directory.DemoSPARedirect)
	fmt.Fprintf(&b, "    Client ID:       %s\n\n", demo.SPAClientID)
	fmt.Fprintf(&b, "Sign in to the demo web app (it shows the ID token's claims afterwards):\n\n  %s/demo/login\n\n", cfg.PublicURL)
	fmt.Fprintf(&b, "Or drive the protocol yourself: open this authorization request, then redeem the code\n")
	fmt.Fprintf(&b, "at the token endpoint with code_verifier=%s\n\n  %s\n\n", req.CodeVerifier, req.URL)
	_, err := io.WriteString(w, b.String())
	return err
}

// adminHint is the storage flags an admin command needs to reach the same
// database as this demo. A database URL is not repeated (it may hold a password).
func adminHint(cfg config.Config) string {
	switch {
	case cfg.Database != "":
		return " --database ..."
	case cfg.DataDir != config.Default().DataDir:
		return " --data-dir " + cfg.DataDir
	default:
		return ""
	}
}
