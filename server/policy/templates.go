package policy

// Template IDs, stable so that the admin API can create one by name.
const (
	TemplateMFAForAdmins         = "require-mfa-for-admins"
	TemplateBlockLegacyAuth      = "block-legacy-authentication"
	TemplateMFAForAllUsers       = "require-mfa-for-all-users"
	TemplateMFAForAdminResource  = "require-mfa-for-admin-resource"
	TemplateBlockDeviceCodeFlow  = "block-device-code-flow"
	templateEmergencyAccessGuide = "Exclude your emergency-access accounts before enabling."
)

// Template is a recommended policy (G-06, G-17, G-18, G-19).
type Template struct {
	ID          string
	Description string
	Policy      Policy
}

// Templates returns the recommended policies of the seeds, each in
// report-only state so that their effect shows in the sign-in log before
// they are enabled.
func Templates() []Template {
	allUsers := &UsersCondition{IncludeUsers: []string{All}}
	allApps := &ApplicationsCondition{IncludeApplications: []string{All}}
	mfaGrant := func() *GrantControls { return &GrantControls{Operator: "OR", BuiltInControls: []string{ControlMFA}} }
	block := func() *GrantControls { return &GrantControls{Operator: "OR", BuiltInControls: []string{ControlBlock}} }
	return []Template{
		{TemplateMFAForAdmins, "Require MFA of the sixteen administrator roles on every sign-in (F-05, G-06). " + templateEmergencyAccessGuide,
			Policy{DisplayName: "Require multifactor authentication for admins", State: StateReportOnly,
				Conditions:    Conditions{Users: &UsersCondition{IncludeRoles: append([]string(nil), AdminRoles...)}, Applications: allApps},
				GrantControls: mfaGrant()}},
		{TemplateBlockLegacyAuth, "Block clients that cannot do MFA: Exchange ActiveSync and other legacy protocols (F-07, F-35, G-07). " + templateEmergencyAccessGuide,
			Policy{DisplayName: "Block legacy authentication", State: StateReportOnly,
				Conditions: Conditions{Users: allUsers, Applications: allApps,
					ClientAppTypes: []string{ClientExchangeActiveSync, ClientOther}},
				GrantControls: block()}},
		{TemplateMFAForAllUsers, "Require MFA of every user for every application (G-06). " + templateEmergencyAccessGuide,
			Policy{DisplayName: "Require multifactor authentication for all users", State: StateReportOnly,
				Conditions: Conditions{Users: allUsers, Applications: allApps}, GrantControls: mfaGrant()}},
		{TemplateMFAForAdminResource, "Require MFA of every user for Sigil's admin API and portal (F-08, G-15, G-16).",
			Policy{DisplayName: "Require multifactor authentication for the admin resource", State: StateReportOnly,
				Conditions:    Conditions{Users: allUsers, Applications: &ApplicationsCondition{IncludeApplications: []string{AdminPortals}}},
				GrantControls: mfaGrant()}},
		{TemplateBlockDeviceCodeFlow, "Block the device code flow, a common phishing vector (G-17). " + templateEmergencyAccessGuide,
			Policy{DisplayName: "Block device code flow", State: StateReportOnly,
				Conditions: Conditions{Users: allUsers, Applications: allApps,
					AuthenticationFlows: &AuthenticationFlows{TransferMethods: FlowDeviceCode}},
				GrantControls: block()}},
	}
}
