package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"
)

// demoScopes are the scopes the demo web app asks for.
const demoScopes = "openid profile email offline_access"

// authorizeRequest is a ready-to-open authorization request with PKCE (S256).
// The verifier is what the token request must send with the code.
type authorizeRequest struct {
	URL          string
	State        string
	Nonce        string
	CodeVerifier string
}

// randomToken returns n random bytes as unpadded base64url.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error
	return base64.RawURLEncoding.EncodeToString(b)
}

// pkceChallenge is the RFC 7636 S256 challenge of verifier.
func pkceChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// newAuthorizeRequest builds the authorization code request a web app sends to
// the tenant's authorize endpoint: response_type=code, the demo scopes, a fresh
// state and nonce, and a PKCE S256 challenge of a fresh 43-character verifier
// (RFC 7636 §4.1).
func newAuthorizeRequest(publicURL, tenant, clientID, redirectURI string) authorizeRequest {
	req := authorizeRequest{State: randomToken(16), Nonce: randomToken(16), CodeVerifier: randomToken(32)}
	q := url.Values{
		"client_id":             {clientID},
		"response_type":         {"code"},
		"redirect_uri":          {redirectURI},
		"scope":                 {demoScopes},
		"state":                 {req.State},
		"nonce":                 {req.Nonce},
		"code_challenge":        {pkceChallenge(req.CodeVerifier)},
		"code_challenge_method": {"S256"},
	}
	req.URL = strings.TrimRight(publicURL, "/") + "/" + url.PathEscape(tenant) + "/oauth2/v2.0/authorize?" + q.Encode()
	return req
}
