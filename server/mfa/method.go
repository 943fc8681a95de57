package mfa

import (
	"context"
	"net/http"
	"slices"

	"github.com/sigil-idp/sigil/storage"
)

// Kinds of methods at the MFA step. Registered methods use storage's kinds;
// recovery codes are their own kind.
const (
	KindTOTP         = storage.AuthMethodTOTP
	KindPasskey      = storage.AuthMethodPasskey
	KindApprover     = storage.AuthMethodApprover
	KindRecoveryCode = "recovery_code"
)

// Info describes a method to the dispatcher and to the pages.
type Info struct {
	Kind string
	// Title names the kind on the security-info pages ("Authenticator app").
	Title string
	// Label is the kind's line in "use another method" lists.
	Label string
	// Level is the strength the method gives on top of an earlier factor (a
	// TOTP after a password: LevelMFA; a passkey: LevelPhishingResistantMFA).
	Level Level
	// AMR are the RFC 8176 values added when the method succeeds ("otp";
	// "hwk", "user" for a passkey); the dispatcher adds "mfa".
	AMR []string
	// Rank orders methods for the default choice, highest first: the most
	// secure registered method is offered first (system-preferred MFA, F-23).
	Rank int
}

// Registered is what a user has set up: their stored methods (confirmed or
// not) and how many recovery codes are still unused.
type Registered struct {
	Methods       []storage.AuthMethod
	RecoveryCodes int
}

// Confirmed returns the user's confirmed methods of the kind.
func (r Registered) Confirmed(kind string) []storage.AuthMethod {
	var out []storage.AuthMethod
	for _, m := range r.Methods {
		if m.Confirmed && m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// HasAny reports whether the user has a confirmed method of any kind.
// Recovery codes do not count: they are a fallback, not a registration.
func (r Registered) HasAny() bool {
	return slices.ContainsFunc(r.Methods, func(m storage.AuthMethod) bool { return m.Confirmed })
}

// Field is one hidden form field a method's page must post back unchanged.
type Field struct{ Name, Value string }

// Form is where a method's page posts and what it must carry (flow ID, CSRF
// token, method kind): the caller owns routing and CSRF, the method the page.
type Form struct {
	Action string
	Fields []Field
}

// Alternative is one "use another method" choice.
type Alternative struct {
	Label string
	URL   string
}

// Challenge is one second-factor prompt: who, with what, posting where.
type Challenge struct {
	Tenant     *storage.Tenant
	User       *storage.User
	Registered Registered
	// FlowID binds any server-side state of the challenge (a WebAuthn
	// session, an approval request) to the sign-in.
	FlowID       string
	Form         Form
	Alternatives []Alternative
	// Error is shown on the page after a failed attempt.
	Error string
	// Status is the HTTP status the page answers with (0: 200 OK); 400
	// after a wrong answer, 429 while throttled.
	Status int
}

// StatusOr returns status, or 200 when it is 0.
func StatusOr(status int) int {
	if status == 0 {
		return http.StatusOK
	}
	return status
}

// Result is the outcome of a posted challenge or registration.
type Result struct {
	// Verified: the factor is proven (or the registration confirmed by a
	// first proof, which then counts as the factor).
	Verified bool
	// MethodID is the storage.AuthMethod that succeeded, when there is one.
	MethodID string
	// Message tells the user what was wrong when not Verified.
	Message string
	// Failure counts a wrong answer against the user's throttle; false for an
	// empty or malformed form, which proves nothing either way.
	Failure bool
	// Show, when set, is data the caller renders once after success (the new
	// recovery codes).
	Show []string
}

// Method is one kind of second factor. Implementations render their own
// pages through the Form they are given and keep their own replay state in
// storage; the caller (server/authflow, server/account) does routing, CSRF,
// throttling, amr/acr and what comes next.
type Method interface {
	Info() Info
	// Usable reports whether the user can answer a challenge now.
	Usable(r Registered) bool
	// ShowChallenge renders the prompt (GET).
	ShowChallenge(w http.ResponseWriter, r *http.Request, c *Challenge)
	// VerifyChallenge checks the posted answer; an error is an internal
	// failure, never a wrong answer.
	VerifyChallenge(ctx context.Context, r *http.Request, c *Challenge) (Result, error)
}

// Registration is one "add a method" page, in the sign-in (registration
// required) or on the security-info pages.
type Registration struct {
	Tenant *storage.Tenant
	User   *storage.User
	Form   Form
	// CancelURL, when set, is where "Cancel" goes.
	CancelURL string
	// Alternatives are the other methods the user could register instead.
	Alternatives []Alternative
	Error        string
	// Status is the HTTP status the page answers with (0: 200 OK).
	Status int
}

// Registrar is a Method a user can register by themselves
// (ActionRegisterSecurityInfo). Recovery codes are generated, not registered.
type Registrar interface {
	Method
	// ShowRegistration renders the registration page (GET).
	ShowRegistration(w http.ResponseWriter, r *http.Request, reg *Registration)
	// FinishRegistration confirms the posted registration; Verified means the
	// method is stored, confirmed and proven.
	FinishRegistration(ctx context.Context, r *http.Request, reg *Registration) (Result, error)
}
