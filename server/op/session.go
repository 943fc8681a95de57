package op

import (
	"maps"
	"slices"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/token/jwt"
)

// Session is the fosite session of every Sigil grant. It carries the ID token
// claims (embedded openid.DefaultSession), the access token claims, and the
// identifiers storage needs (tenant, user, browser session).
type Session struct {
	*openid.DefaultSession
	Tenant  string        `json:"tenant_id"`
	User    string        `json:"user_id,omitempty"`
	Browser string        `json:"browser_session_id,omitempty"`
	Access  *AccessClaims `json:"access"`
	Header  *jwt.Headers  `json:"access_header"`
	// IDDirectoryClaims and AccessDirectoryClaims name the directory claims
	// (groups, roles, optional claims) added to each token, so a refresh
	// replaces exactly those.
	IDDirectoryClaims     []string `json:"id_directory_claims,omitempty"`
	AccessDirectoryClaims []string `json:"access_directory_claims,omitempty"`
}

// newSession returns an empty session for the tenant with access tokens typed
// `at+jwt` (RFC 9068 §2.1) and signed with alg.
func newSession(tenantID, alg string) *Session {
	idHeader := jwt.NewHeaders()
	idHeader.Add("alg", alg)
	atHeader := jwt.NewHeaders()
	atHeader.Add("alg", alg)
	atHeader.Add("typ", "at+jwt")
	return &Session{
		DefaultSession: &openid.DefaultSession{
			Claims:    &jwt.IDTokenClaims{Extra: map[string]any{}},
			Headers:   idHeader,
			ExpiresAt: map[fosite.TokenType]time.Time{},
		},
		Tenant: tenantID,
		Access: &AccessClaims{Extra: map[string]any{}},
		Header: atHeader,
	}
}

// TenantID, UserID and BrowserSessionID let the storage adapter index records.
func (s *Session) TenantID() string         { return s.Tenant }
func (s *Session) UserID() string           { return s.User }
func (s *Session) BrowserSessionID() string { return s.Browser }

// GetJWTClaims returns the access token claims (oauth2.JWTSessionContainer).
func (s *Session) GetJWTClaims() jwt.JWTClaimsContainer { return s.Access }

// GetJWTHeader returns the access token header (oauth2.JWTSessionContainer).
func (s *Session) GetJWTHeader() *jwt.Headers { return s.Header }

// Clone returns a deep copy; fosite clones the session on refresh.
func (s *Session) Clone() fosite.Session {
	if s == nil {
		return nil
	}
	c := *s
	if s.DefaultSession != nil {
		d := *s.DefaultSession
		if d.Claims != nil {
			claims := *d.Claims
			claims.Audience = slices.Clone(claims.Audience)
			claims.AuthenticationMethodsReferences = slices.Clone(claims.AuthenticationMethodsReferences)
			claims.Extra = maps.Clone(claims.Extra)
			d.Claims = &claims
		}
		d.Headers = cloneHeaders(d.Headers)
		d.ExpiresAt = maps.Clone(d.ExpiresAt)
		c.DefaultSession = &d
	}
	if s.Access != nil {
		c.Access = s.Access.clone()
	}
	c.Header = cloneHeaders(s.Header)
	return &c
}

func cloneHeaders(h *jwt.Headers) *jwt.Headers {
	if h == nil {
		return nil
	}
	return &jwt.Headers{Extra: maps.Clone(h.Extra)}
}
