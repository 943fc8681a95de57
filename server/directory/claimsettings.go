package directory

import (
	"context"
	"errors"
	"slices"

	"github.com/sigil-idp/sigil/server/claims"
	"github.com/sigil-idp/sigil/storage"
)

// ClaimSettingsChange changes an application's claim settings; a nil field
// keeps the current value.
type ClaimSettingsChange struct {
	// GroupMembershipClaims is None, SecurityGroup, DirectoryRole,
	// ApplicationGroup or All, or a comma-separated combination.
	GroupMembershipClaims *string
	// IDToken and AccessToken replace the optional claims of each token type.
	IDToken     *[]storage.OptionalClaim
	AccessToken *[]storage.OptionalClaim
}

// SetClaimSettings validates and stores an application's claim settings
// (server/claims) and returns the updated application. Every invalid field is
// reported at once in a *ValidationError; nothing is written then.
func (s *Service) SetClaimSettings(ctx context.Context, tenantID, clientID string, ch ClaimSettingsChange) (*storage.Application, error) {
	var out *storage.Application
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		app, err := s.GetApplication(ctx, tenantID, clientID)
		if err != nil {
			return err
		}
		if ch.GroupMembershipClaims != nil {
			app.GroupMembershipClaims = *ch.GroupMembershipClaims
		}
		if ch.IDToken != nil {
			app.OptionalClaims.IDToken = slices.Clone(*ch.IDToken)
		}
		if ch.AccessToken != nil {
			app.OptionalClaims.AccessToken = slices.Clone(*ch.AccessToken)
		}
		if err := validateClaimSettings(app); err != nil {
			return err
		}
		out = app
		return mapNotFound(s.Store.UpdateApplication(ctx, app), ErrApplicationNotFound)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validateClaimSettings checks the application's claim settings and writes
// groupMembershipClaims in its canonical spelling.
func validateClaimSettings(app *storage.Application) error {
	var serr *claims.SettingsError
	if err := ClaimSettings(app).Validate(); errors.As(err, &serr) {
		var p problems
		for _, sp := range serr.Problems {
			p.add(sp.Field, "%s", sp.Message)
		}
		return p.err()
	}
	canonical, err := claims.NormalizeGroupMembershipClaims(app.GroupMembershipClaims)
	if err != nil {
		return err
	}
	app.GroupMembershipClaims = canonical
	return nil
}

// ClaimSettings are the application's claim settings as server/claims takes
// them.
func ClaimSettings(app *storage.Application) claims.Settings {
	return claims.Settings{
		GroupMembershipClaims: app.GroupMembershipClaims,
		IDToken:               optionalClaims(app.OptionalClaims.IDToken),
		AccessToken:           optionalClaims(app.OptionalClaims.AccessToken),
	}
}

func optionalClaims(in []storage.OptionalClaim) []claims.OptionalClaim {
	out := make([]claims.OptionalClaim, 0, len(in))
	for _, c := range in {
		out = append(out, claims.OptionalClaim{Name: c.Name, AdditionalProperties: slices.Clone(c.AdditionalProperties)})
	}
	return out
}
