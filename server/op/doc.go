// Package op is Sigil's OAuth 2.0 / OpenID Connect provider: the only package that
// drives fosite. It serves the Entra-shaped protocol endpoints of every tenant —
// discovery, JWKS, authorize, token, userinfo, introspection, revocation and
// RP-initiated logout — and turns fosite's requests into Sigil sessions and
// Entra-shaped, per-tenant signed JWTs.
//
// What it owns:
//   - fosite composition (explicit handlers: authorization code + PKCE S256,
//     refresh token with rotation and family revocation, client credentials,
//     OpenID Connect, introspection, revocation); no password grant (legacy auth).
//   - The token session type (Session) and the claims it carries.
//   - The JWT signer that picks the tenant's active key and writes `kid`.
//   - Directory claims in tokens through a ClaimSource (server/directory):
//     added when the code is issued and replaced at every refresh, never
//     over op's own claims; `roles` in client-credentials tokens; and the
//     group overage endpoint, POST /{tenant}/v1.0/users/{user}/getMemberObjects,
//     for the user's own access token or an app holding GroupMember.Read.All or
//     Directory.Read.All.
//   - Protocol errors: RFC 6749 errors are written only through fosite's Write…Error
//     methods, and only after the redirect URI has been validated; before that the
//     branded error page is rendered and nothing redirects.
//
// What it must not do: decide how a person signs in. The authorize endpoint
// validates the request, stores a storage.Flow and hands the browser to the sign-in
// flow (server/authflow) through the SignIn interface; the flow calls back Complete
// or Fail when it is done.
package op
