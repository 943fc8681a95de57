package policy

import (
	"net/netip"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
)

// Signals is what is known about one sign-in, or a What-If hypothesis.
type Signals struct {
	// Who: a user, or a workload identity (client credentials) when
	// Workload is set.
	UserID string
	Guest  bool
	// GroupIDs are the user's transitive groups; RoleIDs the role template
	// IDs of the user's effective directory roles (direct, through a
	// role-assignable group, or an active PIM assignment).
	GroupIDs []string
	RoleIDs  []string
	Workload bool

	// What: the application signing in (its client ID), whether the token is
	// for Sigil's admin resource, and the user action ("" for an application
	// sign-in; mfa.ActionRegisterSecurityInfo on the security-info pages).
	AppID         string
	AdminResource bool
	UserAction    string

	// How and from where.
	ClientAppType string // ClientBrowser, ClientMobileAndDesktop, ClientOther, ...
	IP            netip.Addr
	Country       string // ISO 3166-1 alpha-2, upper case; "" when unknown
	Platform      string // PlatformFromUserAgent
	AuthFlow      string // FlowDeviceCode or ""
	SignInRisk    string // RiskNone, RiskLow, RiskMedium, RiskHigh
	UserRisk      string
	// UnfamiliarSignIn: a sign-in from a network or device this user has not
	// used (security defaults' "when necessary", F-06).
	UnfamiliarSignIn bool

	// What the sign-in has achieved so far, so that results are success or
	// failure.
	Level           mfa.Level
	HasMethods      bool     // the user has a usable MFA method
	AcceptedTerms   []string // terms-of-use IDs whose current version the user accepted
	PasswordChanged bool     // the password was changed during this sign-in
	// FreshAuth: the user authenticated during this sign-in rather than
	// through a single sign-on session; AuthTime is when they last did.
	FreshAuth bool
	AuthTime  time.Time
	Now       time.Time
}

// Input is everything Evaluate reads.
type Input struct {
	SecurityDefaults bool
	Policies         []Policy
	Locations        []NamedLocation
	Signals          Signals
}

// Decision is what the sign-in must do. Report-only policies never change it.
type Decision struct {
	// Block refuses the sign-in; BlockedBy names the policy (or
	// "securityDefaults") and Reason says why in words for the error page.
	Block     bool
	BlockedBy string
	Reason    string

	// What the sign-in must still do, merged from every applying enforced
	// policy (for an OR policy its first unsatisfied control in the order
	// authentication, terms of use, password change).
	RequireRegistration bool
	RequireLevel        mfa.Level
	TermsOfUse          []string
	PasswordChange      bool
	// Reauthenticate: a sign-in frequency requires the user to
	// authenticate again instead of using the single sign-on session.
	Reauthenticate bool
	// SignInFrequency is the shortest applying frequency (0: none;
	// EveryTime: every sign-in).
	SignInFrequency time.Duration
	// PersistentBrowser is "never", "always" or "" (not set).
	PersistentBrowser string

	// SecurityDefaults is the security defaults' result, nil when they are
	// off; Results has one entry per policy, in input order.
	SecurityDefaults *Result
	Results          []Result
}

// EveryTime is Decision.SignInFrequency for "require reauthentication every
// time" (G-11).
const EveryTime = time.Duration(-1)

// Outcomes of a policy for one sign-in (Graph's appliedConditionalAccessPolicy
// result and conditionalAccessStatus values).
const (
	OutcomeSuccess               = "success"
	OutcomeFailure               = "failure"
	OutcomeNotApplied            = "notApplied"
	OutcomeNotEnabled            = "notEnabled"
	OutcomeReportOnlySuccess     = "reportOnlySuccess"
	OutcomeReportOnlyFailure     = "reportOnlyFailure"
	OutcomeReportOnlyInterrupted = "reportOnlyInterrupted"
	OutcomeReportOnlyNotApplied  = "reportOnlyNotApplied"
)

// Result is one policy's evaluation.
type Result struct {
	PolicyID    string `json:"id"`
	DisplayName string `json:"displayName"`
	State       string `json:"state"`
	Outcome     string `json:"result"`
	// Reasons records every condition evaluated and the controls' state.
	Reasons                 []string `json:"reasons"`
	EnforcedGrantControls   []string `json:"enforcedGrantControls"`
	EnforcedSessionControls []string `json:"enforcedSessionControls"`
}

// Status is the sign-in's overall Conditional Access status (Graph
// conditionalAccessStatus): failure when any enforced policy failed, success
// when one applied, notApplied otherwise.
func (d Decision) Status() string {
	status := OutcomeNotApplied
	results := d.Results
	if d.SecurityDefaults != nil {
		results = append([]Result{*d.SecurityDefaults}, results...)
	}
	for _, r := range results {
		switch r.Outcome {
		case OutcomeFailure:
			return OutcomeFailure
		case OutcomeSuccess:
			status = OutcomeSuccess
		}
	}
	return status
}

// Pending reports whether the sign-in must still do something before it may
// finish (other than being blocked).
func (d Decision) Pending(s Signals) bool {
	return d.RequireRegistration && !s.HasMethods || d.RequireLevel > s.Level || len(d.TermsOfUse) > 0 ||
		d.PasswordChange || d.Reauthenticate
}
