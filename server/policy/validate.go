package policy

import (
	"fmt"
	"slices"
	"strings"
)

// Problem is one invalid field of a policy or named location.
type Problem struct {
	Field   string // JSON path, e.g. conditions.clientAppTypes[1]
	Message string
}

// ValidationError lists every problem found; the admin API answers it with
// a Graph-style 400.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		parts = append(parts, p.Field+": "+p.Message)
	}
	return strings.Join(parts, "; ")
}

type problems []Problem

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// Limits keep a policy document small enough to evaluate quickly.
const (
	maxDisplayName = 256
	maxListItems   = 500
)

var (
	states         = []string{StateEnabled, StateDisabled, StateReportOnly}
	clientAppTypes = []string{ClientAll, ClientBrowser, ClientMobileAndDesktop, ClientExchangeActiveSync, ClientEASSupported, ClientOther}
	platformNames  = []string{"all", "android", "iOS", "windows", "windowsPhone", "macOS", "linux"}
	riskLevels     = []string{RiskLow, RiskMedium, RiskHigh, RiskNone}
	unsupported    = map[string]string{
		"compliantDevice":      "Sigil has no device management, so it cannot require a compliant device",
		"domainJoinedDevice":   "Sigil has no device management, so it cannot require a hybrid-joined device",
		"approvedApplication":  "Sigil has no app protection, so it cannot require an approved client app",
		"compliantApplication": "Sigil has no app protection, so it cannot require an app protection policy",
	}
)

// Validate checks a policy as the admin API receives it. Location IDs are
// checked against the tenant's named locations by the caller
// (ReferencedLocations).
func Validate(p Policy) error {
	var pr problems
	name := strings.TrimSpace(p.DisplayName)
	switch {
	case name == "":
		pr.add("displayName", "is required")
	case len(name) > maxDisplayName:
		pr.add("displayName", "is longer than %d characters", maxDisplayName)
	}
	if !slices.Contains(states, p.State) {
		pr.add("state", "%q is not one of %s", p.State, strings.Join(states, ", "))
	}
	validateConditions(&pr, &p.Conditions)
	validateGrant(&pr, p.GrantControls)
	validateSession(&pr, p.SessionControls)
	if p.GrantControls == nil && p.SessionControls == nil {
		pr.add("grantControls", "a policy needs grant controls or session controls")
	}
	return pr.err()
}

func validateConditions(pr *problems, c *Conditions) {
	users, workload := c.Users != nil, c.ClientApplications != nil
	switch {
	case users && workload:
		pr.add("conditions.clientApplications", "a policy targets users or workload identities, not both")
	case !users && !workload:
		pr.add("conditions.users", "is required (or conditions.clientApplications for workload identities)")
	case users:
		u := c.Users
		if len(u.IncludeUsers)+len(u.IncludeGroups)+len(u.IncludeRoles) == 0 {
			pr.add("conditions.users.includeUsers", "include at least one user, group or role (or All, None, GuestsOrExternalUsers)")
		}
		for _, l := range []struct {
			name  string
			items []string
		}{{"includeUsers", u.IncludeUsers}, {"excludeUsers", u.ExcludeUsers}, {"includeGroups", u.IncludeGroups},
			{"excludeGroups", u.ExcludeGroups}, {"includeRoles", u.IncludeRoles}, {"excludeRoles", u.ExcludeRoles}} {
			checkIDs(pr, "conditions.users."+l.name, l.items)
		}
	case workload:
		if len(c.ClientApplications.IncludeServicePrincipals) == 0 {
			pr.add("conditions.clientApplications.includeServicePrincipals", "include at least one service principal (or ServicePrincipalsInMyTenant)")
		}
		checkIDs(pr, "conditions.clientApplications.includeServicePrincipals", c.ClientApplications.IncludeServicePrincipals)
		checkIDs(pr, "conditions.clientApplications.excludeServicePrincipals", c.ClientApplications.ExcludeServicePrincipals)
	}
	validateApplications(pr, c.Applications, workload)
	checkEnum(pr, "conditions.clientAppTypes", c.ClientAppTypes, clientAppTypes)
	if p := c.Platforms; p != nil {
		checkEnum(pr, "conditions.platforms.includePlatforms", p.IncludePlatforms, platformNames)
		checkEnum(pr, "conditions.platforms.excludePlatforms", p.ExcludePlatforms, platformNames)
		if len(p.IncludePlatforms) == 0 && len(p.ExcludePlatforms) > 0 {
			pr.add("conditions.platforms.includePlatforms", "is required when platforms are excluded")
		}
	}
	if l := c.Locations; l != nil {
		checkIDs(pr, "conditions.locations.includeLocations", l.IncludeLocations)
		checkIDs(pr, "conditions.locations.excludeLocations", l.ExcludeLocations)
	}
	checkEnum(pr, "conditions.signInRiskLevels", c.SignInRiskLevels, riskLevels)
	checkEnum(pr, "conditions.userRiskLevels", c.UserRiskLevels, riskLevels)
	if f := c.AuthenticationFlows; f != nil && f.TransferMethods != "" {
		for m := range strings.SplitSeq(f.TransferMethods, ",") {
			if m = strings.TrimSpace(m); m != FlowDeviceCode && m != "authenticationTransfer" {
				pr.add("conditions.authenticationFlows.transferMethods", "%q is not deviceCodeFlow or authenticationTransfer", m)
			}
		}
	}
}

func validateApplications(pr *problems, a *ApplicationsCondition, workload bool) {
	if a == nil {
		if !workload {
			pr.add("conditions.applications", "is required")
		}
		return
	}
	if len(a.IncludeApplications) == 0 && len(a.IncludeUserActions) == 0 {
		pr.add("conditions.applications.includeApplications", "include at least one application (or All, None, MicrosoftAdminPortals) or a user action")
	}
	if len(a.IncludeApplications) > 0 && len(a.IncludeUserActions) > 0 {
		pr.add("conditions.applications.includeUserActions", "a policy targets applications or user actions, not both")
	}
	checkIDs(pr, "conditions.applications.includeApplications", a.IncludeApplications)
	checkIDs(pr, "conditions.applications.excludeApplications", a.ExcludeApplications)
	checkEnum(pr, "conditions.applications.includeUserActions", a.IncludeUserActions, []string{userActionRegisterSecurityInfo})
}

// userActionRegisterSecurityInfo is mfa.ActionRegisterSecurityInfo.
const userActionRegisterSecurityInfo = "urn:user:registersecurityinfo"

func validateGrant(pr *problems, g *GrantControls) {
	if g == nil {
		return
	}
	if g.Operator != "AND" && g.Operator != "OR" {
		pr.add("grantControls.operator", "%q is not AND or OR", g.Operator)
	}
	total := len(g.BuiltInControls) + len(g.TermsOfUse)
	if g.AuthenticationStrength != nil {
		total++
		if _, ok := levelOfStrength[g.AuthenticationStrength.ID]; !ok {
			pr.add("grantControls.authenticationStrength.id", "%q is not a built-in authentication strength (%s MFA, %s passwordless MFA, %s phishing-resistant MFA)",
				g.AuthenticationStrength.ID, StrengthMFA, StrengthPasswordlessMFA, StrengthPhishingResistantMFA)
		}
		if slices.Contains(g.BuiltInControls, ControlMFA) {
			pr.add("grantControls.authenticationStrength", "cannot be combined with the mfa control; the strength already requires it")
		}
	}
	if total == 0 {
		pr.add("grantControls.builtInControls", "name at least one control")
	}
	for i, c := range g.BuiltInControls {
		field := fmt.Sprintf("grantControls.builtInControls[%d]", i)
		if why, ok := unsupported[c]; ok {
			pr.add(field, "%q is not supported: %s", c, why)
		} else if c != ControlBlock && c != ControlMFA && c != ControlPasswordChange {
			pr.add(field, "%q is not one of block, mfa, passwordChange", c)
		}
	}
	if slices.Contains(g.BuiltInControls, ControlBlock) && total > 1 {
		pr.add("grantControls.builtInControls", "block cannot be combined with other controls")
	}
	if slices.Contains(g.BuiltInControls, ControlPasswordChange) &&
		(g.Operator != "AND" || !slices.Contains(g.BuiltInControls, ControlMFA) && g.AuthenticationStrength == nil) {
		pr.add("grantControls.builtInControls", "passwordChange needs mfa (or an authentication strength) joined with AND")
	}
	checkIDs(pr, "grantControls.termsOfUse", g.TermsOfUse)
}

func validateSession(pr *problems, s *SessionControls) {
	if s == nil {
		return
	}
	if f := s.SignInFrequency; f != nil && f.IsEnabled {
		switch f.FrequencyInterval {
		case "everyTime":
		case "", "timeBased":
			if f.Type != "hours" && f.Type != "days" {
				pr.add("sessionControls.signInFrequency.type", "%q is not hours or days", f.Type)
			}
			if limit := map[string]int{"hours": 23, "days": 365}[f.Type]; f.Value < 1 || limit > 0 && f.Value > limit {
				pr.add("sessionControls.signInFrequency.value", "must be 1 to 23 hours or 1 to 365 days")
			}
		default:
			pr.add("sessionControls.signInFrequency.frequencyInterval", "%q is not timeBased or everyTime", f.FrequencyInterval)
		}
	}
	if p := s.PersistentBrowser; p != nil && p.IsEnabled && p.Mode != "always" && p.Mode != "never" {
		pr.add("sessionControls.persistentBrowser.mode", "%q is not always or never", p.Mode)
	}
}

func checkEnum(pr *problems, field string, items, allowed []string) {
	for i, it := range items {
		if !slices.Contains(allowed, it) {
			pr.add(fmt.Sprintf("%s[%d]", field, i), "%q is not one of %s", it, strings.Join(allowed, ", "))
		}
	}
	if len(items) > maxListItems {
		pr.add(field, "lists more than %d items", maxListItems)
	}
}

func checkIDs(pr *problems, field string, items []string) {
	if len(items) > maxListItems {
		pr.add(field, "lists more than %d items", maxListItems)
	}
	for i, it := range items {
		if strings.TrimSpace(it) == "" || len(it) > 128 {
			pr.add(fmt.Sprintf("%s[%d]", field, i), "must be an ID of 1 to 128 characters")
		}
	}
}

// ValidateLocation checks a named location.
func ValidateLocation(l NamedLocation) error {
	var pr problems
	if name := strings.TrimSpace(l.DisplayName); name == "" {
		pr.add("displayName", "is required")
	} else if len(name) > maxDisplayName {
		pr.add("displayName", "is longer than %d characters", maxDisplayName)
	}
	switch l.Kind {
	case LocationIP:
		if len(l.IPRanges) == 0 {
			pr.add("ipRanges", "name at least one CIDR range")
		}
		if len(l.IPRanges) > 2000 {
			pr.add("ipRanges", "lists more than 2000 ranges")
		}
		for i, p := range l.IPRanges {
			if !p.IsValid() || p.Masked() != p {
				pr.add(fmt.Sprintf("ipRanges[%d].cidrAddress", i), "%s has host bits set; use %s", p, p.Masked())
			}
		}
	case LocationCountry:
		if len(l.CountriesAndRegions) == 0 && !l.IncludeUnknownCountriesAndRegions {
			pr.add("countriesAndRegions", "name at least one country or include unknown countries and regions")
		}
		for i, c := range l.CountriesAndRegions {
			if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
				pr.add(fmt.Sprintf("countriesAndRegions[%d]", i), "%q is not a two-letter upper-case ISO 3166 code", c)
			}
		}
	default:
		pr.add("@odata.type", "must be #microsoft.graph.ipNamedLocation or #microsoft.graph.countryNamedLocation")
	}
	return pr.err()
}

// ReferencedLocations lists the named-location IDs a policy uses (not the
// special values All and AllTrusted), so the caller can check they exist and
// refuse to delete a location in use.
func ReferencedLocations(p Policy) []string {
	l := p.Conditions.Locations
	if l == nil {
		return nil
	}
	var ids []string
	for _, id := range slices.Concat(l.IncludeLocations, l.ExcludeLocations) {
		if id != All && id != AllTrusted && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}
