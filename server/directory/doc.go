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
// Every problem with an input is reported at once in a *ValidationError; a
// duplicate is a *ConflictError; a missing object is ErrTenantNotFound,
// ErrUserNotFound or ErrApplicationNotFound. Lookups of tenant-owned objects
// always take the tenant ID, and an object of another tenant is reported as
// not found.
//
// It must not speak HTTP, render anything, log secrets or passwords, or keep
// state of its own: every fact lives in storage.Storage.
package directory
