package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// appClaimsJSON is the stable JSON shape of an application's claim settings
// (Entra's manifest names).
type appClaimsJSON struct {
	ClientID              string                 `json:"clientId"`
	GroupMembershipClaims string                 `json:"groupMembershipClaims"`
	OptionalClaims        storage.OptionalClaims `json:"optionalClaims"`
}

func runAppClaims(ctx context.Context, c *cli, args []string) error {
	f := c.adminFlags("app claims", "--tenant T --client-id C [flags]",
		"Show or change the application's group, role and optional claims (Entra's groupMembershipClaims\n"+
			"and optionalClaims). Without change flags it prints the current settings. An optional claim is\n"+
			"NAME (email, given_name, family_name, upn, ctry, acct, extensionAttribute1..15,\n"+
			"extension_<appId>_<name>) or groups:PROP[,PROP] with PROP sam_account_name, cloud_displayname\n"+
			"or emit_as_roles (the group form of that token).")
	tenant := f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	clientID := f.fs.String("client-id", "", "the application's client ID (required)")
	gmc := f.fs.String("group-membership-claims", "", "None, SecurityGroup, DirectoryRole, ApplicationGroup or All (comma-separated to combine)")
	var idClaims, accessClaims stringList
	f.fs.Var(&idClaims, "id-token-claim", "optional claim of ID tokens (repeatable; replaces the list)")
	f.fs.Var(&accessClaims, "access-token-claim", "optional claim of access tokens (repeatable; replaces the list)")
	clearID := f.fs.Bool("clear-id-token-claims", false, "remove every optional claim of ID tokens")
	clearAccess := f.fs.Bool("clear-access-token-claims", false, "remove every optional claim of access tokens")
	a, id, err := f.openTenant(ctx, c, args, tenant, map[string]*string{"client-id": clientID})
	if err != nil {
		return err
	}
	defer a.close()
	ch, changed := claimChange(f.fs, gmc, idClaims, accessClaims, *clearID, *clearAccess)
	app, err := a.dir.GetApplication(ctx, id, strings.TrimSpace(*clientID))
	if err == nil && changed {
		app, err = a.dir.SetClaimSettings(ctx, id, app.ID, ch)
	}
	if err != nil {
		return fmt.Errorf("application %q: %w", *clientID, err)
	}
	out := appClaimsJSON{ClientID: app.ID, GroupMembershipClaims: orNone(app.GroupMembershipClaims), OptionalClaims: app.OptionalClaims}
	text := fmt.Sprintf("Claims of %s\n  groupMembershipClaims: %s\n  ID token optional claims: %s\n  Access token optional claims: %s\n",
		app.ID, out.GroupMembershipClaims, optionalText(app.OptionalClaims.IDToken), optionalText(app.OptionalClaims.AccessToken))
	return a.out.write(a.stdout, out, text)
}

// claimChange turns the flags that were set into a change; changed is false
// when none was.
func claimChange(fs *flag.FlagSet, gmc *string, idClaims, accessClaims stringList, clearID, clearAccess bool) (directory.ClaimSettingsChange, bool) {
	var ch directory.ClaimSettingsChange
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if set["group-membership-claims"] {
		ch.GroupMembershipClaims = gmc
	}
	if set["id-token-claim"] || clearID {
		list := parseOptionalClaims(idClaims)
		ch.IDToken = &list
	}
	if set["access-token-claim"] || clearAccess {
		list := parseOptionalClaims(accessClaims)
		ch.AccessToken = &list
	}
	return ch, ch.GroupMembershipClaims != nil || ch.IDToken != nil || ch.AccessToken != nil
}

// parseOptionalClaims reads NAME or NAME:PROP,PROP values.
func parseOptionalClaims(values []string) []storage.OptionalClaim {
	out := make([]storage.OptionalClaim, 0, len(values))
	for _, v := range values {
		name, props, _ := strings.Cut(strings.TrimSpace(v), ":")
		c := storage.OptionalClaim{Name: strings.TrimSpace(name)}
		for _, p := range strings.Split(props, ",") {
			if p = strings.TrimSpace(p); p != "" {
				c.AdditionalProperties = append(c.AdditionalProperties, p)
			}
		}
		out = append(out, c)
	}
	return out
}

func optionalText(list []storage.OptionalClaim) string {
	if len(list) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(list))
	for _, c := range list {
		if len(c.AdditionalProperties) > 0 {
			parts = append(parts, c.Name+":"+strings.Join(c.AdditionalProperties, ","))
			continue
		}
		parts = append(parts, c.Name)
	}
	return strings.Join(parts, " ")
}

func orNone(v string) string {
	if v == "" {
		return "None"
	}
	return v
}
