package requestid

import (
	"context"
	"regexp"
	"testing"
)

func TestNewMakesDistinctHeaderSafeIDs(t *testing.T) {
	t.Parallel()
	safe := regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)
	seen := map[string]bool{}
	for range 100 {
		id := New()
		if !safe.MatchString(id) {
			t.Fatalf("New() = %q, want 22 base64url characters", id)
		}
		if seen[id] {
			t.Fatalf("New() repeated %q", id)
		}
		seen[id] = true
	}
}

func TestContextCarriesTheID(t *testing.T) {
	t.Parallel()
	if got := From(context.Background()); got != "" {
		t.Errorf("From(empty context) = %q, want empty", got)
	}
	ctx := With(context.Background(), "req-1")
	if got := From(ctx); got != "req-1" {
		t.Errorf("From(With(ctx, req-1)) = %q", got)
	}
}
