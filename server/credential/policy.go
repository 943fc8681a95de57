package credential

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Password length limits in Unicode code points. There are no composition rules
// and no expiry (F-32); the upper bound only caps hashing input.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 256
)

// Password policy violations, returned by ValidatePassword. Their messages are
// written for the person choosing the password.
var (
	ErrPasswordTooShort = fmt.Errorf("password must be at least %d characters long", MinPasswordLength)
	ErrPasswordTooLong  = fmt.Errorf("password must be at most %d characters long", MaxPasswordLength)
	ErrPasswordEncoding = errors.New("password must be valid UTF-8 text")
)

// ValidatePassword checks a new password against the policy: between
// MinPasswordLength and MaxPasswordLength characters, counted as code points.
func ValidatePassword(password string) error {
	if !utf8.ValidString(password) {
		return ErrPasswordEncoding
	}
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLength:
		return ErrPasswordTooShort
	case n > MaxPasswordLength:
		return ErrPasswordTooLong
	}
	return nil
}
