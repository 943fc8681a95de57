package directory

import (
	"context"
	"errors"
	"slices"

	"github.com/sigil-idp/sigil/storage"
)

// TokenRoles are a user's role claims for one application.
type TokenRoles struct {
	Roles []string // app role values: direct, via groups and group teams, de-duplicated
	WIDs  []string // built-in directory role template IDs, PIM activations included while active
}

// TokenRoles returns the user's `roles` for the application clientID and
// their `wids` (server/claims builds tokens from them). It reads the user's
// group links once and serves both from them.
func (s *Roles) TokenRoles(ctx context.Context, tenantID, clientID, userID string) (TokenRoles, error) {
	links, err := s.Groups.UserGroupLinks(ctx, tenantID, userID)
	if err != nil {
		return TokenRoles{}, err
	}
	access, err := s.appAccess(ctx, tenantID, clientID, userID, links)
	if err != nil {
		return TokenRoles{}, err
	}
	ids, err := s.effectiveRoleIDs(ctx, tenantID, userID, links)
	if err != nil {
		return TokenRoles{}, err
	}
	return TokenRoles{Roles: access.Roles, WIDs: builtInOnly(ids)}, nil
}

// appAccess reads the application's grants that can reach the user (one
// query) and evaluates them.
func (s *Roles) appAccess(ctx context.Context, tenantID, clientID, userID string, links []GroupLink) (AppAccess, error) {
	principals := make([]string, 0, len(links)+1)
	principals = append(principals, userID)
	for _, l := range links {
		principals = append(principals, l.GroupID)
	}
	grants, err := s.Store.AppRoleGrants(ctx, tenantID, clientID, principals)
	if err != nil {
		return AppAccess{}, err
	}
	userType := storage.UserTypeMember
	if needsUserType(grants) {
		u, err := s.Store.GetUser(ctx, tenantID, userID)
		if err != nil {
			return AppAccess{}, mapNotFound(err, ErrUserNotFound)
		}
		userType = u.UserType
	}
	return EvaluateAppAccess(grants, userID, userType, links), nil
}

// CheckAssignment returns ErrAssignmentRequired when the application requires
// assignment and no enabled assignment reaches the user, directly, through a
// group or through a group team; nil otherwise. The sign-in flow calls it once
// the user is known.
func (s *Roles) CheckAssignment(ctx context.Context, tenantID, clientID, userID string) error {
	required, err := s.Store.AppRoleAssignmentRequired(ctx, tenantID, clientID)
	if err != nil {
		return mapNotFound(err, ErrApplicationNotFound)
	}
	if !required {
		return nil
	}
	links, err := s.Groups.UserGroupLinks(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	access, err := s.appAccess(ctx, tenantID, clientID, userID, links)
	if err != nil {
		return err
	}
	if !access.Assigned {
		return ErrAssignmentRequired
	}
	return nil
}

// ClientAppRoles returns the app role values a client application holds on a
// resource application (the `roles` of a client-credentials token).
func (s *Roles) ClientAppRoles(ctx context.Context, tenantID, resourceClientID, clientID string) ([]string, error) {
	grants, err := s.Store.AppRoleGrants(ctx, tenantID, resourceClientID, []string{clientID})
	if err != nil {
		return nil, err
	}
	var values []string
	for _, g := range grants {
		if g.PrincipalType == storage.PrincipalServicePrincipal && g.Enabled && g.Value != "" {
			values = append(values, g.Value)
		}
	}
	slices.Sort(values)
	return slices.Compact(values), nil
}

// AssignedToApp is CheckAssignment for the sign-in flow: false, without an
// error, when the application requires assignment and the user has none.
func (s *Roles) AssignedToApp(ctx context.Context, tenantID, clientID, userID string) (bool, error) {
	err := s.CheckAssignment(ctx, tenantID, clientID, userID)
	if errors.Is(err, ErrAssignmentRequired) {
		return false, nil
	}
	return err == nil, err
}
