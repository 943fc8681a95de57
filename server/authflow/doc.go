// Package authflow is the browser sign-in: a state machine over one stored
// storage.Flow, from the moment server/op has validated an authorize request
// until the flow is handed back to op to issue the authorization response.
//
// # State diagram
//
//	op: valid authorize request ──► Start ──► dispatch (completed step: none)
//
//	dispatch ── phase "authenticate" (skipped once flow.UserID is set):
//	  completed step = username ───────────────────────────────► page password
//	  completed step = password, no user ("Not you?") ─────────► page username
//	  SSO session in this browser usable? ── yes ──► adopt it (UserID, SessionID,
//	  │                                             AuthTime, AMR) ──► next phase
//	  │  usable = valid in storage (not revoked, not expired, user exists and is
//	  │  enabled) AND prompt has no login/select_account AND max_age is absent
//	  │  or now − AuthTime ≤ max_age (max_age=0 always re-authenticates) AND
//	  │  login_hint is empty or names the session's user
//	  no ── prompt=none ──► Authorizer.Fail(login_required)
//	     └─ otherwise ────► page username (pre-filled with login_hint, or with
//	                         the session's user when re-authenticating)
//
//	  ┄┄ extension point: policy evaluation #1 goes here (ARCHITECTURE.md
//	     "The sign-in flow"), then MFA, then policy evaluation #2.
//
//	dispatch ── phase "assignment" (skipped when Handler.Assignments is nil):
//	  the application requires assignment and no app role assignment reaches
//	  the user (directly, through a group or a group team) ──► branded error
//	  page (403), no authorization response; slog record "sign-in refused:
//	  user not assigned to application" (the sign-in log's hook)
//	  otherwise ──► next phase
//
//	dispatch ── phase "mfa" (skipped when Handler.MFA is nil):
//	  plan = mfa.NextStep(MFAPolicy(tenant setting, re-registration flag,
//	         has methods, user action), requested acr (acr_values, claims),
//	         reach (flow's level, best usable method, best registrable))
//	  continue ──► flow.ACR = the level reached ──► next phase
//	  fail ──────► Authorizer.Fail(unmet_authentication_requirements |
//	               access_denied)
//	  prompt=none and a page is needed ──► Authorizer.Fail(interaction_required)
//	  register ──► page mfa_register (strongest registrable method; others
//	               offered as links)
//	  challenge ─► page mfa (the user's strongest usable method of at least
//	               the plan's level; "use another method" links)
//
//	dispatch ── phase "consent":
//	  completed step = consent ───────────────────────────► (flow.GrantedScopes
//	  │                                                       set by the page)
//	  first-party app, or a stored storage.Consent covers every requested
//	  scope, and prompt has no consent ──► GrantedScopes = requested scopes
//	  otherwise: prompt=none ──► Authorizer.Fail(consent_required)
//	             else ────────► page consent
//
//	dispatch, every phase settled ──► Authorizer.Complete (op issues the code)
//
//	page username  ── POST ──► flow.LoginHint = typed name ─► dispatch
//	page password  ── POST ──► verified: new SSO session ───► dispatch
//	               └─ "Not you?" ──► flow.LoginHint cleared ─► dispatch
//	               └─ wrong or locked ──► smart lockout counts it, same page
//	page mfa       ── POST verified ──► flow and SSO session get amr + "mfa",
//	               │                     the new acr and auth_time ─► dispatch
//	               └─ wrong ──► MFAState.Failures+1, same page; after
//	                  mfa.FreeFailures a doubling wait (429) before any answer
//	page mfa_register ── confirmed ──► as mfa verified, re-registration flag
//	               │                   cleared ─► dispatch
//	               └─ wrong first code ──► same page, same secret
//	page consent   ── Accept ──► SaveConsent, GrantedScopes ─► dispatch
//	               └─ Cancel ──► Authorizer.Fail(access_denied)
//
// # Flows without a client
//
// StartAction starts a flow that no OAuth client asked for (ClientID ""):
// Sigil's own pages, such as the security-info pages of server/account, use
// it for a recent authentication before a change. Its AuthorizeForm carries
// only user_action (the Conditional Access user action, e.g.
// mfa.ActionRegisterSecurityInfo, which the MFA policy sees) and return_to (a
// path on this server); MaxAge bounds how old the authentication may be. It
// runs the same phases except consent, and ends by a redirect to return_to,
// or on the error page, instead of in server/op.
//
// # How the steps are chained
//
// dispatch is the only place that decides what comes next, and it decides from
// the stored flow alone. A page acts only while flow.Step names it. When a page
// is done it redirects (303) to GET /{tenant}/login?flow=…&v=…, where v is
// base64url(HMAC-SHA256(key, flowID|step|flow.StepNonce)): proof, made by the
// server, that this step finished. dispatch checks v in constant time and, in
// the same optimistic-concurrency write that records its decision, replaces
// StepNonce and Step, so each verifier works exactly once and of two racing
// requests only one proceeds.
//
// # What protects the pages
//
// Every POST passes http.CrossOriginProtection and carries a csrf_token,
// HMAC(key, browser secret|flowID|step), where the browser secret lives in the
// SameSite=Lax cookie "sigil_csrf". A form is therefore valid only for one
// flow, one step and one browser. The cookie is Lax so that it survives the
// cross-site redirect that starts every sign-in (a Strict cookie would be
// re-minted there, breaking the forms of the user's other tabs); a page that
// renders a form mints the secret only when the browser has none.
//
// The password step says the same thing ("Your account or password is
// incorrect.") for an unknown user, a disabled user, a wrong password and an
// account or address locked by smart lockout, runs the same KDF in every case
// (credential.VerifyDummy when there is no password to check) and pads its
// answer to Handler.MinResponse, so neither the page nor its timing reveals
// whether an account exists or is locked. Smart lockout (server/lockout, F-30)
// counts failures by account, familiar or unfamiliar network and source
// address in the database, across flows and replicas; the address is the
// connection's peer, or X-Forwarded-For from Handler.TrustedProxies.
//
// The SSO session is a row in storage (storage.BrowserSession) named by a
// gorilla/sessions cookie "sigil_session" that maps tenant ID → session ID; the
// cookie is only a pointer, and every use re-checks the row and the user
// (A-26, D-21: a disabled user loses access at the next sign-in).
//
// # Boundaries
//
// authflow owns the flow's pages, the SSO and CSRF cookies and the decision of
// the next step. It must not speak OAuth: it never builds a redirect to a
// client and never imports fosite; it hands a finished or failed flow to the
// Authorizer (server/op). It must not log passwords, cookies, codes or tokens.
package authflow
