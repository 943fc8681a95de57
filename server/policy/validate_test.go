package policy

import (
	"encoding/json"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// TestValidate: each invalid field gets a message naming it.
func TestValidate(t *testing.T) {
	valid := mfaPolicy(Conditions{})
	if err := Validate(valid); err != nil {
		t.Fatalf("a valid policy: %v", err)
	}
	tests := []struct {
		name   string
		change func(*Policy)
		field  string
		text   string
	}{
		{"no name", func(p *Policy) { p.DisplayName = " " }, "displayName", "required"},
		{"state", func(p *Policy) { p.State = "on" }, "state", `"on" is not one of`},
		{"no users", func(p *Policy) { p.Conditions.Users = nil }, "conditions.users", "required"},
		{"empty users", func(p *Policy) { p.Conditions.Users = &UsersCondition{} }, "conditions.users.includeUsers", "at least one"},
		{"users and workloads", func(p *Policy) {
			p.Conditions.ClientApplications = &ClientApplicationsCondition{IncludeServicePrincipals: []string{ServicePrincipalsInMyTenant}}
		}, "conditions.clientApplications", "not both"},
		{"no apps", func(p *Policy) { p.Conditions.Applications = nil }, "conditions.applications", "required"},
		{"apps and actions", func(p *Policy) {
			p.Conditions.Applications.IncludeUserActions = []string{userActionRegisterSecurityInfo}
		}, "conditions.applications.includeUserActions", "not both"},
		{"user action", func(p *Policy) {
			p.Conditions.Applications = &ApplicationsCondition{IncludeUserActions: []string{"urn:user:registerdevice"}}
		}, "conditions.applications.includeUserActions[0]", "is not one of"},
		{"client app", func(p *Policy) { p.Conditions.ClientAppTypes = []string{"browser", "fax"} }, "conditions.clientAppTypes[1]", `"fax"`},
		{"platform", func(p *Policy) { p.Conditions.Platforms = &PlatformsCondition{IncludePlatforms: []string{"amiga"}} },
			"conditions.platforms.includePlatforms[0]", `"amiga"`},
		{"risk", func(p *Policy) { p.Conditions.SignInRiskLevels = []string{"severe"} }, "conditions.signInRiskLevels[0]", `"severe"`},
		{"flow", func(p *Policy) {
			p.Conditions.AuthenticationFlows = &AuthenticationFlows{TransferMethods: "carrierPigeon"}
		},
			"conditions.authenticationFlows.transferMethods", "carrierPigeon"},
		{"operator", func(p *Policy) { p.GrantControls.Operator = "XOR" }, "grantControls.operator", "XOR"},
		{"compliant device", func(p *Policy) { p.GrantControls.BuiltInControls = []string{"compliantDevice"} },
			"grantControls.builtInControls[0]", "no device management"},
		{"unknown control", func(p *Policy) { p.GrantControls.BuiltInControls = []string{"prayer"} }, "grantControls.builtInControls[0]", "prayer"},
		{"block with mfa", func(p *Policy) { p.GrantControls.BuiltInControls = []string{ControlBlock, ControlMFA} },
			"grantControls.builtInControls", "block cannot be combined"},
		{"password change alone", func(p *Policy) { p.GrantControls.BuiltInControls = []string{ControlPasswordChange} },
			"grantControls.builtInControls", "passwordChange needs mfa"},
		{"strength", func(p *Policy) {
			p.GrantControls.BuiltInControls = nil
			p.GrantControls.AuthenticationStrength = &AuthenticationStrength{ID: "x"}
		}, "grantControls.authenticationStrength.id", "not a built-in"},
		{"no controls", func(p *Policy) { p.GrantControls = nil }, "grantControls", "needs grant controls or session controls"},
		{"frequency", func(p *Policy) {
			p.SessionControls = &SessionControls{SignInFrequency: &SignInFrequency{IsEnabled: true, Type: "hours", Value: 30}}
		}, "sessionControls.signInFrequency.value", "1 to 23 hours"},
		{"persistent", func(p *Policy) {
			p.SessionControls = &SessionControls{PersistentBrowser: &PersistentBrowser{IsEnabled: true, Mode: "sometimes"}}
		}, "sessionControls.persistentBrowser.mode", "sometimes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mfaPolicy(Conditions{})
			tt.change(&p)
			var verr *ValidationError
			if err := Validate(p); !errors.As(err, &verr) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			for _, pr := range verr.Problems {
				if pr.Field == tt.field && strings.Contains(pr.Message, tt.text) {
					return
				}
			}
			t.Errorf("problems %+v lack %s: %q", verr.Problems, tt.field, tt.text)
		})
	}
}

// TestNamedLocationJSON: Graph's @odata.type shapes round-trip; bad input is
// refused with the field named.
func TestNamedLocationJSON(t *testing.T) {
	for _, l := range locations {
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		var back NamedLocation
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, l) {
			t.Errorf("round trip of %s: %+v, want %+v", b, back, l)
		}
	}
	graph := `{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"HQ","isTrusted":true,
		"ipRanges":[{"@odata.type":"#microsoft.graph.iPv4CidrRange","cidrAddress":"12.34.221.11/22"},
		{"@odata.type":"#microsoft.graph.iPv6CidrRange","cidrAddress":"2001:0:9d38:90d6:0:0:0:0/63"}]}`
	var hq NamedLocation
	if err := json.Unmarshal([]byte(graph), &hq); err != nil {
		t.Fatal(err)
	}
	if hq.Kind != LocationIP || !hq.IsTrusted || len(hq.IPRanges) != 2 || hq.IPRanges[1] != netip.MustParsePrefix("2001:0:9d38:90d6::/63") {
		t.Errorf("parsed %+v", hq)
	}
	if err := ValidateLocation(hq); err == nil || !strings.Contains(err.Error(), "host bits set; use 12.34.220.0/22") {
		t.Errorf("host bits: %v", err)
	}
	for doc, want := range map[string]string{
		`{"@odata.type":"#microsoft.graph.ipNamedLocation","displayName":"x","ipRanges":[{"cidrAddress":"10.0.0.0/33"}]}`: "ipRanges[0].cidrAddress",
		`{"@odata.type":"#microsoft.graph.somethingElse","displayName":"x"}`:                                              "@odata.type",
	} {
		var l NamedLocation
		if err := json.Unmarshal([]byte(doc), &l); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %s", doc, err, want)
		}
	}
	if err := ValidateLocation(NamedLocation{DisplayName: "x", Kind: LocationCountry, CountriesAndRegions: []string{"gb"}}); err == nil ||
		!strings.Contains(err.Error(), "countriesAndRegions[0]") {
		t.Errorf("lower-case country: %v", err)
	}
}

// TestGuardrails: enabling next to security defaults is refused (F-17); a
// block of every Global Administrator needs an excluded emergency account.
func TestGuardrails(t *testing.T) {
	if err := CheckCoexistence(true, StateEnabled); !errors.Is(err, ErrSecurityDefaultsOn) {
		t.Errorf("enabled with security defaults: %v", err)
	}
	for _, state := range []string{StateReportOnly, StateDisabled} {
		if err := CheckCoexistence(true, state); err != nil {
			t.Errorf("%s with security defaults: %v", state, err)
		}
	}
	admins := []Admin{{UserID: ann, GroupIDs: []string{sales}, RoleIDs: []string{RoleGlobalAdministrator}},
		{UserID: breakGl, RoleIDs: []string{RoleGlobalAdministrator}}}
	blockAll := mfaPolicy(Conditions{Locations: &LocationsCondition{IncludeLocations: []string{All}, ExcludeLocations: []string{AllTrusted}}})
	blockAll.DisplayName, blockAll.GrantControls = "Block outside the office", &GrantControls{Operator: "OR", BuiltInControls: []string{ControlBlock}}
	var lerr *LockoutError
	if err := CheckLockout(blockAll, admins); !errors.As(err, &lerr) || !strings.Contains(lerr.Reason, "emergency-access") {
		t.Errorf("blocking every admin: %v", err)
	}
	excluded := blockAll
	excluded.Conditions.Users = &UsersCondition{IncludeUsers: []string{All}, ExcludeUsers: []string{breakGl}}
	if err := CheckLockout(excluded, admins); err != nil {
		t.Errorf("with an excluded emergency account: %v", err)
	}
	reportOnly := blockAll
	reportOnly.State = StateReportOnly
	if err := CheckLockout(reportOnly, admins); err != nil {
		t.Errorf("report-only: %v", err)
	}
	otherApp := blockAll
	otherApp.Conditions.Applications = &ApplicationsCondition{IncludeApplications: []string{appID}}
	if err := CheckLockout(otherApp, admins); err != nil {
		t.Errorf("blocking one application: %v", err)
	}
	mfaAll := mfaPolicy(Conditions{})
	if err := CheckLockout(mfaAll, admins); err != nil {
		t.Errorf("MFA for everyone: %v", err)
	}
}

// TestTemplates: the five recommended policies are valid and report-only.
func TestTemplates(t *testing.T) {
	ts := Templates()
	if len(ts) != 5 {
		t.Fatalf("%d templates, want 5", len(ts))
	}
	for _, tmpl := range ts {
		if err := Validate(tmpl.Policy); err != nil {
			t.Errorf("%s: %v", tmpl.ID, err)
		}
		if tmpl.Policy.State != StateReportOnly {
			t.Errorf("%s: state %s", tmpl.ID, tmpl.Policy.State)
		}
	}
	s := baseSignals()
	s.ClientAppType = ClientOther
	var policies []Policy
	for _, tmpl := range ts {
		p := tmpl.Policy
		p.ID, p.State = tmpl.ID, StateEnabled
		policies = append(policies, p)
	}
	if d := Evaluate(Input{Signals: s, Policies: policies}); d.BlockedBy != TemplateBlockLegacyAuth {
		t.Errorf("legacy client blocked by %q", d.BlockedBy)
	}
}
