// Package directory is the service layer for tenants, users and applications:
// the rules a new or changed directory object must satisfy, and the storage
// calls that persist it. The CLI, the demo quick start and the admin API all
// go through it, so every entry point enforces the same rules.
//
// It owns input validation (DNS domains, user principal names on a verified
// domain of the tenant, redirect URIs, application credentials), the
// creation of a tenant's signing keys together with the tenant, password
// hashing for users (through server/credential) and the generation of client
// secrets, which are returned once and stored only as digests.
//
// Roles (roles*.go, pim.go, approles*.go) owns directory roles and app
// roles: the catalogue of built-in roles with Entra's template IDs, custom
// roles built from known resource actions, role assignments to users and
// role-assignable groups, PIM eligibility, activation, approval and expiry
// (against an injected clock; an activation is active while now is inside its
// window, with no background job), app roles, app role assignments to users,
// groups, Dataverse-style group teams and clients, and the "assignment
// required" check the sign-in flow calls. Its pure cores are
// EvaluateAppAccess and ActivationState. Who may change roles follows the
// caller's Actor (Privileged Role Administrator for directory roles and PIM,
// Application or Cloud Application Administrator for app roles; Global
// Administrator always); a refusal is a *RoleRequiredError.
//
// ClaimFacts (claimfacts.go) loads, at token time and in a constant number of
// queries, the facts behind a token's `groups`, `roles`, `wids` and optional
// claims, and builds them with the pure server/claims; SetClaimSettings
// (claimsettings.go) validates and stores an application's
// groupMembershipClaims and optional claims.
//
// Groups (groups*.go) and dynamic membership (dynamic*.go) are Service
// methods. Security and Microsoft 365 groups, Assigned or Dynamic User
// membership, users as owners (the creator first, B-30). Nesting rules are
// the pure checkNewMember: only security groups nest (B-02), Microsoft 365
// groups hold users only (B-03), nobody is added by hand to a dynamic group
// (B-31), no group joins a role-assignable group (C-16), and a cycle is
// refused after one recursive query (GroupContains, B-05). Claims and
// access checks use transitive membership (storage.GroupStore's
// TransitiveGroupsOfUser, one recursive query); memberOf rules use direct
// membership only (B-17). Role-assignable groups: isAssignableToRole only at
// creation (C-08, GroupChange has no such field and the store never writes
// it), Assigned only (C-12), at most 500 per tenant (C-10); the pure checks
// CheckCreateGroup, CheckManageGroup, CheckEditRule and CheckCredentialReset
// decide from the Actor alone (C-11, C-13, C-15, B-31, B-32, B-34) and
// CheckCredentialResetOf reads the facts for a user. A broken group rule is
// a *GroupRuleError naming the requirement.
//
// Dynamic rules are parsed by the rule package; setRule adds the checks that
// need the directory (sources exist, no memberOf chaining B-21, at most 500
// memberOf groups B-19). Evaluation writes only differences
// (membershipDiff) in batches: ReevaluateTenant pages through users once and
// applies every attribute rule to each, then recomputes memberOf groups
// from their sources; ReevaluateUser re-checks one user after an attribute
// change (B-08); ReevaluateSource re-checks only the memberOf groups naming a
// source whose direct members changed; PreviewRule is the dry run.
// SetMembershipRule converts an Assigned group by removing its members first
// (B-12). Evaluation runs synchronously inside the call that caused it.
//
// Every problem with an input is reported at once in a *ValidationError; a
// duplicate is a *ConflictError; a missing object is ErrTenantNotFound,
// ErrUserNotFound or ErrApplicationNotFound. Lookups of tenant-owned objects
// always take the tenant ID, and an object of another tenant is reported as
// not found.
//
// It must not speak HTTP, render anything, log secrets or passwords, or keep
// state of its own: every fact lives in storage.Storage.
package directory
