package directory

import (
	"context"
	"errors"
	"strings"

	"github.com/sigil-idp/sigil/server/password"
	"github.com/sigil-idp/sigil/storage"
)

// newPasswordProblem returns what is wrong with a password for the user, or
// "": the length policy, then banned passwords (the global list, the tenant's
// custom list, the names of the user and the tenant; F-31). The message never
// repeats the password.
func (s *Service) newPasswordProblem(ctx context.Context, tenant *storage.Tenant, u *storage.User, pw string) (string, error) {
	if msg := passwordProblem(pw); msg != "" {
		return msg, nil
	}
	rules, err := password.RulesFor(ctx, s.Store, tenant, u)
	if err != nil {
		return "", err
	}
	switch err := password.Check(pw, rules); {
	case errors.Is(err, password.ErrBanned):
		return "is too easy to guess: " + strings.TrimPrefix(err.Error(), "this password "), nil
	case err != nil:
		return strings.TrimPrefix(err.Error(), "password "), nil
	}
	return "", nil
}

// checkNewPassword is newPasswordProblem as a *ValidationError on "password".
func (s *Service) checkNewPassword(ctx context.Context, tenant *storage.Tenant, u *storage.User, pw string) error {
	msg, err := s.newPasswordProblem(ctx, tenant, u, pw)
	if err != nil || msg == "" {
		return err
	}
	var p problems
	p.add("password", "%s", msg)
	return p.err()
}

// hashNewPassword checks pw for u and returns its argon2id hash.
func (s *Service) hashNewPassword(ctx context.Context, tenant *storage.Tenant, u *storage.User, pw string) (string, error) {
	if err := s.checkNewPassword(ctx, tenant, u, pw); err != nil {
		return "", err
	}
	return s.hashPassword(pw)
}
