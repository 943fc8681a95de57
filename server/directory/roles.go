package directory

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// Roles manages directory roles (built-in and custom), role assignments, PIM
// eligibility and activation, app roles and app role assignments. Store and
// Groups are required; Now defaults to time.Now and is the only clock the
// rules read (PIM windows are tested with an injected one).
type Roles struct {
	Store  storage.Storage
	Groups GroupFacts
	Now    func() time.Time
}

func (s *Roles) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Role is a directory role as callers see it: built-in or custom.
type Role struct {
	ID          string // the template ID of a built-in role, the object ID of a custom one
	DisplayName string
	Description string
	BuiltIn     bool
	Permissions []string
}

func roleFromBuiltIn(b BuiltInRole) Role {
	return Role{ID: b.TemplateID, DisplayName: b.DisplayName, Description: b.Description, BuiltIn: true, Permissions: b.Permissions}
}

func roleFromCustom(d storage.RoleDefinition) Role {
	return Role{ID: d.ID, DisplayName: d.DisplayName, Description: d.Description, Permissions: d.Permissions}
}

// ListRoles returns the built-in roles followed by the tenant's custom roles.
func (s *Roles) ListRoles(ctx context.Context, tenantID string) ([]Role, error) {
	custom, err := s.Store.ListRoleDefinitions(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]Role, 0, len(builtInRoles)+len(custom))
	for _, b := range builtInRoles {
		out = append(out, roleFromBuiltIn(b))
	}
	for _, d := range custom {
		out = append(out, roleFromCustom(d))
	}
	return out, nil
}

// FindRole resolves a role by ID or display name (case-insensitively),
// built-in roles first; ErrRoleNotFound when neither matches.
func (s *Roles) FindRole(ctx context.Context, tenantID, idOrName string) (Role, error) {
	idOrName = strings.TrimSpace(idOrName)
	if b, ok := LookupBuiltInRole(idOrName); ok {
		return roleFromBuiltIn(b), nil
	}
	custom, err := s.Store.ListRoleDefinitions(ctx, tenantID)
	if err != nil {
		return Role{}, err
	}
	for _, d := range custom {
		if d.ID == idOrName || strings.EqualFold(d.DisplayName, idOrName) {
			return roleFromCustom(d), nil
		}
	}
	return Role{}, ErrRoleNotFound
}

// NewCustomRole is the input of CreateCustomRole (C-06).
type NewCustomRole struct {
	DisplayName string
	Description string
	Permissions []string // resource actions, e.g. microsoft.directory/users/password/update
}

// CreateCustomRole defines a tenant-scoped role from permissions, each of
// which must be a known resource action (C-05, C-06). It needs Privileged
// Role Administrator.
func (s *Roles) CreateCustomRole(ctx context.Context, actor Actor, tenantID string, in NewCustomRole) (*storage.RoleDefinition, error) {
	if err := require(actor, "define custom roles", RolePrivilegedRoleAdministrator); err != nil {
		return nil, err
	}
	d := &storage.RoleDefinition{
		ID: newID(), TenantID: tenantID, DisplayName: strings.TrimSpace(in.DisplayName),
		Description: strings.TrimSpace(in.Description), Permissions: normalizePermissions(in.Permissions),
	}
	if err := checkCustomRole(d); err != nil {
		return nil, err
	}
	if _, clash := LookupBuiltInRole(d.DisplayName); clash {
		return nil, &ConflictError{Message: "a built-in role is already named " + d.DisplayName}
	}
	d.CreatedAt = s.now()
	d.UpdatedAt = d.CreatedAt
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateRoleDefinition(ctx, d); err != nil {
			return mapConflict(mapNotFound(err, ErrTenantNotFound), "a custom role with this name already exists")
		}
		return Record(ctx, s.Store, s.now(), Change{TenantID: tenantID, Category: CategoryRole, Activity: "Add role definition",
			Operation: storage.AuditAdd, TargetType: "Role", TargetID: d.ID, TargetName: d.DisplayName,
			Modified: Diff(nil, map[string]any{"displayName": d.DisplayName, "permissions": d.Permissions})})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// normalizePermissions trims the actions and drops duplicates, keeping order.
func normalizePermissions(in []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(in))
	for _, p := range in {
		p = strings.TrimSpace(p)
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// checkCustomRole reports every problem with a custom role at once.
func checkCustomRole(d *storage.RoleDefinition) error {
	var p problems
	if d.DisplayName == "" {
		p.add("displayName", "a custom role needs a name")
	} else if msg := checkText(d.DisplayName, maxDisplayNameLength); msg != "" {
		p.add("displayName", "%s", msg)
	}
	if msg := checkText(d.Description, 1024); msg != "" {
		p.add("description", "%s", msg)
	}
	if len(d.Permissions) == 0 {
		p.add("permissions", "a custom role needs at least one permission")
	}
	for i, perm := range d.Permissions {
		if !customRoleActions[perm] {
			p.add(fmt.Sprintf("permissions[%d]", i), "%q is not a resource action a custom role can hold", perm)
		}
	}
	return p.err()
}

// DeleteCustomRole removes a custom role that nobody holds or is eligible
// for; built-in roles cannot be deleted.
func (s *Roles) DeleteCustomRole(ctx context.Context, actor Actor, tenantID, id string) error {
	if err := require(actor, "delete custom roles", RolePrivilegedRoleAdministrator); err != nil {
		return err
	}
	if _, ok := LookupBuiltInRole(id); ok {
		return &ValidationError{Problems: []Problem{{Field: "roleId", Message: "built-in roles cannot be deleted"}}}
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.Store.GetRoleDefinition(ctx, tenantID, id); err != nil {
			return mapNotFound(err, ErrRoleNotFound)
		}
		f := storage.RoleAssignmentFilter{RoleDefinitionID: id}
		assigned, err := s.Store.ListRoleAssignments(ctx, tenantID, f)
		if err != nil {
			return err
		}
		eligible, err := s.Store.ListRoleEligibilities(ctx, tenantID, f)
		if err != nil {
			return err
		}
		if len(assigned)+len(eligible) > 0 {
			return &ValidationError{Problems: []Problem{{Field: "roleId",
				Message: "the role is still assigned or eligible; remove its assignments first"}}}
		}
		if err := s.Store.DeleteRoleDefinition(ctx, tenantID, id); err != nil {
			return mapNotFound(err, ErrRoleNotFound)
		}
		return Record(ctx, s.Store, s.now(), Change{TenantID: tenantID, Category: CategoryRole, Activity: "Delete role definition",
			Operation: storage.AuditDelete, TargetType: "Role", TargetID: id})
	})
}
