package op

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ory/fosite/token/jwt"
)

// reservedClaims may only be written by AccessClaims itself; Extra cannot
// overwrite them (a custom claim must never forge the issuer or the expiry).
var reservedClaims = map[string]bool{
	"iss": true, "sub": true, "aud": true, "exp": true, "iat": true,
	"nbf": true, "jti": true, "scp": true, "scope": true, "client_id": true,
}

// AccessClaims are the claims of an RFC 9068 JWT access token in Entra's v2 shape:
// `scp` is a space-separated string, `aud` a single string when there is one
// audience. It implements fosite's jwt.JWTClaimsContainer.
type AccessClaims struct {
	Issuer    string         `json:"iss,omitempty"`
	Subject   string         `json:"sub,omitempty"`
	ClientID  string         `json:"client_id,omitempty"`
	Audience  []string       `json:"aud,omitempty"`
	Scopes    []string       `json:"scp,omitempty"`
	IssuedAt  time.Time      `json:"iat"`
	ExpiresAt time.Time      `json:"exp"`
	JTI       string         `json:"jti,omitempty"`
	Extra     map[string]any `json:"ext,omitempty"`
}

// With returns a copy with the expiry, scopes and audience of the grant and a
// fresh `jti`. An empty audience keeps the session's default audience.
func (c *AccessClaims) With(expiry time.Time, scope, audience []string) jwt.JWTClaimsContainer {
	cp := c.clone()
	cp.ExpiresAt = expiry
	cp.Scopes = slices.Clone(scope)
	if len(audience) > 0 {
		cp.Audience = slices.Clone(audience)
	}
	cp.JTI = randomID(16)
	return cp
}

// WithDefaults sets the issue time and issuer when they are not set yet.
func (c *AccessClaims) WithDefaults(iat time.Time, issuer string) jwt.JWTClaimsContainer {
	cp := c.clone()
	if cp.IssuedAt.IsZero() {
		cp.IssuedAt = iat
	}
	if cp.Issuer == "" {
		cp.Issuer = issuer
	}
	return cp
}

// WithScopeField is ignored: Sigil always writes `scp` as Entra does.
func (c *AccessClaims) WithScopeField(jwt.JWTScopeFieldEnum) jwt.JWTClaimsContainer { return c }

// ToMapClaims renders the token payload.
func (c *AccessClaims) ToMapClaims() jwt.MapClaims {
	m := jwt.MapClaims{}
	for k, v := range c.Extra {
		if !reservedClaims[k] {
			m[k] = v
		}
	}
	m["iss"] = c.Issuer
	m["sub"] = c.Subject
	m["iat"] = c.IssuedAt.Unix()
	m["nbf"] = c.IssuedAt.Unix()
	m["exp"] = c.ExpiresAt.Unix()
	m["jti"] = c.JTI
	if c.ClientID != "" {
		m["client_id"] = c.ClientID
	}
	switch len(c.Audience) {
	case 0:
	case 1:
		m["aud"] = c.Audience[0]
	default:
		m["aud"] = slices.Clone(c.Audience)
	}
	if len(c.Scopes) > 0 {
		m["scp"] = strings.Join(c.Scopes, " ")
	}
	return m
}

func (c *AccessClaims) clone() *AccessClaims {
	cp := *c
	cp.Audience = slices.Clone(c.Audience)
	cp.Scopes = slices.Clone(c.Scopes)
	cp.Extra = maps.Clone(c.Extra)
	if cp.Extra == nil {
		cp.Extra = map[string]any{}
	}
	return &cp
}

// identify sets who a token is about and for: the subject, the client (which
// is also the default audience and `azp`), and the directory identifiers.
func (c *AccessClaims) identify(tenantID, clientID, subject, objectID string) {
	c.Subject = subject
	c.ClientID = clientID
	c.Audience = []string{clientID}
	c.Extra["oid"] = objectID
	c.Extra["tid"] = tenantID
	c.Extra["ver"] = "2.0"
	c.Extra["azp"] = clientID
}

// pairwiseSubject derives the app-specific `sub` from the stable object ID, so two
// apps cannot correlate a user through `sub` (ARCHITECTURE.md "Tokens").
func pairwiseSubject(salt []byte, objectID string) string {
	mac := hmac.New(sha256.New, salt)
	mac.Write([]byte(objectID))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
