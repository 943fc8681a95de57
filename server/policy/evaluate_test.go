package policy

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
)

var now = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

const (
	ann      = "11111111-1111-1111-1111-111111111111"
	sales    = "22222222-2222-2222-2222-222222222222"
	breakGl  = "33333333-3333-3333-3333-333333333333"
	appID    = "44444444-4444-4444-4444-444444444444"
	office   = "55555555-5555-5555-5555-555555555555"
	blocked  = "66666666-6666-6666-6666-666666666666"
	termsID  = "77777777-7777-7777-7777-777777777777"
	otherApp = "88888888-8888-8888-8888-888888888888"
)

var locations = []NamedLocation{
	{ID: office, DisplayName: "Office", Kind: LocationIP, IsTrusted: true, IPRanges: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}},
	{ID: blocked, DisplayName: "Embargoed", Kind: LocationCountry, CountriesAndRegions: []string{"KP"}, IncludeUnknownCountriesAndRegions: true},
}

// baseSignals is a member signing in to appID with a password from the
// office in a browser on Windows.
func baseSignals() Signals {
	return Signals{UserID: ann, GroupIDs: []string{sales}, AppID: appID, ClientAppType: ClientBrowser,
		IP: netip.MustParseAddr("192.0.2.10"), Country: "GB", Platform: PlatformWindows, Level: mfa.LevelSingleFactor,
		HasMethods: true, FreshAuth: true, AuthTime: now, Now: now}
}

func mfaPolicy(c Conditions) Policy {
	if c.Users == nil && c.ClientApplications == nil {
		c.Users = &UsersCondition{IncludeUsers: []string{All}}
	}
	if c.Applications == nil {
		c.Applications = &ApplicationsCondition{IncludeApplications: []string{All}}
	}
	return Policy{ID: "p", DisplayName: "P", State: StateEnabled, Conditions: c,
		GrantControls: &GrantControls{Operator: "OR", BuiltInControls: []string{ControlMFA}}}
}

// TestConditions: each condition, inclusion and exclusion (exclusion wins),
// decides whether an MFA policy applies (G-03..G-17).
func TestConditions(t *testing.T) {
	tests := []struct {
		name    string
		c       Conditions
		signals func(*Signals)
		applies bool
	}{
		{"all users", Conditions{}, nil, true},
		{"no user", Conditions{Users: &UsersCondition{IncludeUsers: []string{None}}}, nil, false},
		{"user by id", Conditions{Users: &UsersCondition{IncludeUsers: []string{ann}}}, nil, true},
		{"other user", Conditions{Users: &UsersCondition{IncludeUsers: []string{breakGl}}}, nil, false},
		{"group", Conditions{Users: &UsersCondition{IncludeGroups: []string{sales}}}, nil, true},
		{"role", Conditions{Users: &UsersCondition{IncludeRoles: []string{RoleGlobalAdministrator}}},
			func(s *Signals) { s.RoleIDs = []string{RoleGlobalAdministrator} }, true},
		{"role not held", Conditions{Users: &UsersCondition{IncludeRoles: []string{RoleGlobalAdministrator}}}, nil, false},
		{"guests", Conditions{Users: &UsersCondition{IncludeUsers: []string{GuestsOrExternalUsers}}}, func(s *Signals) { s.Guest = true }, true},
		{"guests, member signs in", Conditions{Users: &UsersCondition{IncludeUsers: []string{GuestsOrExternalUsers}}}, nil, false},
		{"excluded user wins", Conditions{Users: &UsersCondition{IncludeUsers: []string{All}, ExcludeUsers: []string{ann}}}, nil, false},
		{"excluded group wins", Conditions{Users: &UsersCondition{IncludeUsers: []string{ann}, ExcludeGroups: []string{sales}}}, nil, false},
		{"excluded role wins", Conditions{Users: &UsersCondition{IncludeGroups: []string{sales}, ExcludeRoles: []string{RoleGlobalAdministrator}}},
			func(s *Signals) { s.RoleIDs = []string{RoleGlobalAdministrator} }, false},
		{"excluded guests", Conditions{Users: &UsersCondition{IncludeUsers: []string{All}, ExcludeUsers: []string{GuestsOrExternalUsers}}},
			func(s *Signals) { s.Guest = true }, false},
		{"app by id", Conditions{Applications: &ApplicationsCondition{IncludeApplications: []string{appID}}}, nil, true},
		{"other app", Conditions{Applications: &ApplicationsCondition{IncludeApplications: []string{otherApp}}}, nil, false},
		{"excluded app", Conditions{Applications: &ApplicationsCondition{IncludeApplications: []string{All}, ExcludeApplications: []string{appID}}}, nil, false},
		{"admin resource by name", Conditions{Applications: &ApplicationsCondition{IncludeApplications: []string{AdminPortals}}},
			func(s *Signals) { s.AdminResource = true }, true},
		{"admin resource by id", Conditions{Applications: &ApplicationsCondition{IncludeApplications: []string{AdminResourceID}}},
			func(s *Signals) { s.AdminResource = true }, true},
		{"admin resource, not requested", Conditions{Applications: &ApplicationsCondition{IncludeApplications: []string{AdminPortals}}}, nil, false},
		{"admin resource, app excluded", Conditions{Applications: &ApplicationsCondition{IncludeApplications: []string{All}, ExcludeApplications: []string{appID}}},
			func(s *Signals) { s.AdminResource = true }, true},
		{"user action", Conditions{Applications: &ApplicationsCondition{IncludeUserActions: []string{mfa.ActionRegisterSecurityInfo}}},
			func(s *Signals) { s.UserAction = mfa.ActionRegisterSecurityInfo; s.AppID = "" }, true},
		{"user action, app sign-in", Conditions{Applications: &ApplicationsCondition{IncludeUserActions: []string{mfa.ActionRegisterSecurityInfo}}}, nil, false},
		{"app policy, user action", Conditions{}, func(s *Signals) { s.UserAction = mfa.ActionRegisterSecurityInfo; s.AppID = "" }, false},
		{"client app browser", Conditions{ClientAppTypes: []string{ClientBrowser}}, nil, true},
		{"client app legacy only", Conditions{ClientAppTypes: []string{ClientExchangeActiveSync, ClientOther}}, nil, false},
		{"client app easSupported", Conditions{ClientAppTypes: []string{ClientEASSupported}},
			func(s *Signals) { s.ClientAppType = ClientExchangeActiveSync }, true},
		{"client app all", Conditions{ClientAppTypes: []string{ClientAll}}, func(s *Signals) { s.ClientAppType = ClientOther }, true},
		{"ip location", Conditions{Locations: &LocationsCondition{IncludeLocations: []string{office}}}, nil, true},
		{"ip location, elsewhere", Conditions{Locations: &LocationsCondition{IncludeLocations: []string{office}}},
			func(s *Signals) { s.IP = netip.MustParseAddr("198.51.100.1") }, false},
		{"all but trusted", Conditions{Locations: &LocationsCondition{IncludeLocations: []string{All}, ExcludeLocations: []string{AllTrusted}}}, nil, false},
		{"all but trusted, elsewhere", Conditions{Locations: &LocationsCondition{IncludeLocations: []string{All}, ExcludeLocations: []string{AllTrusted}}},
			func(s *Signals) { s.IP = netip.MustParseAddr("2001:db8::1") }, true},
		{"country", Conditions{Locations: &LocationsCondition{IncludeLocations: []string{blocked}}}, func(s *Signals) { s.Country = "KP" }, true},
		{"country, unknown included", Conditions{Locations: &LocationsCondition{IncludeLocations: []string{blocked}}}, func(s *Signals) { s.Country = "" }, true},
		{"country, other", Conditions{Locations: &LocationsCondition{IncludeLocations: []string{blocked}}}, nil, false},
		{"unknown location id", Conditions{Locations: &LocationsCondition{IncludeLocations: []string{"gone"}}}, nil, false},
		{"platform", Conditions{Platforms: &PlatformsCondition{IncludePlatforms: []string{PlatformWindows}}}, nil, true},
		{"platform all but windows", Conditions{Platforms: &PlatformsCondition{IncludePlatforms: []string{"all"}, ExcludePlatforms: []string{PlatformWindows}}}, nil, false},
		{"platform unknown", Conditions{Platforms: &PlatformsCondition{IncludePlatforms: []string{PlatformAndroid}}}, func(s *Signals) { s.Platform = "" }, false},
		{"sign-in risk", Conditions{SignInRiskLevels: []string{RiskMedium, RiskHigh}}, func(s *Signals) { s.SignInRisk = RiskHigh }, true},
		{"sign-in risk low", Conditions{SignInRiskLevels: []string{RiskMedium, RiskHigh}}, func(s *Signals) { s.SignInRisk = RiskLow }, false},
		{"sign-in risk none", Conditions{SignInRiskLevels: []string{RiskNone}}, nil, true},
		{"user risk", Conditions{UserRiskLevels: []string{RiskHigh}}, func(s *Signals) { s.UserRisk = RiskHigh }, true},
		{"user risk unset", Conditions{UserRiskLevels: []string{RiskHigh}}, nil, false},
		{"device code flow", Conditions{AuthenticationFlows: &AuthenticationFlows{TransferMethods: FlowDeviceCode}},
			func(s *Signals) { s.AuthFlow = FlowDeviceCode }, true},
		{"device code flow, browser", Conditions{AuthenticationFlows: &AuthenticationFlows{TransferMethods: FlowDeviceCode}}, nil, false},
		{"user policy, workload", Conditions{}, func(s *Signals) { s.Workload = true }, false},
		{"workload all", Conditions{ClientApplications: &ClientApplicationsCondition{IncludeServicePrincipals: []string{ServicePrincipalsInMyTenant}}},
			func(s *Signals) { s.Workload = true }, true},
		{"workload excluded", Conditions{ClientApplications: &ClientApplicationsCondition{
			IncludeServicePrincipals: []string{ServicePrincipalsInMyTenant}, ExcludeServicePrincipals: []string{appID}}},
			func(s *Signals) { s.Workload = true }, false},
		{"workload policy, user", Conditions{ClientApplications: &ClientApplicationsCondition{IncludeServicePrincipals: []string{ServicePrincipalsInMyTenant}}}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := baseSignals()
			if tt.signals != nil {
				tt.signals(&s)
			}
			d := Evaluate(Input{Policies: []Policy{mfaPolicy(tt.c)}, Locations: locations, Signals: s})
			r := d.Results[0]
			applied := r.Outcome != OutcomeNotApplied
			if applied != tt.applies {
				t.Fatalf("applied = %v (%s), want %v; reasons %q", applied, r.Outcome, tt.applies, r.Reasons)
			}
			if (d.RequireLevel == mfa.LevelMFA) != tt.applies {
				t.Errorf("RequireLevel = %v with applied = %v", d.RequireLevel, applied)
			}
			if len(r.Reasons) == 0 {
				t.Error("no reasons traced")
			}
		})
	}
}

// TestGrantControls: each control and the AND/OR operator (G-06..G-10, G-25).
func TestGrantControls(t *testing.T) {
	strength := func(id string) *AuthenticationStrength { return &AuthenticationStrength{ID: id} }
	tests := []struct {
		name    string
		g       GrantControls
		signals func(*Signals)
		outcome string
		check   func(t *testing.T, d Decision)
	}{
		{"block", GrantControls{Operator: "OR", BuiltInControls: []string{ControlBlock}}, nil, OutcomeFailure,
			func(t *testing.T, d Decision) {
				if !d.Block || d.BlockedBy != "p" || d.Reason == "" {
					t.Errorf("decision %+v: want a block by p with a reason", d)
				}
			}},
		{"mfa missing", GrantControls{Operator: "OR", BuiltInControls: []string{ControlMFA}}, nil, OutcomeFailure,
			func(t *testing.T, d Decision) { wantLevel(t, d, mfa.LevelMFA) }},
		{"mfa done", GrantControls{Operator: "OR", BuiltInControls: []string{ControlMFA}}, func(s *Signals) { s.Level = mfa.LevelMFA }, OutcomeSuccess, nil},
		{"phishing-resistant strength, TOTP done", GrantControls{Operator: "OR", AuthenticationStrength: strength(StrengthPhishingResistantMFA)},
			func(s *Signals) { s.Level = mfa.LevelMFA }, OutcomeFailure,
			func(t *testing.T, d Decision) { wantLevel(t, d, mfa.LevelPhishingResistantMFA) }},
		{"phishing-resistant strength, passkey", GrantControls{Operator: "OR", AuthenticationStrength: strength(StrengthPhishingResistantMFA)},
			func(s *Signals) { s.Level = mfa.LevelPhishingResistantMFA }, OutcomeSuccess, nil},
		{"unknown strength blocks", GrantControls{Operator: "OR", AuthenticationStrength: strength("nope")}, nil, OutcomeFailure,
			func(t *testing.T, d Decision) {
				if !d.Block {
					t.Error("an unknown strength did not fail closed")
				}
			}},
		{"terms not accepted", GrantControls{Operator: "AND", TermsOfUse: []string{termsID}}, nil, OutcomeFailure,
			func(t *testing.T, d Decision) {
				if !slices.Equal(d.TermsOfUse, []string{termsID}) {
					t.Errorf("TermsOfUse = %v", d.TermsOfUse)
				}
			}},
		{"terms accepted", GrantControls{Operator: "AND", TermsOfUse: []string{termsID}}, func(s *Signals) { s.AcceptedTerms = []string{termsID} }, OutcomeSuccess, nil},
		{"mfa AND terms, mfa done", GrantControls{Operator: "AND", BuiltInControls: []string{ControlMFA}, TermsOfUse: []string{termsID}},
			func(s *Signals) { s.Level = mfa.LevelMFA }, OutcomeFailure,
			func(t *testing.T, d Decision) {
				wantLevel(t, d, mfa.LevelNone)
				if len(d.TermsOfUse) != 1 {
					t.Errorf("TermsOfUse = %v", d.TermsOfUse)
				}
			}},
		{"mfa OR terms, terms accepted", GrantControls{Operator: "OR", BuiltInControls: []string{ControlMFA}, TermsOfUse: []string{termsID}},
			func(s *Signals) { s.AcceptedTerms = []string{termsID} }, OutcomeSuccess, nil},
		{"mfa OR terms, neither: asks for MFA", GrantControls{Operator: "OR", BuiltInControls: []string{ControlMFA}, TermsOfUse: []string{termsID}},
			nil, OutcomeFailure,
			func(t *testing.T, d Decision) {
				wantLevel(t, d, mfa.LevelMFA)
				if len(d.TermsOfUse) != 0 {
					t.Errorf("TermsOfUse = %v, want none for an OR already asking MFA", d.TermsOfUse)
				}
			}},
		{"password change", GrantControls{Operator: "AND", BuiltInControls: []string{ControlMFA, ControlPasswordChange}},
			func(s *Signals) { s.Level = mfa.LevelMFA }, OutcomeFailure,
			func(t *testing.T, d Decision) {
				if !d.PasswordChange {
					t.Error("PasswordChange not required")
				}
			}},
		{"password changed", GrantControls{Operator: "AND", BuiltInControls: []string{ControlMFA, ControlPasswordChange}},
			func(s *Signals) { s.Level, s.PasswordChanged = mfa.LevelMFA, true }, OutcomeSuccess, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := baseSignals()
			if tt.signals != nil {
				tt.signals(&s)
			}
			p := mfaPolicy(Conditions{})
			p.GrantControls = &tt.g
			d := Evaluate(Input{Policies: []Policy{p}, Signals: s})
			if got := d.Results[0].Outcome; got != tt.outcome {
				t.Fatalf("outcome = %s, want %s; reasons %q", got, tt.outcome, d.Results[0].Reasons)
			}
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

func wantLevel(t *testing.T, d Decision, l mfa.Level) {
	t.Helper()
	if d.RequireLevel != l {
		t.Errorf("RequireLevel = %v, want %v", d.RequireLevel, l)
	}
}

// TestSessionControls: sign-in frequency (time-based and every time, G-11)
// and persistent browser session; the shortest and "never" win.
func TestSessionControls(t *testing.T) {
	freq := func(id string, f SignInFrequency) Policy {
		p := mfaPolicy(Conditions{})
		p.ID, p.GrantControls = id, nil
		p.SessionControls = &SessionControls{SignInFrequency: &f}
		return p
	}
	s := baseSignals()
	s.FreshAuth, s.AuthTime = false, now.Add(-5*time.Hour)
	d := Evaluate(Input{Signals: s, Policies: []Policy{
		freq("a", SignInFrequency{IsEnabled: true, Type: "days", Value: 1}),
		freq("b", SignInFrequency{IsEnabled: true, Type: "hours", Value: 4}),
	}})
	if d.SignInFrequency != 4*time.Hour || !d.Reauthenticate {
		t.Errorf("frequency %v, reauthenticate %v; want 4h and true (signed in 5h ago)", d.SignInFrequency, d.Reauthenticate)
	}
	if d.Results[0].Outcome != OutcomeSuccess || d.Results[1].Outcome != OutcomeFailure {
		t.Errorf("outcomes %s, %s; want success (1 day) and failure (4 hours)", d.Results[0].Outcome, d.Results[1].Outcome)
	}
	every := freq("e", SignInFrequency{IsEnabled: true, FrequencyInterval: "everyTime"})
	s.AuthTime = now.Add(-time.Minute)
	if d := Evaluate(Input{Signals: s, Policies: []Policy{every}}); d.SignInFrequency != EveryTime || !d.Reauthenticate {
		t.Errorf("every time over SSO: %+v", d)
	}
	s.FreshAuth = true
	if d := Evaluate(Input{Signals: s, Policies: []Policy{every}}); d.Reauthenticate {
		t.Error("every time after a fresh sign-in still asks to reauthenticate")
	}
	persist := func(id, mode string) Policy {
		p := mfaPolicy(Conditions{})
		p.ID, p.GrantControls = id, nil
		p.SessionControls = &SessionControls{PersistentBrowser: &PersistentBrowser{IsEnabled: true, Mode: mode}}
		return p
	}
	if d := Evaluate(Input{Signals: s, Policies: []Policy{persist("n", "never"), persist("a", "always")}}); d.PersistentBrowser != "never" {
		t.Errorf("PersistentBrowser = %q, want never to win", d.PersistentBrowser)
	}
}

// TestReportOnlyNeverEnforces: report-only policies are traced with their
// three outcomes but never change the decision.
func TestReportOnlyNeverEnforces(t *testing.T) {
	reportOnly := func(id string, g GrantControls) Policy {
		p := mfaPolicy(Conditions{})
		p.ID, p.State, p.GrantControls = id, StateReportOnly, &g
		return p
	}
	s := baseSignals()
	s.AcceptedTerms = []string{termsID}
	d := Evaluate(Input{Signals: s, Policies: []Policy{
		reportOnly("block", GrantControls{Operator: "OR", BuiltInControls: []string{ControlBlock}}),
		reportOnly("mfa", GrantControls{Operator: "OR", BuiltInControls: []string{ControlMFA}}),
		reportOnly("terms", GrantControls{Operator: "OR", TermsOfUse: []string{termsID}}),
		{ID: "off", DisplayName: "Off", State: StateDisabled, Conditions: mfaPolicy(Conditions{}).Conditions,
			GrantControls: &GrantControls{Operator: "OR", BuiltInControls: []string{ControlBlock}}},
	}})
	want := []string{OutcomeReportOnlyFailure, OutcomeReportOnlyInterrupted, OutcomeReportOnlySuccess, OutcomeNotEnabled}
	for i, r := range d.Results {
		if r.Outcome != want[i] {
			t.Errorf("%s: outcome %s, want %s", r.PolicyID, r.Outcome, want[i])
		}
	}
	if d.Block || d.RequireLevel != mfa.LevelNone || len(d.TermsOfUse) != 0 || d.Pending(s) {
		t.Errorf("report-only policies changed the decision: %+v", d)
	}
	if d.Status() != OutcomeNotApplied {
		t.Errorf("Status = %s, want notApplied", d.Status())
	}
}

// TestMostRestrictiveWins: every applying policy counts; block beats MFA and
// the strongest authentication wins.
func TestMostRestrictiveWins(t *testing.T) {
	mfaP := mfaPolicy(Conditions{})
	strong := mfaPolicy(Conditions{})
	strong.ID, strong.GrantControls = "strong", &GrantControls{Operator: "OR", AuthenticationStrength: &AuthenticationStrength{ID: StrengthPasswordlessMFA}}
	d := Evaluate(Input{Signals: baseSignals(), Policies: []Policy{mfaP, strong}})
	wantLevel(t, d, mfa.LevelPasswordlessMFA)
	block := mfaPolicy(Conditions{Locations: &LocationsCondition{IncludeLocations: []string{office}}})
	block.ID, block.DisplayName, block.GrantControls = "office-block", "Office block", &GrantControls{Operator: "OR", BuiltInControls: []string{ControlBlock}}
	d = Evaluate(Input{Signals: baseSignals(), Locations: locations, Policies: []Policy{mfaP, block, strong}})
	if !d.Block || d.BlockedBy != "office-block" || d.Status() != OutcomeFailure {
		t.Errorf("block did not win: %+v", d)
	}
}

// TestSecurityDefaults: every rule of seed 003 (F-04..F-10).
func TestSecurityDefaults(t *testing.T) {
	tests := []struct {
		name     string
		signals  func(*Signals)
		level    mfa.Level
		register bool
		block    bool
		outcome  string
	}{
		{"registered member, familiar sign-in", nil, mfa.LevelNone, false, false, OutcomeSuccess},
		{"new user registers, no grace (F-04)", func(s *Signals) { s.HasMethods = false }, mfa.LevelMFA, true, false, OutcomeFailure},
		{"admin role every sign-in (F-05)", func(s *Signals) { s.RoleIDs = []string{"e8611ab8-c189-46e8-94e1-60213ab1f814"} }, mfa.LevelMFA, false, false, OutcomeFailure},
		{"admin after MFA", func(s *Signals) { s.RoleIDs = []string{RoleGlobalAdministrator}; s.Level = mfa.LevelMFA }, mfa.LevelMFA, false, false, OutcomeSuccess},
		{"Global Reader is not one of the 16", func(s *Signals) { s.RoleIDs = []string{"f2ef992c-3afb-46b9-b7cf-a126ee74c451"} }, mfa.LevelNone, false, false, OutcomeSuccess},
		{"admin resource for everyone (F-08)", func(s *Signals) { s.AdminResource = true }, mfa.LevelMFA, false, false, OutcomeFailure},
		{"unfamiliar sign-in (F-06)", func(s *Signals) { s.UnfamiliarSignIn = true }, mfa.LevelMFA, false, false, OutcomeFailure},
		{"medium risk (F-06)", func(s *Signals) { s.SignInRisk = RiskMedium }, mfa.LevelMFA, false, false, OutcomeFailure},
		{"low risk", func(s *Signals) { s.SignInRisk = RiskLow }, mfa.LevelNone, false, false, OutcomeSuccess},
		{"legacy blocked (F-07)", func(s *Signals) { s.ClientAppType = ClientOther }, mfa.LevelNone, false, true, OutcomeFailure},
		{"Exchange ActiveSync blocked (F-07)", func(s *Signals) { s.ClientAppType = ClientExchangeActiveSync }, mfa.LevelNone, false, true, OutcomeFailure},
		{"sync account excluded (F-09)", func(s *Signals) {
			s.RoleIDs = []string{RoleDirectorySynchronizationAccounts}
			s.HasMethods = false
		}, mfa.LevelNone, false, false, OutcomeNotApplied},
		{"guest like a member (F-10)", func(s *Signals) { s.Guest = true; s.HasMethods = false }, mfa.LevelMFA, true, false, OutcomeFailure},
		{"workload not covered", func(s *Signals) { s.Workload = true; s.UserID = "" }, mfa.LevelNone, false, false, OutcomeNotApplied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := baseSignals()
			if tt.signals != nil {
				tt.signals(&s)
			}
			d := Evaluate(Input{SecurityDefaults: true, Signals: s})
			if d.RequireLevel != tt.level || d.RequireRegistration != tt.register || d.Block != tt.block {
				t.Errorf("level %v register %v block %v; want %v %v %v (reasons %q)", d.RequireLevel, d.RequireRegistration, d.Block,
					tt.level, tt.register, tt.block, d.SecurityDefaults.Reasons)
			}
			if d.SecurityDefaults == nil || d.SecurityDefaults.Outcome != tt.outcome {
				t.Errorf("security defaults result %+v, want %s", d.SecurityDefaults, tt.outcome)
			}
		})
	}
	if d := Evaluate(Input{Signals: baseSignals()}); d.SecurityDefaults != nil {
		t.Error("security defaults traced while off")
	}
}

// TestRisk: detections map to the documented levels (G-12, G-28).
func TestRisk(t *testing.T) {
	for _, tt := range []struct {
		d    Detections
		want string
	}{
		{Detections{}, RiskNone},
		{Detections{UnfamiliarIP: true}, RiskLow},
		{Detections{UnfamiliarIP: true, UnfamiliarCountry: true}, RiskMedium},
		{Detections{FailedMFAAttempts: 4}, RiskNone},
		{Detections{FailedMFAAttempts: 5}, RiskMedium},
		{Detections{UnfamiliarIP: true, ImpossibleTravel: true}, RiskHigh},
		{Detections{PasswordSpray: true}, RiskHigh},
	} {
		if got, _ := SignInRisk(tt.d); got != tt.want {
			t.Errorf("SignInRisk(%+v) = %s, want %s", tt.d, got, tt.want)
		}
	}
	london := GeoPoint{Latitude: 51.5085, Longitude: -0.1257, At: now}
	sydney := GeoPoint{Latitude: -33.8678, Longitude: 151.2073, At: now.Add(2 * time.Hour)}
	if km := DistanceKm(london, sydney); km < 16900 || km > 17100 {
		t.Errorf("London-Sydney = %.0f km, want about 17,000", km)
	}
	if !ImpossibleTravel(london, sydney) {
		t.Error("London to Sydney in 2 hours is possible?")
	}
	sydney.At = now.Add(30 * time.Hour)
	if ImpossibleTravel(london, sydney) {
		t.Error("London to Sydney in 30 hours is impossible?")
	}
	paris := GeoPoint{Latitude: 48.8566, Longitude: 2.3522, At: now.Add(10 * time.Minute)}
	if ImpossibleTravel(london, paris) {
		t.Error("344 km is within GeoIP error and flagged")
	}
}

func TestPlatformFromUserAgent(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0":                    PlatformWindows,
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Safari/605.1.15":            PlatformMacOS,
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148":    PlatformIOS,
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.3": PlatformAndroid,
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0":                      PlatformLinux,
		"curl/8.5.0": "",
	} {
		if got := PlatformFromUserAgent(ua); got != want {
			t.Errorf("%q: %q, want %q", ua, got, want)
		}
	}
}
