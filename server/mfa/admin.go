package mfa

import (
	"context"
	"fmt"

	"github.com/sigil-idp/sigil/storage"
)

// RequireReRegistration is the admin action "require re-register MFA": it
// deletes every method and recovery code of the user and sets the flag that
// sends them to register a method at their next sign-in (no grace period),
// in one transaction. ErrNotFound when the user is not in the tenant.
func RequireReRegistration(ctx context.Context, store storage.Storage, tenantID, userID string) error {
	err := store.InTx(ctx, func(ctx context.Context) error {
		if _, err := store.GetUser(ctx, tenantID, userID); err != nil {
			return err
		}
		if err := store.DeleteAuthMethods(ctx, tenantID, userID); err != nil {
			return err
		}
		return store.SetMFARegistrationRequired(ctx, tenantID, userID, true)
	})
	if err != nil {
		return fmt.Errorf("mfa: require re-registration: %w", err)
	}
	return nil
}
