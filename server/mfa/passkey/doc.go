// Package passkey is the passkey (WebAuthn / FIDO2) method of server/mfa:
// registration of several named credentials per user and their use as a
// second factor, through github.com/go-webauthn/webauthn.
//
// A credential is a storage.AuthMethod of kind "passkey" whose Handle is the
// base64url credential ID and whose Secret is the webauthn.Credential as JSON
// (public key, signature counter, AAGUID, transports, flags); nothing in it
// is secret, but it is only ever changed by a compare-and-swap
// (storage.SwapAuthMethodSecret), so two sign-ins with one counter value
// cannot both pass. A counter that does not grow (a cloned authenticator) is
// refused (F-25).
//
// Each ceremony's challenge is kept server-side (storage.WebAuthnSession),
// named after the sign-in flow (or a random registration ID) and its
// purpose, and taken exactly once: a replayed response finds no challenge.
// The relying party ID is the host of Sigil's issuer and the only accepted
// origin its scheme and host; user verification is required, so a passkey is
// phishing-resistant MFA on its own (amr hwk user, acr
// phishing-resistant-mfa, F-36).
//
// The browser side is static/webauthn.js, the only script of Sigil's pages:
// it reads the options from the form's data-webauthn-options attribute,
// calls navigator.credentials and posts the JSON result in the form's
// "credential" field. The package does not route, check CSRF tokens or
// throttle: the caller (server/authflow, server/account) does.
package passkey
