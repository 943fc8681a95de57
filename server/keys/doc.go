// Package keys owns each tenant's JWT signing keys: ES256 (P-256, the default)
// and RS256 (RSA 2048, selectable per application), created per tenant, rotated
// with overlap, encrypted at rest and served from memory.
//
// # States and rotation
//
// Every tenant holds, per algorithm, one active key (signs new tokens), one
// next key (published in JWKS, not yet signing) and any retired keys (no longer
// signing, published until every token they signed has expired). Rotate moves
// each key one step:
//
//	           Rotate #1          Rotate #2          Rotate #3
//	               │                  │                  │
//	key A  active ─┼─ retired ────────┼─ retired ────────┼─ deleted
//	key B  next ───┼─ active ─────────┼─ retired ────────┼─ retired
//	key C          └─ next ───────────┼─ active ─────────┼─ retired
//	key D                             └─ next ───────────┼─ active
//	key E                                                └─ next
//
// Every key drawn is published in JWKS. A retired key leaves JWKS once
// RetiredAt + Options.RetainRetiredFor has passed (here before Rotate #3) and
// the next Rotate deletes it from the store.
//
// Because a key is published one full rotation before it signs, verifiers that
// cache the JWKS already know it when the first token arrives; because a
// retired key stays published for RetainRetiredFor (set it to at least the
// tenant's longest token lifetime), tokens it signed keep validating until they
// expire. The same overlap makes the per-replica cache safe: a replica whose
// cache (Options.CacheTTL) is briefly stale signs with the previous active key,
// which is still published.
//
// # Storage and encryption
//
// Private keys are stored as PKCS#8 encrypted with AES-256-GCM under a key
// derived from the master secret (HKDF-SHA256, info "sigil signing-key
// encryption v1"), bound to tenant and kid as additional data; the ciphertext
// starts with a version byte. NewManager takes the current master first and
// previous masters after it: new keys are sealed under the current master, any
// master opens. Only active keys are ever decrypted, so after a master
// rotation two key rotations per tenant leave no key that needs the old master.
// The kid is the RFC 7638 thumbprint of the public key.
//
// # What this package must not do
//
// It never logs or returns key material other than through SigningKey, never
// decides token contents or lifetimes (server/op and server/claims do), and
// reads tenants' keys only through storage.Storage. Signer, JWKS and PublicKey
// should not be called with a context whose transaction has written keys that
// may still roll back: the cache would keep them for CacheTTL.
package keys
