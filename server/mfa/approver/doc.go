// Package approver is number-matching sign-in approval (F-02, F-03): the
// Authenticator-notification experience of seed 003 without a phone app.
//
// A signed-in user registers a browser as an approver device at
// /{tenant}/account/approver: Sigil stores an AuthMethod of kind "approver"
// whose Handle is the SHA-256 digest of a random 256-bit device secret, and
// the browser keeps the secret in an HttpOnly, Secure, SameSite=Strict
// cookie scoped to that path. From then on the device needs no session: the
// cookie is its credential.
//
// At sign-in the Method creates an ApprovalRequest bound to the flow (its ID
// is the flow's): a two-digit number, the app's name, the client's IP and a
// deadline (Lifetime, 60 s). The sign-in page shows the number and refreshes
// itself (an HTTP Refresh header, no script) while the request is pending.
// The approver page polls the same way, shows the app, IP and time of each
// pending request and asks the user to TYPE the number: the right number
// approves, a wrong one denies (conditional state transitions in storage,
// so each request is decided once). The sign-in's POST then takes the
// approval once (approved → used); a denied or expired request fails the
// attempt and counts against the MFA throttle, and a new request must be
// sent explicitly.
//
// The package does not route the sign-in page, check the sign-in's CSRF
// token or throttle: server/authflow does. It owns the approver page, its
// device cookie and its form tokens (HMAC, bound to the device or the SSO
// session), behind net/http's cross-origin protection.
package approver
