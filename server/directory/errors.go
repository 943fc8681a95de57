package directory

import (
	"fmt"
	"strings"

	"github.com/sigil-idp/sigil/storage"
)

// Problem is one thing wrong with an input: the field (named as in the admin
// API, e.g. "redirectUris[2]") and a message for the person who filled it in.
type Problem struct {
	Field   string
	Message string
}

// ValidationError lists every problem found in an input, so the CLI and the
// API can show them all at once.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		parts = append(parts, p.Field+": "+p.Message)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// problems collects Problems while an input is checked.
type problems []Problem

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// err returns a *ValidationError holding the problems, or nil when there are none.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// ConflictError reports that an object with the same unique name already
// exists. It matches storage.ErrAlreadyExists with errors.Is.
type ConflictError struct {
	Message string
}

func (e *ConflictError) Error() string { return e.Message }

// Unwrap exposes storage.ErrAlreadyExists.
func (e *ConflictError) Unwrap() error { return storage.ErrAlreadyExists }

// Not-found errors. Each also matches storage.ErrNotFound with errors.Is.
var (
	ErrTenantNotFound       error = notFoundError("tenant not found")
	ErrUserNotFound         error = notFoundError("user not found")
	ErrApplicationNotFound  error = notFoundError("application not found")
	ErrClientSecretNotFound error = notFoundError("client secret not found")
)

// notFoundError is a not-found message that also matches storage.ErrNotFound.
type notFoundError string

func (e notFoundError) Error() string { return string(e) }

// Is reports whether target is storage.ErrNotFound.
func (e notFoundError) Is(target error) bool { return target == storage.ErrNotFound }
