package policy

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"time"
)

// Policy states (Graph conditionalAccessPolicyState).
const (
	StateEnabled    = "enabled"
	StateDisabled   = "disabled"
	StateReportOnly = "enabledForReportingButNotEnforced"
)

// Special values of the users, applications and locations conditions.
const (
	All                   = "All"
	None                  = "None"
	GuestsOrExternalUsers = "GuestsOrExternalUsers"
	AllTrusted            = "AllTrusted"
	// AdminPortals is Graph's name for the admin portals; in Sigil it
	// targets the admin resource, like its application ID does.
	AdminPortals = "MicrosoftAdminPortals"
	// AdminResourceID is the application ID of Sigil's admin API and
	// portal (storage.AdminResourceID).
	AdminResourceID = "00000003-0000-0000-c000-000000000000"
	// ServicePrincipalsInMyTenant targets every workload identity.
	ServicePrincipalsInMyTenant = "ServicePrincipalsInMyTenant"
)

// Client app types (Graph conditionalAccessClientApp).
const (
	ClientAll                = "all"
	ClientBrowser            = "browser"
	ClientMobileAndDesktop   = "mobileAppsAndDesktopClients"
	ClientExchangeActiveSync = "exchangeActiveSync"
	ClientEASSupported       = "easSupported"
	ClientOther              = "other"
)

// Grant controls (Graph conditionalAccessGrantControl) Sigil enforces.
const (
	ControlBlock          = "block"
	ControlMFA            = "mfa"
	ControlPasswordChange = "passwordChange"
)

// Risk levels (Graph riskLevel).
const (
	RiskNone   = "none"
	RiskLow    = "low"
	RiskMedium = "medium"
	RiskHigh   = "high"
)

// FlowDeviceCode is the device code flow (conditionalAccessTransferMethods).
const FlowDeviceCode = "deviceCodeFlow"

// Policy is Graph's conditionalAccessPolicy.
type Policy struct {
	ID               string           `json:"id"`
	DisplayName      string           `json:"displayName"`
	State            string           `json:"state"`
	CreatedDateTime  *time.Time       `json:"createdDateTime,omitempty"`
	ModifiedDateTime *time.Time       `json:"modifiedDateTime,omitempty"`
	Conditions       Conditions       `json:"conditions"`
	GrantControls    *GrantControls   `json:"grantControls,omitempty"`
	SessionControls  *SessionControls `json:"sessionControls,omitempty"`
}

// Conditions is Graph's conditionalAccessConditionSet.
type Conditions struct {
	Users               *UsersCondition              `json:"users,omitempty"`
	Applications        *ApplicationsCondition       `json:"applications,omitempty"`
	ClientApplications  *ClientApplicationsCondition `json:"clientApplications,omitempty"`
	ClientAppTypes      []string                     `json:"clientAppTypes,omitempty"`
	Locations           *LocationsCondition          `json:"locations,omitempty"`
	Platforms           *PlatformsCondition          `json:"platforms,omitempty"`
	SignInRiskLevels    []string                     `json:"signInRiskLevels,omitempty"`
	UserRiskLevels      []string                     `json:"userRiskLevels,omitempty"`
	AuthenticationFlows *AuthenticationFlows         `json:"authenticationFlows,omitempty"`
}

// UsersCondition is Graph's conditionalAccessUsers.
type UsersCondition struct {
	IncludeUsers  []string `json:"includeUsers,omitempty"`
	ExcludeUsers  []string `json:"excludeUsers,omitempty"`
	IncludeGroups []string `json:"includeGroups,omitempty"`
	ExcludeGroups []string `json:"excludeGroups,omitempty"`
	IncludeRoles  []string `json:"includeRoles,omitempty"`
	ExcludeRoles  []string `json:"excludeRoles,omitempty"`
}

// ApplicationsCondition is Graph's conditionalAccessApplications.
type ApplicationsCondition struct {
	IncludeApplications []string `json:"includeApplications,omitempty"`
	ExcludeApplications []string `json:"excludeApplications,omitempty"`
	IncludeUserActions  []string `json:"includeUserActions,omitempty"`
}

// ClientApplicationsCondition is Graph's conditionalAccessClientApplications:
// the workload identities a policy targets.
type ClientApplicationsCondition struct {
	IncludeServicePrincipals []string `json:"includeServicePrincipals,omitempty"`
	ExcludeServicePrincipals []string `json:"excludeServicePrincipals,omitempty"`
}

// LocationsCondition is Graph's conditionalAccessLocations.
type LocationsCondition struct {
	IncludeLocations []string `json:"includeLocations,omitempty"`
	ExcludeLocations []string `json:"excludeLocations,omitempty"`
}

// PlatformsCondition is Graph's conditionalAccessPlatforms.
type PlatformsCondition struct {
	IncludePlatforms []string `json:"includePlatforms,omitempty"`
	ExcludePlatforms []string `json:"excludePlatforms,omitempty"`
}

// AuthenticationFlows is Graph's conditionalAccessAuthenticationFlows;
// TransferMethods is a comma-separated list ("deviceCodeFlow").
type AuthenticationFlows struct {
	TransferMethods string `json:"transferMethods,omitempty"`
}

// GrantControls is Graph's conditionalAccessGrantControls.
type GrantControls struct {
	Operator               string                  `json:"operator,omitempty"`
	BuiltInControls        []string                `json:"builtInControls,omitempty"`
	AuthenticationStrength *AuthenticationStrength `json:"authenticationStrength,omitempty"`
	TermsOfUse             []string                `json:"termsOfUse,omitempty"`
}

// AuthenticationStrength names one of the built-in authentication strength
// policies (Graph authenticationStrengthPolicy; only id is read).
type AuthenticationStrength struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName,omitempty"`
}

// SessionControls is Graph's conditionalAccessSessionControls.
type SessionControls struct {
	SignInFrequency   *SignInFrequency   `json:"signInFrequency,omitempty"`
	PersistentBrowser *PersistentBrowser `json:"persistentBrowser,omitempty"`
}

// SignInFrequency is Graph's signInFrequencySessionControl.
type SignInFrequency struct {
	IsEnabled bool `json:"isEnabled"`
	// Type is "hours" or "days"; Value how many.
	Type  string `json:"type,omitempty"`
	Value int    `json:"value,omitempty"`
	// FrequencyInterval is "timeBased" (Type/Value) or "everyTime".
	FrequencyInterval string `json:"frequencyInterval,omitempty"`
}

// PersistentBrowser is Graph's persistentBrowserSessionControl; Mode is
// "always" or "never".
type PersistentBrowser struct {
	IsEnabled bool   `json:"isEnabled"`
	Mode      string `json:"mode,omitempty"`
}

// Named location kinds.
const (
	LocationIP      = "ip"
	LocationCountry = "country"
)

// Graph's @odata.type values of named locations and IP ranges.
const (
	odataIPLocation      = "#microsoft.graph.ipNamedLocation"
	odataCountryLocation = "#microsoft.graph.countryNamedLocation"
	odataIPv4Range       = "#microsoft.graph.iPv4CidrRange"
	odataIPv6Range       = "#microsoft.graph.iPv6CidrRange"
)

// NamedLocation is Graph's ipNamedLocation or countryNamedLocation.
type NamedLocation struct {
	ID               string
	DisplayName      string
	Kind             string // LocationIP or LocationCountry
	CreatedDateTime  *time.Time
	ModifiedDateTime *time.Time
	// IP locations.
	IPRanges  []netip.Prefix
	IsTrusted bool
	// Country locations: ISO 3166-1 alpha-2 codes, upper case.
	CountriesAndRegions               []string
	IncludeUnknownCountriesAndRegions bool
}

type namedLocationJSON struct {
	ODataType                         string       `json:"@odata.type"`
	ID                                string       `json:"id,omitempty"`
	DisplayName                       string       `json:"displayName"`
	CreatedDateTime                   *time.Time   `json:"createdDateTime,omitempty"`
	ModifiedDateTime                  *time.Time   `json:"modifiedDateTime,omitempty"`
	IPRanges                          []ipRangeDoc `json:"ipRanges,omitempty"`
	IsTrusted                         *bool        `json:"isTrusted,omitempty"`
	CountriesAndRegions               []string     `json:"countriesAndRegions,omitempty"`
	IncludeUnknownCountriesAndRegions *bool        `json:"includeUnknownCountriesAndRegions,omitempty"`
}

type ipRangeDoc struct {
	ODataType   string `json:"@odata.type,omitempty"`
	CIDRAddress string `json:"cidrAddress"`
}

// MarshalJSON writes Graph's shape, with @odata.type naming the kind.
func (l NamedLocation) MarshalJSON() ([]byte, error) {
	doc := namedLocationJSON{ID: l.ID, DisplayName: l.DisplayName, CreatedDateTime: l.CreatedDateTime, ModifiedDateTime: l.ModifiedDateTime}
	switch l.Kind {
	case LocationIP:
		doc.ODataType, doc.IsTrusted = odataIPLocation, &l.IsTrusted
		doc.IPRanges = make([]ipRangeDoc, 0, len(l.IPRanges))
		for _, p := range l.IPRanges {
			t := odataIPv4Range
			if p.Addr().Is6() {
				t = odataIPv6Range
			}
			doc.IPRanges = append(doc.IPRanges, ipRangeDoc{ODataType: t, CIDRAddress: p.String()})
		}
	case LocationCountry:
		doc.ODataType, doc.IncludeUnknownCountriesAndRegions = odataCountryLocation, &l.IncludeUnknownCountriesAndRegions
		doc.CountriesAndRegions = l.CountriesAndRegions
		if doc.CountriesAndRegions == nil {
			doc.CountriesAndRegions = []string{}
		}
	default:
		return nil, fmt.Errorf("policy: named location kind %q", l.Kind)
	}
	return json.Marshal(doc)
}

// UnmarshalJSON reads Graph's shape. A malformed CIDR is an error naming it.
func (l *NamedLocation) UnmarshalJSON(b []byte) error {
	var doc namedLocationJSON
	if err := json.Unmarshal(b, &doc); err != nil {
		return err
	}
	out := NamedLocation{ID: doc.ID, DisplayName: doc.DisplayName, CreatedDateTime: doc.CreatedDateTime, ModifiedDateTime: doc.ModifiedDateTime}
	switch doc.ODataType {
	case odataIPLocation:
		out.Kind = LocationIP
		out.IsTrusted = doc.IsTrusted != nil && *doc.IsTrusted
		for i, r := range doc.IPRanges {
			p, err := netip.ParsePrefix(r.CIDRAddress)
			if err != nil {
				return &ValidationError{Problems: []Problem{{Field: fmt.Sprintf("ipRanges[%d].cidrAddress", i),
					Message: fmt.Sprintf("%q is not a CIDR range such as 192.0.2.0/24", r.CIDRAddress)}}}
			}
			out.IPRanges = append(out.IPRanges, p)
		}
	case odataCountryLocation:
		out.Kind = LocationCountry
		out.CountriesAndRegions = doc.CountriesAndRegions
		out.IncludeUnknownCountriesAndRegions = doc.IncludeUnknownCountriesAndRegions != nil && *doc.IncludeUnknownCountriesAndRegions
	default:
		return &ValidationError{Problems: []Problem{{Field: "@odata.type",
			Message: fmt.Sprintf("%q is not %s or %s", doc.ODataType, odataIPLocation, odataCountryLocation)}}}
	}
	*l = out
	return nil
}
