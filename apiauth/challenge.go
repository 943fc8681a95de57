package apiauth

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The acr values Sigil issues, weakest first.
const (
	ACRSingleFactor         = "urn:sigil:acr:sfa"
	ACRMFA                  = "urn:sigil:acr:mfa"
	ACRPasswordlessMFA      = "urn:sigil:acr:passwordless-mfa"
	ACRPhishingResistantMFA = "urn:sigil:acr:phishing-resistant-mfa"
)

// AtLeastMFA lists the acr values that prove a second factor.
var AtLeastMFA = []string{ACRMFA, ACRPasswordlessMFA, ACRPhishingResistantMFA}

// Requirement is what an endpoint asks of a valid token. Every non-empty
// field must hold.
type Requirement struct {
	// Scopes must all be in scp.
	Scopes []string
	// Roles: at least one must be in roles.
	Roles []string
	// ACRValues: acr must be one of them (RFC 9470).
	ACRValues []string
	// MaxAge: auth_time must be at most this old (RFC 9470).
	MaxAge time.Duration
}

type claimsKey struct{}

// FromContext returns the claims Middleware stored, or nil.
func FromContext(ctx context.Context) *Claims {
	c, _ := ctx.Value(claimsKey{}).(*Claims)
	return c
}

// Middleware lets a request through only with a valid Bearer token (RFC 6750
// §2.1, the Authorization header only), storing its claims for FromContext.
func (v *Validator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, ok := bearer(r)
		if !ok {
			challenge(w, http.StatusUnauthorized, nil)
			return
		}
		c, err := v.Validate(r.Context(), raw)
		if err != nil {
			desc := "the access token is not valid"
			if errors.Is(err, ErrInvalidToken) {
				desc = err.Error()
			}
			challenge(w, http.StatusUnauthorized, [][2]string{{"error", "invalid_token"}, {"error_description", desc}})
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), claimsKey{}, c)))
	})
}

// Require is Middleware plus the requirement: a token without the scopes or
// roles gets 403 insufficient_scope, one whose sign-in is too weak or too old
// gets 401 insufficient_user_authentication with acr_values and max_age.
func (v *Validator) Require(req Requirement, next http.Handler) http.Handler {
	return v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := FromContext(r.Context())
		if status, params := req.check(c, v.cfg.Now()); status != 0 {
			challenge(w, status, params)
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// check returns the challenge for claims that do not meet the requirement,
// or status 0.
func (req Requirement) check(c *Claims, now time.Time) (int, [][2]string) {
	missingScope := slices.ContainsFunc(req.Scopes, func(s string) bool { return !slices.Contains(c.Scopes, s) })
	noRole := len(req.Roles) > 0 && !slices.ContainsFunc(req.Roles, func(r string) bool { return slices.Contains(c.Roles, r) })
	if missingScope || noRole {
		params := [][2]string{{"error", "insufficient_scope"}, {"error_description", "the token lacks a required scope or role"}}
		if len(req.Scopes) > 0 {
			params = append(params, [2]string{"scope", strings.Join(req.Scopes, " ")})
		}
		return http.StatusForbidden, params
	}
	weak := len(req.ACRValues) > 0 && !slices.Contains(req.ACRValues, c.ACR)
	old := req.MaxAge > 0 && (c.AuthTime.IsZero() || now.Sub(c.AuthTime) > req.MaxAge)
	if !weak && !old {
		return 0, nil
	}
	desc := "a stronger authentication is required"
	if !weak {
		desc = "a more recent authentication is required"
	}
	params := [][2]string{{"error", "insufficient_user_authentication"}, {"error_description", desc}}
	if len(req.ACRValues) > 0 {
		params = append(params, [2]string{"acr_values", strings.Join(req.ACRValues, " ")})
	}
	if req.MaxAge > 0 {
		params = append(params, [2]string{"max_age", strconv.FormatInt(int64(req.MaxAge/time.Second), 10)})
	}
	return http.StatusUnauthorized, params
}

// bearer reads "Authorization: Bearer <token>".
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

// challenge writes a WWW-Authenticate: Bearer challenge (RFC 6750 §3) with
// params (max_age unquoted, RFC 9470 §3) and a short JSON body.
func challenge(w http.ResponseWriter, status int, params [][2]string) {
	parts := []string{`realm="api"`}
	code := ""
	for _, p := range params {
		if p[0] == "max_age" {
			parts = append(parts, p[0]+"="+p[1])
			continue
		}
		parts = append(parts, p[0]+`="`+quoteSafe(p[1])+`"`)
		if p[0] == "error" {
			code = p[1]
		}
	}
	w.Header().Set("WWW-Authenticate", "Bearer "+strings.Join(parts, ", "))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if code == "" {
		code = "unauthorized"
	}
	_, _ = w.Write([]byte(`{"error":"` + code + `"}` + "\n"))
}

// quoteSafe keeps a parameter inside its quotes: RFC 6750 allows only
// printable ASCII other than " and \.
func quoteSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '\''
		}
		return r
	}, s)
}
