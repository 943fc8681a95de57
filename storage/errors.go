package storage

import "errors"

// Sentinel errors returned by every Storage implementation. Callers test them with
// errors.Is; backends wrap driver errors so that the sentinel stays visible.
var (
	// ErrNotFound: the addressed record does not exist (or belongs to another tenant).
	ErrNotFound = errors.New("storage: not found")
	// ErrAlreadyExists: a unique key (ID, domain, UPN, client ID, signature, jti) is taken.
	ErrAlreadyExists = errors.New("storage: already exists")
	// ErrConflict: a conditional write lost, e.g. deactivating a token that another
	// request deactivated first, or an optimistic-version mismatch.
	ErrConflict = errors.New("storage: conflict")
)
