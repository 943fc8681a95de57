// Package admin is Sigil's Graph-shaped admin API under /v1.0: users, groups
// (members and owners with $ref, transitiveMembers, memberOf,
// checkMemberGroups), role definitions and role assignments, applications,
// the authorization policy (default user permissions) and directory audits,
// with Graph's error bodies, OData
// query options ($top, $select, $filter with eq / startswith / in / and,
// $count with ConsistencyLevel: eventual), @odata.nextLink paging with a
// signed skip token, @odata.context and ETags with If-Match.
//
// Callers present a Sigil access token whose audience is the tenant's
// built-in admin resource, storage.AdminResourceID (Microsoft Graph's
// well-known application ID 00000003-0000-0000-c000-000000000000): a client
// asks for it with the `audience` parameter. A delegated token (a signed-in
// user) acts with the user's directory roles, read at request time through
// directory.Roles.EffectiveRoleIDs, and the tenant's default user
// permissions (storage.AuthorizationPolicy) for members and guests. An
// app-only token acts with the application permissions granted to the app
// (storage.AppPermissionGrant), also read at request time.
//
// Who may do what lives in one table (permissions.go): each operation names
// the resource actions of the built-in role catalogue that allow it, the
// application permissions that allow it, and the default user permission
// that allows it. The directory service re-checks its own rules
// (role-assignable groups, C-11..C-15) with the caller's directory.Actor.
//
// It must not hold directory rules of its own beyond that table, write
// storage directly (every change goes through server/directory, which writes
// the audit record), or answer a 500 to bad input.
package admin
