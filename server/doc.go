// Package server is Sigil's one wiring site: New builds every handler as a struct
// literal over the storage, the key manager and the derived secrets, and mounts
// them on one mux behind the HTTP middleware. A reviewer sees every endpoint's
// dependencies on one screen.
//
// It must not hold protocol or sign-in logic; that lives in server/op and
// server/authflow.
package server
