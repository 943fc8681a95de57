package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/sigil-idp/sigil/server/httpserver"
)

// commands is the top-level command table.
var commands = []command{
	{"serve", "run the identity provider", runServe},
	{"demo", "create a demo tenant, user and apps on embedded SQLite, then serve", runDemo},
	{"migrate", "apply or list database migrations (up, status)", runMigrate},
	{"keys", "manage signing keys (rotate)", runKeys},
	{"tenant", "manage tenants (create, list, delete)", runTenant},
	{"user", "manage users (create, list, delete, set-password)", runUser},
	{"group", "manage groups, members, owners and dynamic rules (create, add-member, set-rule, reevaluate, ...)", runGroup},
	{"app", "manage applications (create, list, delete, add-secret)", runApp},
	{"role", "manage directory roles, role assignments and PIM (list, create, assign, eligible, approve, ...)", runRole},
	{"approle", "manage app roles, their assignments and \"assignment required\" (create, assign, require-assignment, ...)", runAppRole},
	{"branding", "manage company branding (show, set, image, css, preview-url, publish, ...)", runBranding},
	{"password", "banned passwords and smart-lockout unlock (banned, ban, unban, unlock)", runPassword},
	{"audit", "directory audit log (export as JSON lines, purge by retention)", runAudit},
	{"bulk", "bulk CSV operations: import users and memberships, export users, groups and members", runBulk},
	{"api-permission", "application permissions of the admin API (grant, revoke, list)", runAPIPermission},
	{"version", "print the version", runVersion},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c := &cli{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		lookupEnv: os.LookupEnv,
		serve:     httpserver.Run,
	}
	code := c.run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
