package main

import (
	"context"
	"fmt"

	"github.com/sigil-idp/sigil/server/mfa"
)

// runUserRequireMFARegistration is "require re-register MFA": the user's
// methods and recovery codes are deleted and their next sign-in asks them to
// register a method before anything else.
func runUserRequireMFARegistration(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("user require-mfa-registration", "--tenant T --user U [flags]",
		"Delete a user's authentication methods and recovery codes and make them register a method at their next sign-in.")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	user := f.fs.String("user", "", "user object ID or UPN (required)")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"user": user})
	if err != nil {
		return err
	}
	defer a.close()
	u, err := a.dir.GetUser(ctx, id, *user)
	if err != nil {
		return fmt.Errorf("user %q: %w", *user, err)
	}
	if err := mfa.RequireReRegistration(ctx, a.store, id, u.ID); err != nil {
		return fmt.Errorf("user %q: %w", *user, err)
	}
	return a.out.write(a.stdout, map[string]any{"user": *user, "mfaRegistrationRequired": true},
		fmt.Sprintf("%s must register an authentication method at the next sign-in\n", *user))
}
