package directory

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/storage"
)

func TestCreateConfidentialApplication(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		app, secret, err := s.CreateApplication(ctx, tenant, NewApplication{
			DisplayName: "Payroll", RedirectURIs: []string{"https://payroll.contoso.com/signin-oidc"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if app.TokenEndpointAuthMethod != storage.AuthMethodClientSecretBasic || app.SigningAlg != "ES256" || app.Public {
			t.Fatalf("app = %+v; want client_secret_basic, ES256, confidential", app)
		}
		wantGrants := []string{GrantAuthorizationCode, GrantRefreshToken, GrantClientCredentials}
		if !slices.Equal(app.GrantTypes, wantGrants) || !slices.Equal(app.Scopes, DefaultScopes) {
			t.Fatalf("grants %v, scopes %v", app.GrantTypes, app.Scopes)
		}
		if len(app.SubjectSalt) != 32 {
			t.Fatalf("subject salt has %d bytes; want 32", len(app.SubjectSalt))
		}
		stored, err := s.GetApplication(ctx, tenant, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored.Secrets) != 1 || !credential.VerifyClientSecret(stored.Secrets[0].Digest, secret) {
			t.Fatal("the returned secret does not verify against the stored digest")
		}
		if stored.Secrets[0].Hint != secret[:3] || strings.Contains(string(stored.Secrets[0].Digest), secret) {
			t.Fatal("the stored secret is not a digest with a three-character hint")
		}
	})
}

func TestCreatePublicApplication(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		app, secret, err := s.CreateApplication(context.Background(), tenant, NewApplication{
			DisplayName: "Mobile", Public: true, SigningAlg: "RS256",
			RedirectURIs: []string{"com.contoso.mobile:/callback", "http://127.0.0.1:7000/cb"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if secret != "" || len(app.Secrets) != 0 || app.TokenEndpointAuthMethod != storage.AuthMethodNone {
			t.Fatalf("public app has secret %q / %d stored, method %q", secret, len(app.Secrets), app.TokenEndpointAuthMethod)
		}
		if slices.Contains(app.GrantTypes, GrantClientCredentials) || app.SigningAlg != "RS256" {
			t.Fatalf("grants %v, alg %s", app.GrantTypes, app.SigningAlg)
		}
	})
}

func TestCreateApplicationWithoutRedirectURIsOnlyGetsClientCredentials(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		app, secret, err := s.CreateApplication(context.Background(), tenant, NewApplication{DisplayName: "Daemon", AuthMethod: "client_secret_post"})
		if err != nil {
			t.Fatal(err)
		}
		if secret == "" || !slices.Equal(app.GrantTypes, []string{GrantClientCredentials}) || app.TokenEndpointAuthMethod != "client_secret_post" {
			t.Fatalf("app = %+v", app)
		}
	})
}

func TestCreatePrivateKeyJWTApplication(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		jwks := jwksJSON(t, jose.JSONWebKey{Key: priv.Public(), KeyID: "k1", Algorithm: "ES256", Use: "sig"})
		app, secret, err := s.CreateApplication(context.Background(), tenant, NewApplication{
			DisplayName: "Signed daemon", AuthMethod: storage.AuthMethodPrivateKeyJWT, JWKS: jwks,
		})
		if err != nil {
			t.Fatal(err)
		}
		if secret != "" || len(app.Secrets) != 0 {
			t.Fatal("a private_key_jwt application got a client secret")
		}
		var set jose.JSONWebKeySet
		if err := json.Unmarshal([]byte(app.JWKS), &set); err != nil || len(set.Key("k1")) != 1 {
			t.Fatalf("stored JWKS %q does not hold key k1: %v", app.JWKS, err)
		}
	})
}

func jwksJSON(t *testing.T, keys ...jose.JSONWebKey) string {
	t.Helper()
	b, err := json.Marshal(jose.JSONWebKeySet{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCreateApplicationValidation(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		privateJWKS := jwksJSON(t, jose.JSONWebKey{Key: priv, KeyID: "k1", Algorithm: "ES256"})
		symmetricJWKS := jwksJSON(t, jose.JSONWebKey{Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "k1", Algorithm: "HS256"})
		encJWKS := jwksJSON(t, jose.JSONWebKey{Key: priv.Public(), KeyID: "k1", Use: "enc"})
		web := []string{"https://app.contoso.com/cb"}
		pkj := storage.AuthMethodPrivateKeyJWT
		tests := []struct {
			name     string
			in       NewApplication
			field    string
			fragment string
		}{
			{"requires a display name", NewApplication{RedirectURIs: web}, "displayName", "required"},
			{"refuses HS256", NewApplication{DisplayName: "A", SigningAlg: "HS256"}, "signingAlg", "ES256 or RS256"},
			{"refuses none as signing alg", NewApplication{DisplayName: "A", SigningAlg: "none"}, "signingAlg", "ES256 or RS256"},
			{"refuses an unknown auth method", NewApplication{DisplayName: "A", AuthMethod: "tls_client_auth"}, "tokenEndpointAuthMethod", "must be one of"},
			{"refuses auth method none for a confidential app", NewApplication{DisplayName: "A", AuthMethod: "none"}, "tokenEndpointAuthMethod", "mark it public"},
			{"refuses a secret method for a public app", NewApplication{DisplayName: "A", Public: true, RedirectURIs: web, AuthMethod: "client_secret_basic"}, "tokenEndpointAuthMethod", "cannot keep a secret"},
			{"requires a redirect URI for a public app", NewApplication{DisplayName: "A", Public: true}, "redirectUris", "at least one"},
			{"requires a JWKS for private_key_jwt", NewApplication{DisplayName: "A", AuthMethod: pkj}, "jwks", "required"},
			{"refuses a JWKS that is not JSON", NewApplication{DisplayName: "A", AuthMethod: pkj, JWKS: "{"}, "jwks", "not a valid JWK set"},
			{"refuses an empty JWKS", NewApplication{DisplayName: "A", AuthMethod: pkj, JWKS: `{"keys":[]}`}, "jwks", "between 1 and 16"},
			{"refuses private key material in the JWKS", NewApplication{DisplayName: "A", AuthMethod: pkj, JWKS: privateJWKS}, "jwks", "only public keys"},
			{"refuses a symmetric key in the JWKS", NewApplication{DisplayName: "A", AuthMethod: pkj, JWKS: symmetricJWKS}, "jwks", "only public keys"},
			{"refuses an encryption key in the JWKS", NewApplication{DisplayName: "A", AuthMethod: pkj, JWKS: encJWKS}, "jwks", "encryption key"},
			{"refuses a JWKS for a secret-based app", NewApplication{DisplayName: "A", JWKS: encJWKS}, "jwks", "only with private_key_jwt"},
			{"refuses an http redirect URI", NewApplication{DisplayName: "A", RedirectURIs: []string{"http://app.contoso.com/cb"}}, "redirectUris[0]", "https"},
			{"refuses a private-use scheme for a confidential app", NewApplication{DisplayName: "A", RedirectURIs: []string{"com.contoso.app:/cb"}}, "redirectUris[0]", "only for public"},
			{"applies the same rules to post-logout URIs", NewApplication{DisplayName: "A", RedirectURIs: web, PostLogoutRedirectURIs: []string{"https://app.contoso.com/#x"}}, "postLogoutRedirectUris[0]", "fragment"},
			{"refuses more than 256 redirect URIs", NewApplication{DisplayName: "A", RedirectURIs: make([]string, 257)}, "redirectUris", "at most 256"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, _, err := s.CreateApplication(context.Background(), tenant, tt.in)
				assertProblem(t, err, tt.field, tt.fragment)
			})
		}
	})
}

func TestApplicationsAreIsolatedPerTenant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		contoso, fabrikam := mustTenant(t, s, "contoso.com"), mustTenant(t, s, "fabrikam.com")
		app, _, err := s.CreateApplication(ctx, contoso, NewApplication{DisplayName: "Payroll"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetApplication(ctx, fabrikam, app.ID); !errors.Is(err, ErrApplicationNotFound) {
			t.Fatalf("GetApplication(other tenant) = %v; want ErrApplicationNotFound", err)
		}
		if _, err := s.AddClientSecret(ctx, fabrikam, app.ID); !errors.Is(err, ErrApplicationNotFound) {
			t.Fatalf("AddClientSecret(other tenant) = %v; want ErrApplicationNotFound", err)
		}
		if err := s.DeleteApplication(ctx, fabrikam, app.ID); !errors.Is(err, ErrApplicationNotFound) {
			t.Fatalf("DeleteApplication(other tenant) = %v; want ErrApplicationNotFound", err)
		}
		if apps, _ := s.ListApplications(ctx, fabrikam); len(apps) != 0 {
			t.Fatalf("the other tenant lists %d applications", len(apps))
		}
		if err := s.DeleteApplication(ctx, contoso, app.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetApplication(ctx, contoso, app.ID); !errors.Is(err, ErrApplicationNotFound) {
			t.Fatalf("deleted application still found: %v", err)
		}
	})
}

func TestClientSecretRotation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		app, first, err := s.CreateApplication(ctx, tenant, NewApplication{DisplayName: "Payroll"})
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.AddClientSecret(ctx, tenant, app.ID)
		if err != nil || second == first {
			t.Fatalf("AddClientSecret = %q, %v", second, err)
		}
		stored, _ := s.GetApplication(ctx, tenant, app.ID)
		if len(stored.Secrets) != 2 || !verifiesAny(stored.Secrets, first) || !verifiesAny(stored.Secrets, second) {
			t.Fatal("after adding a secret both the old and the new secret must verify")
		}
		if err := s.RemoveClientSecret(ctx, tenant, app.ID, "no-such-secret"); !errors.Is(err, ErrClientSecretNotFound) {
			t.Fatalf("removing an unknown secret: %v", err)
		}
		firstID := stored.Secrets[slices.IndexFunc(stored.Secrets, func(cs storage.ClientSecret) bool {
			return credential.VerifyClientSecret(cs.Digest, first)
		})].ID
		if err := s.RemoveClientSecret(ctx, tenant, app.ID, firstID); err != nil {
			t.Fatal(err)
		}
		stored, _ = s.GetApplication(ctx, tenant, app.ID)
		if verifiesAny(stored.Secrets, first) || !verifiesAny(stored.Secrets, second) {
			t.Fatal("after removing the first secret only the second may verify")
		}
		err = s.RemoveClientSecret(ctx, tenant, app.ID, stored.Secrets[0].ID)
		assertProblem(t, err, "secrets", "only secret")
	})
}

func TestAddClientSecretRefusesAppsWithoutSecrets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant := mustTenant(t, s, "contoso.com")
		app, _, err := s.CreateApplication(ctx, tenant, NewApplication{DisplayName: "SPA", Public: true, RedirectURIs: []string{"http://localhost:3000/cb"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.AddClientSecret(ctx, tenant, app.ID)
		assertProblem(t, err, "tokenEndpointAuthMethod", "takes no client secret")
	})
}

func verifiesAny(secrets []storage.ClientSecret, presented string) bool {
	return slices.ContainsFunc(secrets, func(cs storage.ClientSecret) bool {
		return credential.VerifyClientSecret(cs.Digest, presented)
	})
}
