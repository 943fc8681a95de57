package requestid

import (
	"context"
	"crypto/rand"
	"encoding/base64"
)

// New returns a fresh request ID: 128 random bits as 22 characters of unpadded
// base64url, safe in headers, logs and HTML.
func New() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error
	return base64.RawURLEncoding.EncodeToString(b)
}

type contextKey struct{}

// With returns a context carrying id.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, contextKey{}, id)
}

// From returns the ID stored by With, or "" when the context carries none.
func From(ctx context.Context) string {
	id, _ := ctx.Value(contextKey{}).(string)
	return id
}
