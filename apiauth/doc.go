// Package apiauth lets a resource server (an API) accept Sigil's access
// tokens offline: it validates the JWT against the tenant's published keys and
// answers requests that lack a token, scope, role or strong-enough sign-in
// with the challenges clients understand.
//
// # Validation
//
// A Validator is built for one tenant issuer (https://host/{tenantID}/v2.0)
// and one audience (the API's client ID or identifier). It reads jwks_uri from
// the issuer's discovery document, caches the key set and fetches it again
// when a token names a key it does not know (rotation), at most once per
// Config.MinRefresh. A token is accepted only when it is a JWS signed with an
// allowed algorithm (ES256 and RS256 by default; never "none" or HMAC), its
// header type is at+jwt (RFC 9068 §2.1, so an ID token is not an access
// token), it verifies with the key named by its kid, its iss equals the
// issuer, its aud contains the audience, and exp/nbf hold within
// Config.Leeway (default 30 s).
//
// # Challenges
//
// Validator.Middleware and Validator.Require answer failures as RFC 6750 and
// RFC 9470 ask:
//
//	no token                    401  WWW-Authenticate: Bearer realm="…"
//	bad or expired token        401  Bearer error="invalid_token"
//	missing scope or app role   403  Bearer error="insufficient_scope", scope="…"
//	acr not allowed, or         401  Bearer error="insufficient_user_authentication",
//	auth_time older than max         acr_values="…", max_age=…
//
// The last lets the client start a new sign-in with acr_values and max_age
// (step-up, RFC 9470 §4). Sigil's acr values are ACRSingleFactor … ACRPhishingResistantMFA;
// AtLeastMFA lists those that prove a second factor.
//
// The package imports nothing of Sigil's server: an API needs only this
// package and the tenant's issuer URL. It never logs tokens.
package apiauth
