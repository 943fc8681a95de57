// Package fositestore adapts Sigil's storage.Storage to the storage interfaces of
// github.com/ory/fosite: clients (fosite.ClientManager), authorize codes, access
// and refresh tokens (oauth2.CoreStorage, oauth2.TokenRevocationStorage), PKCE
// (pkce.PKCERequestStorage) and OpenID Connect requests
// (openid.OpenIDConnectRequestStorage), plus fosite's storage.Transactional.
//
// What it owns:
//   - The mapping between fosite's requests and storage.OAuthRecord: the request
//     is serialized as JSON, and codes, token signatures and JTIs are stored only
//     as a hex SHA-256 digest, never in the raw form fosite passes in.
//   - fosite's error semantics, exactly as its interface comments demand: an
//     invalidated code comes back with its requester and
//     fosite.ErrInvalidatedAuthorizeCode; an inactive (rotated or revoked) token
//     comes back with its requester and fosite.ErrInactiveToken, which is how
//     fosite detects refresh-token reuse and revokes the grant family; a missing
//     record is fosite.ErrNotFound; a lost refresh-token rotation race is
//     fosite.ErrSerializationFailure, which fosite answers with "retry".
//   - The fosite view of an application (Client) and the client-secret hasher
//     (SecretHasher: SHA-256 compared in constant time; client secrets are
//     generated with at least 256 bits of entropy, so they need no stretching).
//
// What it must not do: decide anything about the protocol (fosite and server/op
// do), touch the database directly (only through storage.Storage), or log codes,
// tokens, secrets or JTIs. Besides server/op, only this package (and the
// storage/conformance suite that checks it) imports fosite.
package fositestore
