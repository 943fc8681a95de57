// Package credential hashes and checks the secrets Sigil keeps: user passwords
// (argon2id in PHC string format, F-33) and generated client secrets (a SHA-256
// digest of 256 random bits, compared in constant time), plus the random tokens
// other packages use for identifiers and nonces.
//
// It owns the password policy (ValidatePassword: length only, no composition
// rules and no expiry, F-32) and the time an unknown-user check costs
// (VerifyDummy), so that sign-in cannot reveal whether an account exists.
//
// It must not store, log or return secrets other than to its caller, and it has
// no knowledge of users, applications or storage: callers decide what to hash
// and where the result lives.
package credential
