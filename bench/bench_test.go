package bench

import (
	"context"
	"sync/atomic"
	"testing"
)

// tokenPoolSize is how many distinct access tokens the validation and
// introspection benchmarks cycle through.
const tokenPoolSize = 8

// BenchmarkClientCredentials measures app-only JWT access tokens issued per
// second: POST token, grant_type=client_credentials, client_secret_basic.
// Target (ARCHITECTURE.md, Postgres): ≥ 3,000/s per server core.
func BenchmarkClientCredentials(b *testing.B) {
	onBackends(b, func(b *testing.B, t *target) {
		runConcurrently(b, "tokens/s", func(ctx context.Context) error {
			_, err := t.clientCredentialsToken(ctx)
			return err
		})
	})
}

// BenchmarkAuthorizationCodeSignIn measures complete browser sign-ins per
// second: authorize with PKCE, username, password (argon2id), code exchange and
// one refresh. Target (Postgres): ≥ 28/s, bounded by argon2id.
func BenchmarkAuthorizationCodeSignIn(b *testing.B) {
	onBackends(b, func(b *testing.B, t *target) {
		runConcurrently(b, "signins/s", t.signIn)
	})
}

// BenchmarkJWKSValidation measures what a resource server does offline: verify
// an access token's ES256 signature and claims with go-oidc against the
// tenant's JWKS, fetched once and cached. The server is idle while it runs.
func BenchmarkJWKSValidation(b *testing.B) {
	onBackends(b, func(b *testing.B, t *target) {
		tokens := accessTokens(b, t)
		verifier := t.accessTokenVerifier()
		if _, err := verifier.Verify(context.Background(), tokens[0]); err != nil {
			b.Fatalf("verify before timing (fills the key cache): %v", err)
		}
		var next atomic.Uint64
		runConcurrently(b, "validations/s", func(ctx context.Context) error {
			_, err := verifier.Verify(ctx, tokens[next.Add(1)%tokenPoolSize])
			return err
		})
	})
}

// BenchmarkJWKSEndpoint measures GET /{tenant}/discovery/v2.0/keys per second.
// Target (Postgres): ≥ 20,000/s per server core.
func BenchmarkJWKSEndpoint(b *testing.B) {
	onBackends(b, func(b *testing.B, t *target) {
		runConcurrently(b, "requests/s", t.getKeys)
	})
}

// BenchmarkIntrospection measures RFC 7662 introspection of an active access
// token, client_secret_basic. Target (Postgres): ≥ 5,000/s per server core.
func BenchmarkIntrospection(b *testing.B) {
	onBackends(b, func(b *testing.B, t *target) {
		tokens := accessTokens(b, t)
		var next atomic.Uint64
		runConcurrently(b, "introspections/s", func(ctx context.Context) error {
			return t.introspect(ctx, tokens[next.Add(1)%tokenPoolSize])
		})
	})
}

// accessTokens obtains tokenPoolSize client_credentials access tokens, before
// the timer starts.
func accessTokens(tb testing.TB, t *target) []string {
	tb.Helper()
	tokens := make([]string, tokenPoolSize)
	for i := range tokens {
		tok, err := t.clientCredentialsToken(context.Background())
		if err != nil {
			tb.Fatalf("access token for the benchmark: %v", err)
		}
		tokens[i] = tok
	}
	return tokens
}
