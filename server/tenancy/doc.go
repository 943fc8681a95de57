// Package tenancy resolves the `{tenant}` URL segment (a tenant ID or one of its
// verified domains) to a tenant and carries the resolved tenant in the request
// context, so every later read is scoped to it.
//
// It owns only resolution and the context key; it must not decide what a caller
// may do in the tenant.
package tenancy
