package directory

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func TestValidationErrorListsEveryProblem(t *testing.T) {
	t.Parallel()
	var p problems
	p.add("displayName", "is required")
	p.add("redirectUris[1]", "must not contain a fragment (#)")
	want := "invalid input: displayName: is required; redirectUris[1]: must not contain a fragment (#)"
	if got := p.err().Error(); got != want {
		t.Fatalf("Error() = %q; want %q", got, want)
	}
	if (problems{}).err() != nil {
		t.Fatal("no problems must mean no error")
	}
}

func TestNotFoundErrorsReadCleanlyAndMatchStorage(t *testing.T) {
	t.Parallel()
	for _, err := range []error{ErrTenantNotFound, ErrUserNotFound, ErrApplicationNotFound, ErrClientSecretNotFound} {
		wrapped := fmt.Errorf("cli: %w", err)
		if !errors.Is(wrapped, err) || !errors.Is(wrapped, storage.ErrNotFound) {
			t.Errorf("%v does not match itself and storage.ErrNotFound", err)
		}
	}
	if errors.Is(ErrUserNotFound, ErrTenantNotFound) {
		t.Error("a missing user must not read as a missing tenant")
	}
	if ErrTenantNotFound.Error() != "tenant not found" {
		t.Errorf("message = %q", ErrTenantNotFound)
	}
}
