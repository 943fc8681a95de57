// Package servertest runs a complete Sigil — the real router, middleware, pages,
// store and keys — on an httptest TLS server, seeded through the directory
// service, and drives it like a browser: a cookie-jar client that reads the
// real HTML forms and posts them. End-to-end tests and benchmarks share it.
//
// It is for tests only; nothing in the server imports it.
package servertest
