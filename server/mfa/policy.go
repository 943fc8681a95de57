package mfa

// ActionRegisterSecurityInfo is the user action "register security info":
// adding or removing an authentication method. Conditional Access policies
// target it like Entra's user action of the same name.
const ActionRegisterSecurityInfo = "urn:user:registersecurityinfo"

// PolicyInput is what the MFA policy knows about a sign-in.
type PolicyInput struct {
	// TenantRequiresMFA is the tenant setting "require MFA for all users".
	TenantRequiresMFA bool
	// RegistrationRequired is the admin's per-user "re-register" flag.
	RegistrationRequired bool
	// HasMethods: the user has a confirmed method.
	HasMethods bool
	// UserAction is the action being performed ("" for an application
	// sign-in, ActionRegisterSecurityInfo on the security-info pages).
	UserAction string
}

// PolicyDecision is what the policy demands of the sign-in.
type PolicyDecision struct {
	// RequireRegistration sends the user to register a method before going
	// on (no grace period, F-04).
	RequireRegistration bool
	// Require is the strength the sign-in must reach.
	Require Level
}

// Policy decides the MFA demands of a sign-in. The security-defaults and
// Conditional Access engine (issue 5) replaces BaselinePolicy with its own.
type Policy func(PolicyInput) PolicyDecision

// BaselinePolicy is Sigil's MFA policy until security defaults and
// Conditional Access exist: a tenant that requires MFA requires it of every
// user and sends users without a method to register one (F-04); an admin's
// re-registration flag does the same for one user; changing security info
// needs MFA once the user has a method to prove it with.
func BaselinePolicy(in PolicyInput) PolicyDecision {
	var d PolicyDecision
	if in.TenantRequiresMFA {
		d.Require = LevelMFA
		d.RequireRegistration = !in.HasMethods
	}
	if in.RegistrationRequired {
		d.Require, d.RequireRegistration = LevelMFA, true
	}
	if in.UserAction == ActionRegisterSecurityInfo && in.HasMethods {
		d.Require = max(d.Require, LevelMFA)
	}
	return d
}

// Step is what the MFA phase of the sign-in does next.
type Step int

// Steps of the MFA phase.
const (
	StepContinue  Step = iota // the authentication is strong enough
	StepChallenge             // ask for a registered method of at least Plan.Level
	StepRegister              // register a method of at least Plan.Level first
	StepFail                  // the requirement cannot be met: Plan.FailCode
)

// Plan is the MFA phase's decision.
type Plan struct {
	Step     Step
	Level    Level
	FailCode string // "unmet_authentication_requirements" or "access_denied"
}

// Reach is what the user can reach: with the methods they have, and with
// those they could register.
type Reach struct {
	Current     Level // the flow's authentication so far
	Usable      Level // best of the registered, usable methods
	Registrable Level // best of the methods they could register
}

// NextStep combines the policy's demands and the client's acr request into
// the MFA phase's next step. A voluntary acr the user cannot reach is served
// as well as possible; an essential one fails with
// unmet_authentication_requirements (OIDC Core §5.5.1.1, errata set 2 §3.1.2.6);
// a policy that cannot be met fails with access_denied.
func NextStep(p PolicyDecision, req Requirement, r Reach) Plan {
	target := max(p.Require, req.Level)
	if req.Unknown {
		return Plan{Step: StepFail, FailCode: ErrUnmetAuthenticationRequirements}
	}
	if p.RequireRegistration {
		return register(max(target, LevelMFA), req, r)
	}
	if r.Current >= target {
		return Plan{Step: StepContinue, Level: r.Current}
	}
	if r.Usable >= target {
		return Plan{Step: StepChallenge, Level: target}
	}
	if r.Usable == LevelNone {
		return register(target, req, r)
	}
	if req.Essential && req.Level > r.Usable || p.Require > r.Usable {
		return fail(req, p, r)
	}
	return Plan{Step: StepChallenge, Level: r.Usable}
}

func register(target Level, req Requirement, r Reach) Plan {
	if r.Registrable >= target {
		return Plan{Step: StepRegister, Level: target}
	}
	if r.Registrable >= LevelMFA && !req.Essential {
		return Plan{Step: StepRegister, Level: r.Registrable}
	}
	return fail(req, PolicyDecision{Require: target}, r)
}

func fail(req Requirement, p PolicyDecision, r Reach) Plan {
	if req.Essential && req.Level > max(r.Usable, r.Registrable) {
		return Plan{Step: StepFail, FailCode: ErrUnmetAuthenticationRequirements}
	}
	return Plan{Step: StepFail, FailCode: "access_denied"}
}

// ErrUnmetAuthenticationRequirements is the OIDC error for an essential acr
// that cannot be met.
const ErrUnmetAuthenticationRequirements = "unmet_authentication_requirements"
