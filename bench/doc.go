// Package bench measures Sigil's hot paths end to end, as `go test -bench`
// benchmarks: client_credentials tokens, a full browser sign-in (authorization
// code with PKCE, argon2id password, token exchange and one refresh), offline
// JWT validation against the published JWKS, the JWKS endpoint itself, and
// token introspection. Each runs on SQLite and on Postgres with about sixteen
// concurrent clients, and fails on any error answer. docs/benchmarks.md holds
// the figures and how to reproduce them.
//
// Every benchmark drives the real router, middleware, pages and store through
// server/servertest over TLS, the way a relying party or a resource server
// would. The package owns no production code and must not change the server
// to make a figure look better: the clients, the server and the database share
// the machine, so the figures are lower bounds of what a dedicated server does.
package bench
