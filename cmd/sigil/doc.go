// Command sigil runs the Sigil identity provider and administers its directory:
// serve, demo, migrate, keys, tenant, user, app and version. Run `sigil help`.
//
// It owns the command line only: parsing flags into a config.Config, opening the
// store and key manager, calling the directory service, and printing results
// (text for people, stable JSON for scripts). It must hold no business rules —
// validation of tenants, users and applications belongs to server/directory —
// and must never print a secret except the one time it is generated.
package main
