// Package mfa owns Sigil's second factors: the Method interface and its
// Registry, the TOTP and recovery-code methods, the authentication strengths
// and their acr values, the MFA policy and the plan of the sign-in's MFA
// phase, and the throttle of second-factor attempts.
//
// # The framework
//
// A Method (TOTP, recovery codes, and — plugged in by their own packages —
// passkeys and number-matching approvers) describes itself with Info: its
// kind, its Level (the strength it gives on top of an earlier factor), the
// RFC 8176 amr values it adds and a Rank (the default choice is the user's
// highest-ranked usable method: system-preferred MFA, F-23). It renders its
// own challenge page and verifies the posted answer, keeping its replay state
// in storage. A Registrar is a Method the user can register themselves
// ("register security info", ActionRegisterSecurityInfo).
//
// The caller — server/authflow in the sign-in, server/account on the
// security-info pages — owns the rest: routing, CSRF (it hands the method a
// Form whose hidden Fields the page posts back), the throttle (RetryAfter
// over storage.MFAState, shared by every replica), amr/acr and what comes
// next. To plug in a method: implement Method (and Registrar), give it a
// template of its own, and add it to mfa.NewRegistry in server/mfa_wiring.go.
// Challenge.FlowID binds any server-side challenge state (a WebAuthn session,
// an approval request) to the sign-in; the page's POST goes to the same
// /login/mfa route with method=<kind>.
//
// # Strengths and acr values
//
// One table, weakest first; a higher level satisfies every lower one:
//
//	Level                      acr value                                 reached by (amr)
//	LevelSingleFactor          urn:sigil:acr:sfa                         password (pwd)
//	LevelMFA                   urn:sigil:acr:mfa                         password + TOTP or recovery code (pwd otp mfa),
//	                                                                     password + number-matching approval
//	LevelPasswordlessMFA       urn:sigil:acr:passwordless-mfa            a multi-factor method without a password
//	LevelPhishingResistantMFA  urn:sigil:acr:phishing-resistant-mfa      a passkey, as second factor or alone (hwk/swk user mfa)
//
// These are Entra's built-in authentication strengths (MFA, passwordless
// MFA, phishing-resistant MFA, F-36). The reached acr is stored in the flow
// and the SSO session and issued in ID and access tokens.
//
// # Requests and policy
//
// Requested reads acr_values (voluntary: the weakest known value requested
// is the requirement) and the claims parameter's acr (essential: a sign-in
// that cannot reach it fails with unmet_authentication_requirements).
// BaselinePolicy is the MFA policy until security defaults and Conditional
// Access (issue 5) replace it through authflow.Handler.MFAPolicy: the tenant
// setting "require MFA for all users" (F-04, no grace period) and the admin's
// per-user re-registration flag send users without a method to register one;
// changing security info requires MFA once a method exists. NextStep combines
// both into the MFA phase's step: continue, challenge, register or fail.
//
// # Secrets
//
// TOTP secrets (160 bits) are sealed with keys.Sealer (AES-256-GCM under
// HKDF(master, SealPurpose), bound to tenant and method ID). A code is
// accepted for the current time step ±1, compared in constant time, and its
// step is spent with storage's AdvanceTOTPStep, a conditional UPDATE: a code,
// or an older one, is never accepted twice, on any replica. Recovery codes are
// 16 symbols of a 32-letter alphabet (80 bits), stored as SHA-256 digests,
// compared in constant time and spent with a conditional UPDATE.
//
// # Boundaries
//
// mfa does not decide the sign-in's order of steps or speak OAuth, and never
// logs codes, secrets or recovery codes. Policy functions, Requested and
// NextStep are pure.
package mfa
