package admin

import (
	"context"
	"net/http"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// Graph's guestUserRoleId values for the three guest access levels.
var guestRoleIDs = map[string]string{
	storage.GuestAccessSameAsMembers: "a0b1b346-4d3e-4e8b-98f8-753987be4970",
	storage.GuestAccessLimited:       "10dae51f-b6af-4016-8d66-8c2a99b929b3",
	storage.GuestAccessRestricted:    "2af84b1e-32c8-42b7-82bc-daa82404023b",
}

// policyJSON is Graph's authorizationPolicy (allowedToCreateM365Groups is
// Sigil's: Entra keeps it in group settings).
func policyJSON(p *storage.AuthorizationPolicy) map[string]any {
	return map[string]any{
		"id": "authorizationPolicy", "displayName": "Authorization Policy",
		"allowInvitesFrom": p.AllowInvitesFrom, "guestUserRoleId": guestRoleIDs[p.GuestAccess],
		"defaultUserRolePermissions": map[string]any{
			"allowedToCreateApps": p.AllowedToCreateApps, "allowedToCreateSecurityGroups": p.AllowedToCreateSecurityGroups,
			"allowedToCreateM365Groups": p.AllowedToCreateM365Groups, "allowedToReadOtherUsers": p.AllowedToReadOtherUsers,
		},
	}
}

func (h *Handler) getPolicy(w http.ResponseWriter, r *http.Request, c Caller) error {
	p, err := h.Directory.AuthorizationPolicy(r.Context(), c.TenantID)
	if err != nil {
		return err
	}
	h.writeObject(w, http.StatusOK, "policies/authorizationPolicy/$entity", etag("authorizationPolicy", p.UpdatedAt), policyJSON(p))
	return nil
}

// policyPatch is the body of PATCH /policies/authorizationPolicy.
type policyPatch struct {
	AllowInvitesFrom           *string `json:"allowInvitesFrom"`
	GuestUserRoleID            *string `json:"guestUserRoleId"`
	DefaultUserRolePermissions *struct {
		AllowedToCreateApps           *bool `json:"allowedToCreateApps"`
		AllowedToCreateSecurityGroups *bool `json:"allowedToCreateSecurityGroups"`
		AllowedToCreateM365Groups     *bool `json:"allowedToCreateM365Groups"`
		AllowedToReadOtherUsers       *bool `json:"allowedToReadOtherUsers"`
	} `json:"defaultUserRolePermissions"`
}

func (h *Handler) updatePolicy(w http.ResponseWriter, r *http.Request, c Caller) error {
	var body policyPatch
	if err := decodeBody(r, &body); err != nil {
		return err
	}
	ch := directory.AuthorizationPolicyChange{AllowInvitesFrom: body.AllowInvitesFrom}
	if body.GuestUserRoleID != nil {
		access := ""
		for level, id := range guestRoleIDs {
			if id == *body.GuestUserRoleID {
				access = level
			}
		}
		if access == "" {
			return badRequest("Invalid value. guestUserRoleId: not one of the three guest user role IDs.")
		}
		ch.GuestAccess = &access
	}
	if d := body.DefaultUserRolePermissions; d != nil {
		ch.AllowedToCreateApps, ch.AllowedToCreateSecurityGroups = d.AllowedToCreateApps, d.AllowedToCreateSecurityGroups
		ch.AllowedToCreateM365Groups, ch.AllowedToReadOtherUsers = d.AllowedToCreateM365Groups, d.AllowedToReadOtherUsers
	}
	err := h.inTx(r.Context(), func(ctx context.Context) error {
		p, err := h.Directory.AuthorizationPolicy(ctx, c.TenantID)
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, etag("authorizationPolicy", p.UpdatedAt)); err != nil {
			return err
		}
		_, err = h.Directory.SetAuthorizationPolicy(ctx, c.actor(), c.TenantID, ch)
		return err
	})
	return noContent(w, err)
}
