package mfa

import (
	"context"
	"net/http"

	"github.com/sigil-idp/sigil/storage"
)

// Passwordless is one passwordless sign-in prompt: no user is known yet
// (a discoverable passkey names them).
type Passwordless struct {
	Tenant *storage.Tenant
	// FlowID binds the prompt's server-side state to the sign-in.
	FlowID string
	Form   Form
	// Alternatives lead back to the username page.
	Alternatives []Alternative
	Error        string
	// Status is the HTTP status the page answers with (0: 200 OK).
	Status int
}

// PasswordlessMethod signs a user in without a password or username
// (server/mfa/passkey). The caller (server/authflow) owns routing, CSRF and
// the session; the method finds and proves the user.
type PasswordlessMethod interface {
	Info() Info
	// ShowPasswordless renders the prompt (GET).
	ShowPasswordless(w http.ResponseWriter, r *http.Request, p *Passwordless)
	// VerifyPasswordless returns the proven user, or a Result saying why
	// not; an error is an internal failure.
	VerifyPasswordless(ctx context.Context, r *http.Request, p *Passwordless) (*storage.User, Result, error)
}
