package policy

import (
	"github.com/sigil-idp/sigil/server/mfa"
)

// SecurityDefaultsID names the security defaults in Decision.BlockedBy and
// in the sign-in log.
const SecurityDefaultsID = "securityDefaults"

// RoleGlobalAdministrator and RoleDirectorySynchronizationAccounts are the
// role template IDs the defaults and the guardrail single out.
const (
	RoleGlobalAdministrator              = "62e90394-69f5-4237-9190-012177145e10"
	RoleDirectorySynchronizationAccounts = "d29b2b05-8046-44ba-8758-1e26182fcf32"
)

// AdminRoles are the sixteen roles that do MFA on every sign-in under
// security defaults (F-05), by role template ID.
var AdminRoles = []string{
	RoleGlobalAdministrator,
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", // Application Administrator
	"c4e39bd9-1100-46d3-8c65-fb160da0071f", // Authentication Administrator
	"b0f54661-2d74-4c50-afa3-1ec803f12efe", // Billing Administrator
	"158c047a-c907-4556-b7ef-446551a6b5f7", // Cloud Application Administrator
	"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", // Conditional Access Administrator
	"29232cdf-9323-42fd-ade2-1d097af3e4de", // Exchange Administrator
	"729827e3-9c14-49f7-bb1b-9608f156bbb8", // Helpdesk Administrator
	"966707d0-3269-4727-9be2-8c3a10f19b9d", // Password Administrator
	"7be44c8a-adaf-4e2a-84d6-ab2649e08a13", // Privileged Authentication Administrator
	"e8611ab8-c189-46e8-94e1-60213ab1f814", // Privileged Role Administrator
	"194ae4cb-b126-40b2-bd5b-6091b380977d", // Security Administrator
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", // SharePoint Administrator
	"fe930be7-5e62-47db-91af-98c3a49a38b1", // User Administrator
	"0526716b-113d-4c15-b2c8-68e3c22b9f80", // Authentication Policy Administrator
	"45d8d3c5-c802-45c6-b32a-1d70b5e1e86e", // Identity Governance Administrator
}

// IsLegacyClient reports whether a client app type is legacy authentication
// (F-07, F-35).
func IsLegacyClient(clientAppType string) bool {
	switch clientAppType {
	case ClientExchangeActiveSync, ClientEASSupported, ClientOther:
		return true
	}
	return false
}

// securityDefaults applies the defaults of seed 003 (F-04..F-10) to d and
// returns their result.
func (e *evaluation) securityDefaults(d *Decision) Result {
	r := Result{PolicyID: SecurityDefaultsID, DisplayName: "Security defaults", State: StateEnabled,
		EnforcedGrantControls: []string{}, EnforcedSessionControls: []string{}}
	if e.s.Workload {
		r.Outcome, r.Reasons = OutcomeNotApplied, []string{"workload identities are not covered by security defaults"}
		return r
	}
	if _, sync := e.roles[RoleDirectorySynchronizationAccounts]; sync {
		r.Outcome, r.Reasons = OutcomeNotApplied, []string{"Directory Synchronization Accounts are excluded (F-09)"}
		return r
	}
	if IsLegacyClient(e.s.ClientAppType) {
		r.Outcome, r.Reasons, r.EnforcedGrantControls = OutcomeFailure, []string{"legacy authentication is blocked (F-07)"}, []string{ControlBlock}
		if !d.Block {
			d.Block, d.BlockedBy = true, SecurityDefaultsID
			d.Reason = "Your organization's security defaults block legacy authentication. Use an application that supports modern authentication."
		}
		return r
	}
	need := mfa.LevelNone
	if !e.s.HasMethods {
		d.RequireRegistration = true
		need = mfa.LevelMFA
		r.Reasons = append(r.Reasons, "every user registers MFA; this user has no method yet (F-04)")
	}
	if role := e.adminRole(); role != "" {
		need = mfa.LevelMFA
		r.Reasons = append(r.Reasons, "holds administrator role "+role+": MFA on every sign-in (F-05)")
	}
	if e.s.AdminResource {
		need = mfa.LevelMFA
		r.Reasons = append(r.Reasons, "the admin resource needs MFA for every user (F-08)")
	}
	if e.s.UnfamiliarSignIn || riskAtLeast(e.risk, RiskMedium) {
		need = mfa.LevelMFA
		r.Reasons = append(r.Reasons, "unfamiliar or risky sign-in: MFA when necessary (F-06)")
	}
	if need == mfa.LevelNone {
		r.Outcome = OutcomeSuccess
		r.Reasons = append(r.Reasons, "registered for MFA; no MFA needed for this sign-in (F-06)")
		return r
	}
	r.EnforcedGrantControls = []string{ControlMFA}
	d.RequireLevel = max(d.RequireLevel, need)
	r.Outcome = pick(e.s.Level >= need && e.s.HasMethods, OutcomeSuccess, OutcomeFailure)
	return r
}

func (e *evaluation) adminRole() string {
	for _, id := range AdminRoles {
		if _, ok := e.roles[id]; ok {
			return id
		}
	}
	return ""
}

var riskRank = map[string]int{RiskNone: 0, RiskLow: 1, RiskMedium: 2, RiskHigh: 3}

func riskAtLeast(level, floor string) bool {
	return riskRank[level] >= riskRank[floor]
}
