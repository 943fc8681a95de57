package directory

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/sigil-idp/sigil/storage"
)

// Limits of an app role's fields (Entra's).
const (
	maxAppRoleValueChars = 120
	maxAppRoleNameChars  = 100
	maxAppRoleDescChars  = 1024
)

// appAdminRoles may manage app roles, their assignments and the assignment
// requirement (with Global Administrator, D-29).
var appAdminRoles = []string{RoleApplicationAdministrator, RoleCloudApplicationAdministrator}

// NewAppRole is the input of CreateAppRole.
type NewAppRole struct {
	Value              string // what the `roles` claim carries; unique per application, no spaces
	DisplayName        string
	Description        string
	AllowedMemberTypes []string // storage.AppRoleMemberUser and/or storage.AppRoleMemberApplication
	Disabled           bool
}

// CreateAppRole defines an app role of the application (D-29).
func (s *Roles) CreateAppRole(ctx context.Context, actor Actor, tenantID, clientID string, in NewAppRole) (*storage.AppRole, error) {
	if err := require(actor, "define app roles", appAdminRoles...); err != nil {
		return nil, err
	}
	r := &storage.AppRole{
		ID: newID(), TenantID: tenantID, ClientID: clientID, Value: strings.TrimSpace(in.Value),
		DisplayName: strings.TrimSpace(in.DisplayName), Description: strings.TrimSpace(in.Description),
		AllowedMemberTypes: slices.Compact(slices.Sorted(slices.Values(in.AllowedMemberTypes))),
		IsEnabled:          !in.Disabled, CreatedAt: s.now(),
	}
	r.UpdatedAt = r.CreatedAt
	if err := checkAppRole(r); err != nil {
		return nil, err
	}
	if err := s.Store.CreateAppRole(ctx, r); err != nil {
		return nil, mapConflict(mapNotFound(err, ErrApplicationNotFound), "the application already has an app role with this value")
	}
	return r, nil
}

// checkAppRole reports every problem with an app role at once.
func checkAppRole(r *storage.AppRole) error {
	var p problems
	switch {
	case r.Value == "":
		p.add("value", "an app role needs a value")
	case strings.ContainsAny(r.Value, " \t\r\n"):
		p.add("value", "must not contain spaces")
	case strings.HasPrefix(r.Value, "."):
		p.add("value", "must not start with a dot")
	default:
		if msg := checkText(r.Value, maxAppRoleValueChars); msg != "" {
			p.add("value", "%s", msg)
		}
	}
	if r.DisplayName == "" {
		p.add("displayName", "an app role needs a display name")
	} else if msg := checkText(r.DisplayName, maxAppRoleNameChars); msg != "" {
		p.add("displayName", "%s", msg)
	}
	if msg := checkText(r.Description, maxAppRoleDescChars); msg != "" {
		p.add("description", "%s", msg)
	}
	if len(r.AllowedMemberTypes) == 0 {
		p.add("allowedMemberTypes", "name at least one of User and Application")
	}
	for _, t := range r.AllowedMemberTypes {
		if t != storage.AppRoleMemberUser && t != storage.AppRoleMemberApplication {
			p.add("allowedMemberTypes", "%q is neither User nor Application", t)
		}
	}
	return p.err()
}

// AppRoleChange edits an app role; nil fields stay as they are. The value
// cannot change: tokens and apps already rely on it.
type AppRoleChange struct {
	DisplayName *string
	Description *string
	Enabled     *bool
}

// UpdateAppRole edits an app role, e.g. disables it before deletion.
func (s *Roles) UpdateAppRole(ctx context.Context, actor Actor, tenantID, clientID, id string, ch AppRoleChange) (*storage.AppRole, error) {
	if err := require(actor, "change app roles", appAdminRoles...); err != nil {
		return nil, err
	}
	r, err := s.Store.GetAppRole(ctx, tenantID, clientID, id)
	if err != nil {
		return nil, mapNotFound(err, ErrAppRoleNotFound)
	}
	if ch.DisplayName != nil {
		r.DisplayName = strings.TrimSpace(*ch.DisplayName)
	}
	if ch.Description != nil {
		r.Description = strings.TrimSpace(*ch.Description)
	}
	if ch.Enabled != nil {
		r.IsEnabled = *ch.Enabled
	}
	if err := checkAppRole(r); err != nil {
		return nil, err
	}
	return r, mapNotFound(s.Store.UpdateAppRole(ctx, r), ErrAppRoleNotFound)
}

// DeleteAppRole deletes a disabled app role and its assignments in one
// transaction. An enabled role is refused: as in Entra, disable it first.
func (s *Roles) DeleteAppRole(ctx context.Context, actor Actor, tenantID, clientID, id string) error {
	if err := require(actor, "delete app roles", appAdminRoles...); err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		r, err := s.Store.GetAppRole(ctx, tenantID, clientID, id)
		if err != nil {
			return mapNotFound(err, ErrAppRoleNotFound)
		}
		if r.IsEnabled {
			return &ValidationError{Problems: []Problem{{Field: "isEnabled",
				Message: "disable the app role before deleting it"}}}
		}
		assigned, err := s.Store.ListAppRoleAssignments(ctx, tenantID, storage.AppRoleAssignmentFilter{ClientID: clientID, AppRoleID: id})
		if err != nil {
			return err
		}
		for _, a := range assigned {
			if err := s.Store.DeleteAppRoleAssignment(ctx, tenantID, a.ID); err != nil {
				return err
			}
		}
		return s.Store.DeleteAppRole(ctx, tenantID, clientID, id)
	})
}

// ListAppRoles lists the application's app roles.
func (s *Roles) ListAppRoles(ctx context.Context, tenantID, clientID string) ([]storage.AppRole, error) {
	return s.Store.ListAppRoles(ctx, tenantID, clientID)
}

// SetAssignmentRequired turns the application's appRoleAssignmentRequired on
// or off: when on, only users with an assignment may sign in to it.
func (s *Roles) SetAssignmentRequired(ctx context.Context, actor Actor, tenantID, clientID string, required bool) error {
	if err := require(actor, "change who may sign in to an application", appAdminRoles...); err != nil {
		return err
	}
	err := s.Store.SetAppRoleAssignmentRequired(ctx, tenantID, clientID, required)
	if errors.Is(err, storage.ErrNotFound) {
		return ErrApplicationNotFound
	}
	return err
}
