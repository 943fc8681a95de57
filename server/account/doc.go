// Package account serves "My sign-ins": the pages a signed-in user uses to
// look after their own account, under /{tenant}/account/. It owns the
// security-info pages (list, add and remove authentication methods, generate
// recovery codes; F-20) and the password change (password.go: the current
// password under smart lockout, the new one typed twice and checked by
// server/password; the change revokes the user's other sessions and their
// tokens, I-02). Further self-service pages are added as files of their own,
// mounted in Handler.Mount.
//
// # Who is signed in, and how recently
//
// A page finds the user through the browser's SSO session
// (authflow.Handler.CurrentSession). Without one, or for a change made with
// an authentication older than FreshFor (or without MFA when the user has a
// method to prove it with), the page starts a sign-in of its own
// (authflow.Handler.StartAction with mfa.ActionRegisterSecurityInfo and
// max_age FreshFor), which asks for the password and the second factor the
// policy demands and comes back to the page. The user action is the one
// Conditional Access policies target ("register security info").
//
// # What protects the forms
//
// Every POST passes http.CrossOriginProtection and carries a token
// HMAC(key, session ID, form), valid only for this SSO session and this form;
// answers to a POST are 303 redirects, except the one that shows new
// recovery codes, which are rendered once in that response (Cache-Control:
// no-store) and never stored in clear.
//
// # Boundaries
//
// account never reads or writes the SSO cookie itself and never verifies a
// password or a second factor: sign-in belongs to server/authflow, methods
// to server/mfa. It must not log codes, secrets or cookies.
package account
