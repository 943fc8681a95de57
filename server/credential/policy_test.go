package credential

import (
	"errors"
	"strings"
	"testing"
)

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
		want     error
	}{
		{"rejects an empty password", "", ErrPasswordTooShort},
		{"rejects seven characters", "abcdefg", ErrPasswordTooShort},
		{"accepts eight characters", "abcdefgh", nil},
		{"accepts a password without digits or symbols", "alllowercaseletters", nil},
		{"counts code points, not bytes", "ééééééé", ErrPasswordTooShort},
		{"accepts eight multi-byte characters", "日本語のパスワド", nil},
		{"accepts spaces", "correct horse battery staple", nil},
		{"accepts 256 characters", strings.Repeat("é", 256), nil},
		{"rejects 257 characters", strings.Repeat("a", 257), ErrPasswordTooLong},
		{"rejects invalid UTF-8", "abcdefgh\xff", ErrPasswordEncoding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidatePassword(tt.password); !errors.Is(err, tt.want) {
				t.Fatalf("ValidatePassword = %v; want %v", err, tt.want)
			}
		})
	}
}

func TestPasswordPolicyMessagesAreReadable(t *testing.T) {
	t.Parallel()
	if got := ErrPasswordTooShort.Error(); got != "password must be at least 8 characters long" {
		t.Fatalf("message = %q", got)
	}
	if got := ErrPasswordTooLong.Error(); got != "password must be at most 256 characters long" {
		t.Fatalf("message = %q", got)
	}
}
