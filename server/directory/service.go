package directory

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/storage"
)

// Service manages tenants, users and applications. Store is required; Keys is
// required to create tenants (their signing keys are created with them); Now
// defaults to time.Now. Times are stored in UTC.
type Service struct {
	Store storage.Storage
	Keys  *keys.Manager
	Now   func() time.Time
	// PasswordParams are the argon2id parameters of new password hashes
	// (nil: credential.DefaultParams). Tests that create thousands of users
	// lower them; production keeps the default.
	PasswordParams *credential.Params
}

// hashPassword hashes a new password with the service's parameters.
func (s *Service) hashPassword(pw string) (string, error) {
	if s.PasswordParams != nil {
		return credential.HashPasswordWith(*s.PasswordParams, pw)
	}
	return credential.HashPassword(pw)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// errNoKeys is returned by operations that create signing keys when the
// Service has no key manager.
var errNoKeys = errors.New("directory: no key manager configured; tenants need signing keys")

// newID returns a random (version 4) UUID for a new object.
func newID() string {
	return uuid.NewString()
}

// requireTenant returns the tenant with the given ID or ErrTenantNotFound.
func (s *Service) requireTenant(ctx context.Context, tenantID string) (*storage.Tenant, error) {
	t, err := s.Store.GetTenant(ctx, tenantID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrTenantNotFound
	}
	return t, err
}

// mapNotFound replaces storage.ErrNotFound with the package's own error.
func mapNotFound(err, notFound error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return notFound
	}
	return err
}

// mapConflict replaces storage.ErrAlreadyExists with a ConflictError carrying message.
func mapConflict(err error, message string) error {
	if errors.Is(err, storage.ErrAlreadyExists) {
		return &ConflictError{Message: message}
	}
	return err
}
