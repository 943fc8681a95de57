package directory

import (
	"context"
	"slices"
	"strings"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/storage"
)

// NewUser is the input of CreateUser.
type NewUser struct {
	// UserPrincipalName is local@domain, where domain is a verified domain of
	// the tenant. It is stored lower-case.
	UserPrincipalName string
	DisplayName       string // defaults to the local part of the UPN
	GivenName         string
	Surname           string
	Mail              string
	Password          string // the initial password; see credential.GeneratePassword
	UserType          string // storage.UserTypeMember (default) or storage.UserTypeGuest
	Disabled          bool
	Profile           UserProfile
}

// CreateUser adds a user to the tenant. Every problem with the input is
// reported at once; a taken UPN (compared case-insensitively) is a ConflictError.
// The new user joins the dynamic groups whose rules they satisfy (B-08).
func (s *Service) CreateUser(ctx context.Context, tenantID string, in NewUser) (*storage.User, error) {
	tenant, err := s.requireTenant(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	domains, err := s.Store.ListDomains(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	defs, err := s.Store.ListExtensionProperties(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	u, p := newUserFrom(tenantID, in, domains)
	applyProfile(u, in.Profile)
	checkProfile(u, defs, &p)
	msg, err := s.newPasswordProblem(ctx, tenant, u, in.Password)
	if err != nil {
		return nil, err
	}
	if msg != "" {
		p.add("password", "%s", msg)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	if u.PasswordHash, err = s.hashPassword(in.Password); err != nil {
		return nil, err
	}
	u.ID = newID()
	u.CreatedAt = s.now()
	u.UpdatedAt = u.CreatedAt
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateUser(ctx, u); err != nil {
			return mapConflict(err, "a user with this user principal name already exists")
		}
		return s.record(ctx, userChangeRecord("Add user", storage.AuditAdd, nil, u))
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.ReevaluateUser(ctx, tenantID, u.ID); err != nil {
		return u, err
	}
	return u, nil
}

// newUserFrom checks every field except the password and builds the user.
func newUserFrom(tenantID string, in NewUser, domains []storage.Domain) (*storage.User, problems) {
	var p problems
	upn := strings.ToLower(strings.TrimSpace(in.UserPrincipalName))
	local := checkUPN(upn, domains, &p)
	u := &storage.User{
		TenantID:          tenantID,
		UserPrincipalName: upn,
		DisplayName:       strings.TrimSpace(in.DisplayName),
		GivenName:         strings.TrimSpace(in.GivenName),
		Surname:           strings.TrimSpace(in.Surname),
		Mail:              strings.TrimSpace(in.Mail),
		AccountEnabled:    !in.Disabled,
	}
	if u.DisplayName == "" {
		u.DisplayName = local
	}
	if msg := checkText(u.DisplayName, maxDisplayNameLength); msg != "" {
		p.add("displayName", "%s", msg)
	}
	if msg := checkText(u.GivenName, maxNamePartLength); msg != "" {
		p.add("givenName", "%s", msg)
	}
	if msg := checkText(u.Surname, maxNamePartLength); msg != "" {
		p.add("surname", "%s", msg)
	}
	if u.Mail != "" {
		if msg := checkMail(u.Mail); msg != "" {
			p.add("mail", "%s", msg)
		}
	}
	switch {
	case in.UserType == "" || strings.EqualFold(in.UserType, storage.UserTypeMember):
		u.UserType = storage.UserTypeMember
	case strings.EqualFold(in.UserType, storage.UserTypeGuest):
		u.UserType = storage.UserTypeGuest
	default:
		p.add("userType", "must be %s or %s", storage.UserTypeMember, storage.UserTypeGuest)
	}
	return u, p
}

// checkUPN validates a lower-cased user principal name against the tenant's
// verified domains and returns its local part.
func checkUPN(upn string, domains []storage.Domain, p *problems) string {
	const field = "userPrincipalName"
	if upn == "" {
		p.add(field, "is required")
		return ""
	}
	local, domain, ok := strings.Cut(upn, "@")
	if !ok || strings.Contains(domain, "@") {
		p.add(field, "must have the form name@domain with exactly one @")
		return local
	}
	if msg := checkLocalPart(local); msg != "" {
		p.add(field, "%s", msg)
	}
	verified := slices.ContainsFunc(domains, func(d storage.Domain) bool { return d.Verified && d.Name == domain })
	if !verified {
		p.add(field, "the domain %q is not a verified domain of this tenant", domain)
	}
	return local
}

// passwordProblem returns the policy violation of a new password, or "".
func passwordProblem(password string) string {
	if password == "" {
		return "is required"
	}
	if err := credential.ValidatePassword(password); err != nil {
		// The policy's messages start with "password", which the field names.
		return strings.TrimPrefix(err.Error(), "password ")
	}
	return ""
}

// ListUsers returns the tenant's users.
func (s *Service) ListUsers(ctx context.Context, tenantID string) ([]storage.User, error) {
	if _, err := s.requireTenant(ctx, tenantID); err != nil {
		return nil, err
	}
	return s.Store.ListUsers(ctx, tenantID)
}

// GetUser finds a user of the tenant by object ID or by user principal name
// (anything containing an @, compared case-insensitively).
func (s *Service) GetUser(ctx context.Context, tenantID, idOrUPN string) (*storage.User, error) {
	idOrUPN = strings.TrimSpace(idOrUPN)
	var (
		u   *storage.User
		err error
	)
	if strings.Contains(idOrUPN, "@") {
		u, err = s.Store.GetUserByUPN(ctx, tenantID, strings.ToLower(idOrUPN))
	} else {
		u, err = s.Store.GetUser(ctx, tenantID, idOrUPN)
	}
	if err != nil {
		return nil, mapNotFound(err, ErrUserNotFound)
	}
	return u, nil
}

// DeleteUser removes a user of the tenant, found by object ID or UPN.
func (s *Service) DeleteUser(ctx context.Context, tenantID, idOrUPN string) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.GetUser(ctx, tenantID, idOrUPN)
		if err != nil {
			return err
		}
		if err := s.Store.DeleteUser(ctx, tenantID, u.ID); err != nil {
			return mapNotFound(err, ErrUserNotFound)
		}
		return s.record(ctx, userChangeRecord("Delete user", storage.AuditDelete, u, nil))
	})
}

// SetPassword replaces a user's password after checking it against the policy
// and the banned passwords (F-31).
func (s *Service) SetPassword(ctx context.Context, tenantID, idOrUPN, password string) error {
	tenant, err := s.requireTenant(ctx, tenantID)
	if err != nil {
		return err
	}
	target, err := s.GetUser(ctx, tenantID, idOrUPN)
	if err != nil {
		return err
	}
	hash, err := s.hashNewPassword(ctx, tenant, target, password)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		u, err := s.GetUser(ctx, tenantID, idOrUPN)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		u.UpdatedAt = s.now()
		if err := s.Store.UpdateUser(ctx, u); err != nil {
			return mapNotFound(err, ErrUserNotFound)
		}
		return s.record(ctx, userChangeRecord("Reset user password", storage.AuditUpdate, u, u))
	})
}
