// Package policy decides what a sign-in must do under the tenant's security
// defaults or Conditional Access policies. It is pure: Evaluate is a function
// from (tenant setting, policies, named locations, sign-in signals) to a
// Decision with a full trace, and the sign-in flow, the token endpoint,
// What-If and the sign-in log all use that one function (ARCHITECTURE.md
// "The sign-in flow").
//
// # Policies
//
// A Policy has the shape of Microsoft Graph's conditionalAccessPolicy (G-05):
// conditions on users, groups, directory roles and guests (G-03), target
// resources — applications, Sigil's admin resource (application ID
// 00000003-0000-0000-c000-000000000000, also matched by
// "MicrosoftAdminPortals", G-15, G-16) and the user action "register security
// info" (G-14) —, client app types (browser, mobile and desktop, legacy
// Exchange ActiveSync and "other"), named locations (IP ranges and countries,
// "AllTrusted", G-13), device platforms (from the user agent), sign-in and user
// risk levels (G-12), authentication flows (device code flow, G-17) and
// workload identities (service principals, G-26); grant controls — block
// (G-07), MFA (G-06), an authentication strength (G-09), terms of use (G-25)
// and password change (G-10), joined by AND or OR —; and session controls —
// sign-in frequency, including every time (G-11), and persistent browser
// session.
//
// # Evaluation
//
// A policy applies when every condition it sets matches the sign-in; within a
// condition an exclusion always beats an inclusion. Every applying policy
// counts and the most restrictive result wins: a block beats everything, the
// strongest required authentication wins, terms of use add up, and the
// shortest sign-in frequency and "never persistent" win. A report-only policy
// (state enabledForReportingButNotEnforced) is evaluated and traced like the
// others but never changes the Decision. Each policy's Result is one of
// Graph's sign-in log values:
//
//	success                controls applied and satisfied
//	failure                blocked, or a control was not satisfied
//	notApplied             a condition did not match
//	notEnabled             the policy is disabled
//	reportOnlySuccess      report-only: the controls would have been satisfied
//	reportOnlyFailure      report-only: the sign-in would have been blocked
//	reportOnlyInterrupted  report-only: the user would have been asked for MFA,
//	                       terms of use or a password change
//	reportOnlyNotApplied   report-only: a condition did not match
//
// Result.Reasons records every condition evaluated, so an administrator can
// read why a policy did or did not apply (G-22, G-29).
//
// # Security defaults
//
// With security defaults on (F-14) Conditional Access policies cannot be
// enabled (F-16, F-17) and Evaluate applies the defaults instead, as seed 003
// describes:
//
//   - every user without a method registers one at this sign-in, with no grace
//     period (F-04);
//   - the sixteen administrator roles of F-05 — held directly, through a
//     role-assignable group or by an active PIM assignment (the caller passes
//     effective roles) — need MFA on every sign-in;
//   - every user needs MFA for the admin resource (F-08, F-45);
//   - other users need MFA "when necessary": an unfamiliar sign-in or a
//     sign-in risk of medium or above (F-06);
//   - legacy authentication (client app types exchangeActiveSync, easSupported
//     and other; the password grant and basic authentication) is blocked (F-07,
//     F-35);
//   - Directory Synchronization Accounts are excluded (F-09); guests are
//     treated like members (F-10); workload identities are not covered.
//
// # Guardrails and templates
//
// CheckLockout refuses an enabled policy that would block every Global
// Administrator unless at least one (an emergency-access account) is
// excluded; CheckCoexistence refuses enabling a policy while security
// defaults are on. Templates returns the recommended policies of the seeds
// (G-06, G-17, G-19) in report-only state.
//
// # Risk
//
// SignInRisk maps Sigil's own detections to a sign-in risk level (G-12,
// G-28):
//
//	detection                                        level
//	sign-in from a network the user has not used     low
//	  ... and from a country the user has not used   medium
//	too many failed MFA attempts (≥ 5)               medium
//	impossible travel (> 900 km/h between sign-ins)  high
//	password spray from the client's address         high
//
// The highest detection wins. User risk is set and dismissed by
// administrators (and raised by confirmed compromise).
package policy
