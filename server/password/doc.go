// Package password decides whether a new password may be used: Sigil's
// password protection (F-31, F-32), modelled on Entra's.
//
// A password must be 8 to 256 characters long (server/credential) and must
// not be guessable from lists of common passwords. There are no composition
// rules and no expiry (F-32). The check, a pure function (Check), works like
// Entra password protection:
//
//  1. Normalise: lower-case, then fold the common substitutions (0→o, 1/!/|/i→l,
//     3→e, 4/@→a, 5/$→s, 7/+→t), the same way for the password and every term.
//  2. Reject a password within edit distance one of a banned term (global
//     list, the tenant's custom list, or the user's own names).
//  3. Score what is left: every banned term found inside the password counts
//     one point, every other character one point; fewer than five points and
//     the password is refused ("This password has been used too many times").
//
// The global list (banned.txt, embedded) ships with Sigil; its provenance is
// written at its top. A tenant's custom list holds up to 1,000 terms of 4 to
// 16 characters (ValidateTerms); it lives in storage (storage.LockoutStore).
//
// The package must not log, store or echo a password: its errors name the
// rule broken, never the password or the banned term it matched.
package password
