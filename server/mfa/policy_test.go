package mfa

import (
	"slices"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func TestRequested(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		acrValues string
		claims    string
		want      Requirement
	}{
		{"no acr requested", "", "", Requirement{}},
		{"acr_values asks for MFA", ACRMFA, "", Requirement{Level: LevelMFA}},
		{"acr_values: the weakest known value satisfies", ACRPhishingResistantMFA + " " + ACRMFA, "", Requirement{Level: LevelMFA}},
		{"unknown acr_values are ignored", "c1 urn:other", "", Requirement{}},
		{"essential acr in the claims parameter", "", `{"id_token":{"acr":{"essential":true,"values":["` + ACRPhishingResistantMFA + `"]}}}`,
			Requirement{Level: LevelPhishingResistantMFA, Essential: true}},
		{"essential single value", "", `{"id_token":{"acr":{"essential":true,"value":"` + ACRMFA + `"}}}`, Requirement{Level: LevelMFA, Essential: true}},
		{"essential acr with only unknown values cannot be met", "", `{"id_token":{"acr":{"essential":true,"values":["c9"]}}}`,
			Requirement{Essential: true, Unknown: true}},
		{"voluntary claim request is voluntary", "", `{"id_token":{"acr":{"values":["` + ACRMFA + `"]}}}`, Requirement{Level: LevelMFA}},
		{"acr requested for userinfo counts too", "", `{"userinfo":{"acr":{"essential":true,"value":"` + ACRMFA + `"}}}`, Requirement{Level: LevelMFA, Essential: true}},
		{"malformed claims are ignored", ACRMFA, `{"id_token":`, Requirement{Level: LevelMFA}},
		{"claims without acr leave acr_values in force", ACRMFA, `{"id_token":{"email":null}}`, Requirement{Level: LevelMFA}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Requested(tt.acrValues, tt.claims); got != tt.want {
				t.Errorf("Requested(%q, %q) = %+v, want %+v", tt.acrValues, tt.claims, got, tt.want)
			}
		})
	}
}

func TestBaselinePolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   PolicyInput
		want PolicyDecision
	}{
		{"nothing required by default", PolicyInput{}, PolicyDecision{}},
		{"tenant requires MFA: a user without methods registers first (F-04)", PolicyInput{TenantRequiresMFA: true},
			PolicyDecision{Require: LevelMFA, RequireRegistration: true}},
		{"tenant requires MFA: a registered user does MFA", PolicyInput{TenantRequiresMFA: true, HasMethods: true},
			PolicyDecision{Require: LevelMFA}},
		{"admin's re-registration flag sends the user to register", PolicyInput{RegistrationRequired: true, HasMethods: true},
			PolicyDecision{Require: LevelMFA, RequireRegistration: true}},
		{"changing security info needs MFA once a method exists", PolicyInput{UserAction: ActionRegisterSecurityInfo, HasMethods: true},
			PolicyDecision{Require: LevelMFA}},
		{"the first method can be added after the password alone", PolicyInput{UserAction: ActionRegisterSecurityInfo},
			PolicyDecision{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := BaselinePolicy(tt.in); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNextStep(t *testing.T) {
	t.Parallel()
	pwdOnly := Reach{Current: LevelSingleFactor, Usable: LevelMFA, Registrable: LevelMFA}
	noMethods := Reach{Current: LevelSingleFactor, Registrable: LevelMFA}
	tests := []struct {
		name   string
		policy PolicyDecision
		req    Requirement
		reach  Reach
		want   Plan
	}{
		{"a password suffices when nothing asks for more", PolicyDecision{}, Requirement{}, pwdOnly, Plan{Step: StepContinue, Level: LevelSingleFactor}},
		{"policy MFA challenges a registered user", PolicyDecision{Require: LevelMFA}, Requirement{}, pwdOnly, Plan{Step: StepChallenge, Level: LevelMFA}},
		{"an MFA session satisfies policy MFA", PolicyDecision{Require: LevelMFA}, Requirement{}, Reach{Current: LevelMFA, Usable: LevelMFA}, Plan{Step: StepContinue, Level: LevelMFA}},
		{"registration required sends to registration even after MFA", PolicyDecision{Require: LevelMFA, RequireRegistration: true}, Requirement{}, Reach{Current: LevelMFA, Usable: LevelMFA, Registrable: LevelMFA}, Plan{Step: StepRegister, Level: LevelMFA}},
		{"voluntary acr steps up a password session", PolicyDecision{}, Requirement{Level: LevelMFA}, pwdOnly, Plan{Step: StepChallenge, Level: LevelMFA}},
		{"acr for a user without methods registers one", PolicyDecision{}, Requirement{Level: LevelMFA}, noMethods, Plan{Step: StepRegister, Level: LevelMFA}},
		{"voluntary phishing-resistant acr beyond reach gets the best MFA", PolicyDecision{}, Requirement{Level: LevelPhishingResistantMFA}, pwdOnly, Plan{Step: StepChallenge, Level: LevelMFA}},
		{"essential phishing-resistant acr beyond reach fails", PolicyDecision{}, Requirement{Level: LevelPhishingResistantMFA, Essential: true}, pwdOnly, Plan{Step: StepFail, FailCode: ErrUnmetAuthenticationRequirements}},
		{"essential unknown acr fails", PolicyDecision{}, Requirement{Essential: true, Unknown: true}, pwdOnly, Plan{Step: StepFail, FailCode: ErrUnmetAuthenticationRequirements}},
		{"essential MFA met by the session continues", PolicyDecision{}, Requirement{Level: LevelMFA, Essential: true}, Reach{Current: LevelMFA, Usable: LevelMFA}, Plan{Step: StepContinue, Level: LevelMFA}},
		{"policy MFA without any registrable method is denied", PolicyDecision{Require: LevelMFA, RequireRegistration: true}, Requirement{}, Reach{Current: LevelSingleFactor}, Plan{Step: StepFail, FailCode: "access_denied"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := NextStep(tt.policy, tt.req, tt.reach); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	at := func(failures int, ago time.Duration) *storage.MFAState {
		last := now.Add(-ago)
		return &storage.MFAState{Failures: failures, LastFailureAt: &last}
	}
	tests := []struct {
		name string
		st   *storage.MFAState
		want time.Duration
	}{
		{"no state, no wait", nil, 0},
		{"four failures are free", at(FreeFailures-1, 0), 0},
		{"the fifth failure starts the first delay", at(FreeFailures, 0), FirstDelay},
		{"the delay runs from the last failure", at(FreeFailures, 10*time.Second), FirstDelay - 10*time.Second},
		{"each further failure doubles it", at(FreeFailures+2, 0), 4 * FirstDelay},
		{"the delay is capped", at(FreeFailures+30, 0), MaxDelay},
		{"an expired delay lets the user try", at(FreeFailures, time.Hour), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := RetryAfter(tt.st, now); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAMRAddsFactorsAndMFAOnce(t *testing.T) {
	t.Parallel()
	got := AMR([]string{"pwd"}, []string{"otp"}, LevelMFA)
	again := AMR(got, []string{"otp"}, LevelMFA)
	if want := []string{"pwd", "otp", "mfa"}; !slices.Equal(got, want) || !slices.Equal(again, want) {
		t.Errorf("got %q then %q, want %q", got, again, want)
	}
}

func TestRecoveryCodesAreNoRegistration(t *testing.T) {
	t.Parallel()
	codesOnly := Registered{RecoveryCodes: 10, Methods: []storage.AuthMethod{{Kind: KindTOTP, Confirmed: false}}}
	if codesOnly.HasAny() {
		t.Error("recovery codes and an unconfirmed app count as a registered method")
	}
	if !(Registered{Methods: []storage.AuthMethod{{Kind: KindTOTP, Confirmed: true}}}).HasAny() {
		t.Error("a confirmed app does not count as a registered method")
	}
}
