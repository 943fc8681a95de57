// Package lockout is Sigil's smart lockout (F-30): it decides whether a
// password attempt may be checked at all, and counts the failures that lock
// an account or throttle a source address.
//
// # Counters
//
// Each user has two counters, one for familiar networks and one for
// unfamiliar ones. A network is the source address's /24 (IPv4) or /64
// (IPv6); it is familiar to a user who signed in successfully from it within
// Policy.FamiliarFor. An attacker guessing from elsewhere therefore fills
// only the unfamiliar counter, and the user keeps signing in from home or
// the office while the attacker is locked out.
//
// After Policy.Threshold failures (tenant setting, default 10) a counter
// locks for Policy.Duration (tenant setting, default 60 s); every further
// lockout of the same counter doubles the time, up to Policy.MaxDuration.
// A counter left alone for Policy.Forget starts again from nothing, and a
// successful sign-in resets the counter it was counted under.
//
// Each source address (the address itself; for IPv6 its /64) has a counter
// too, fed by every failed password from it whatever the account, known or
// not: password spray — one password tried across many accounts — is
// throttled after Policy.AddressThreshold failures. The throttle does not
// apply to users for whom the address is familiar.
//
// Counters live in the database (storage.LockoutStore), updated atomically,
// so every replica enforces the same lockout. Time comes from Service.Now.
//
// # What callers must do
//
// The sign-in page must answer a refused attempt exactly like a wrong
// password (same page, same message, same minimum time), must not check the
// password of a locked account (so a lockout cannot be waited out by an
// attacker who keeps guessing) and must report every outcome: Failed for a
// wrong password or an unknown account, Succeeded for a verified one.
//
// It must not render pages, read passwords or log addresses together with
// what was typed; it knows accounts only by ID.
package lockout
