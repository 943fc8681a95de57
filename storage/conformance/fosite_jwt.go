package conformance

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	josejwt "github.com/go-jose/go-jose/v3/jwt"
	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/storage"
)

// jwtClient is an application that authenticates with private_key_jwt
// (RFC 7523 §2.2) using an ES256 key whose public half is registered as JWKS.
type jwtClient struct {
	app    *storage.Application
	signer jose.Signer
}

func seedFositeJWTClient(t *testing.T, h *fositeHarness) *jwtClient {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	jwks, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Use: "sig"}}})
	if err != nil {
		t.Fatalf("marshal JWKS: %v", err)
	}
	app := &storage.Application{
		ID: uuid.NewString(), TenantID: h.tenant.ID, DisplayName: "Key-authenticated app",
		RedirectURIs:            []string{fositeRedirectURI},
		Scopes:                  []string{"openid", "offline_access"},
		TokenEndpointAuthMethod: storage.AuthMethodPrivateKeyJWT,
		JWKS:                    string(jwks),
	}
	if err := h.store.CreateApplication(t.Context(), app); err != nil {
		t.Fatalf("CreateApplication: %v", err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatalf("NewSigner: %v", err)
	}
	return &jwtClient{app: app, signer: signer}
}

// authenticated returns a copy of form that authenticates the client with a
// fresh signed assertion carrying the jti.
func (c *jwtClient) authenticated(t *testing.T, form url.Values, jti string) url.Values {
	t.Helper()
	now := time.Now()
	raw, err := josejwt.Signed(c.signer).Claims(josejwt.Claims{
		Issuer: c.app.ID, Subject: c.app.ID, Audience: josejwt.Audience{fositeTokenURL}, ID: jti,
		IssuedAt: josejwt.NewNumericDate(now), Expiry: josejwt.NewNumericDate(now.Add(5 * time.Minute)),
	}).CompactSerialize()
	if err != nil {
		t.Fatalf("sign assertion: %v", err)
	}
	out := url.Values{}
	for k, v := range form {
		out[k] = v
	}
	out.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
	out.Set("client_assertion", raw)
	return out
}

func testFositePrivateKeyJWT(t *testing.T, h *fositeHarness) {
	client := seedFositeJWTClient(t, h)
	code := url.Values{
		"grant_type": {"authorization_code"}, "code": {h.authorizeFor(t, client.app.ID)},
		"redirect_uri": {fositeRedirectURI},
	}
	jti := uuid.NewString()
	first := mustIssueTokens(t, "code exchange with a signed assertion",
		h.tokenWith(t, client.authenticated(t, code, jti), nil))

	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first.RefreshToken}}
	replayed := client.authenticated(t, refresh, jti)
	mustRefuseToken(t, "a replayed assertion jti", h.tokenWith(t, replayed, nil), http.StatusBadRequest, "jti_known")
	mustIssueTokens(t, "refresh with a fresh assertion",
		h.tokenWith(t, client.authenticated(t, refresh, uuid.NewString()), nil))
}
