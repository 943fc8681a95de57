package directory

import (
	"context"
	"regexp"
	"strings"

	"github.com/sigil-idp/sigil/storage"
)

// UserChange holds the user properties to change; nil fields stay as they
// are. Profile, when set, replaces every profile and extension attribute.
type UserChange struct {
	DisplayName    *string
	GivenName      *string
	Surname        *string
	Mail           *string
	UserType       *string
	AccountEnabled *bool
	Profile        *UserProfile
}

// sensitive reports whether the change touches attributes that only a
// Privileged Authentication Administrator may change for members and owners
// of role-assignable groups (C-15): sign-in state and contact methods.
func (ch UserChange) sensitive(u *storage.User) bool {
	if ch.AccountEnabled != nil || ch.Mail != nil {
		return true
	}
	if ch.Profile == nil {
		return false
	}
	return ch.Profile.MobilePhone != u.MobilePhone || strings.Join(ch.Profile.OtherMails, ",") != strings.Join(u.OtherMails, ",")
}

// UpdateUser changes a user's properties after validating them all, then
// re-checks the user against every dynamic rule of the tenant (B-08).
// Changing sign-in state or contact methods of a member or owner of a
// role-assignable group needs Privileged Authentication Administrator (C-15).
func (s *Service) UpdateUser(ctx context.Context, actor Actor, tenantID, idOrUPN string, ch UserChange) (*storage.User, error) {
	var u *storage.User
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if u, err = s.GetUser(ctx, tenantID, idOrUPN); err != nil {
			return err
		}
		if ch.sensitive(u) {
			if err := s.CheckCredentialResetOf(ctx, actor, tenantID, u.ID); err != nil {
				return err
			}
		} else if err := require(actor, "change users", RoleUserAdministrator); err != nil {
			return err
		}
		defs, err := s.Store.ListExtensionProperties(ctx, tenantID)
		if err != nil {
			return err
		}
		before := *u
		if err := applyUserChange(u, ch, defs); err != nil {
			return err
		}
		u.UpdatedAt = s.now()
		if err := s.Store.UpdateUser(ctx, u); err != nil {
			return mapNotFound(err, ErrUserNotFound)
		}
		return s.record(ctx, userChangeRecord("Update user", storage.AuditUpdate, &before, u))
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.ReevaluateUser(ctx, tenantID, u.ID); err != nil {
		return u, err
	}
	return u, nil
}

// applyUserChange applies ch to u and validates the result.
func applyUserChange(u *storage.User, ch UserChange, defs []storage.ExtensionProperty) error {
	var p problems
	set := func(dst *string, src *string, field string, max int) {
		if src == nil {
			return
		}
		*dst = strings.TrimSpace(*src)
		if msg := checkText(*dst, max); msg != "" {
			p.add(field, "%s", msg)
		}
	}
	set(&u.DisplayName, ch.DisplayName, "displayName", maxDisplayNameLength)
	set(&u.GivenName, ch.GivenName, "givenName", maxNamePartLength)
	set(&u.Surname, ch.Surname, "surname", maxNamePartLength)
	if ch.DisplayName != nil && u.DisplayName == "" {
		p.add("displayName", "is required")
	}
	if ch.Mail != nil {
		if u.Mail = strings.TrimSpace(*ch.Mail); u.Mail != "" {
			if msg := checkMail(u.Mail); msg != "" {
				p.add("mail", "%s", msg)
			}
		}
	}
	if ch.UserType != nil {
		switch {
		case strings.EqualFold(*ch.UserType, storage.UserTypeMember):
			u.UserType = storage.UserTypeMember
		case strings.EqualFold(*ch.UserType, storage.UserTypeGuest):
			u.UserType = storage.UserTypeGuest
		default:
			p.add("userType", "must be %s or %s", storage.UserTypeMember, storage.UserTypeGuest)
		}
	}
	if ch.AccountEnabled != nil {
		u.AccountEnabled = *ch.AccountEnabled
	}
	if ch.Profile != nil {
		applyProfile(u, *ch.Profile)
	}
	checkProfile(u, defs, &p)
	return p.err()
}

// extensionNamePattern is the name part of a directory extension.
var extensionNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,99}$`)

// RegisterExtensionProperty registers a directory extension attribute for
// users on behalf of an application of the tenant (B-47) and returns it. Its
// full name is extension_<application ID without dashes>_<name>, the form
// dynamic rules and user updates use. dataType defaults to String.
func (s *Service) RegisterExtensionProperty(ctx context.Context, actor Actor, tenantID, clientID, name, dataType string) (*storage.ExtensionProperty, error) {
	if err := require(actor, "register directory extensions", RoleApplicationAdministrator, RoleCloudApplicationAdministrator); err != nil {
		return nil, err
	}
	app, err := s.Store.GetApplication(ctx, clientID)
	if err != nil || app.TenantID != tenantID {
		return nil, ErrApplicationNotFound
	}
	var p problems
	name = strings.ToLower(strings.TrimSpace(name))
	if !extensionNamePattern.MatchString(name) {
		p.add("name", "must start with a letter and contain only letters, digits and underscores (at most 100)")
	}
	appHex := strings.ToLower(strings.ReplaceAll(app.ID, "-", ""))
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(appHex) {
		p.add("application", "the application ID must be a UUID to name extensions after it")
	}
	switch dataType {
	case "":
		dataType = storage.ExtensionTypeString
	case storage.ExtensionTypeString, storage.ExtensionTypeBoolean, storage.ExtensionTypeInteger:
	default:
		p.add("dataType", "must be String, Boolean or Integer")
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	prop := &storage.ExtensionProperty{Name: "extension_" + appHex + "_" + name, TenantID: tenantID,
		AppID: app.ID, DataType: dataType, CreatedAt: s.now()}
	if err := s.Store.CreateExtensionProperty(ctx, prop); err != nil {
		return nil, mapConflict(mapNotFound(err, ErrApplicationNotFound), "a directory extension with this name already exists")
	}
	return prop, nil
}

// ListExtensionProperties returns the tenant's directory extension definitions.
func (s *Service) ListExtensionProperties(ctx context.Context, tenantID string) ([]storage.ExtensionProperty, error) {
	return s.Store.ListExtensionProperties(ctx, tenantID)
}
