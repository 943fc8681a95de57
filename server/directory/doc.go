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
// Every problem with an input is reported at once in a *ValidationError; a
// duplicate is a *ConflictError; a missing object is ErrTenantNotFound,
// ErrUserNotFound or ErrApplicationNotFound. Lookups of tenant-owned objects
// always take the tenant ID, and an object of another tenant is reported as
// not found.
//
// It must not speak HTTP, render anything, log secrets or passwords, or keep
// state of its own: every fact lives in storage.Storage.
package directory
