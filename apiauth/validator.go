package apiauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Defaults of Config.
const (
	DefaultLeeway     = 30 * time.Second
	DefaultMinRefresh = 10 * time.Second
)

// DefaultAlgorithms are the signature algorithms accepted when Config sets none.
var DefaultAlgorithms = []jose.SignatureAlgorithm{jose.ES256, jose.RS256}

// Config describes what a Validator accepts.
type Config struct {
	// Issuer is the tenant's issuer, e.g. https://login.example.com/{tenantID}/v2.0.
	Issuer string
	// Audience is the API's identifier that tokens for it carry in aud.
	Audience string
	// JWKSURL, when set, is used instead of the discovery document's jwks_uri.
	JWKSURL string
	// Algorithms allowed in the token header (default DefaultAlgorithms).
	// Symmetric algorithms and "none" are never accepted.
	Algorithms []jose.SignatureAlgorithm
	// Leeway absorbs clock skew in exp, nbf and iat (default DefaultLeeway).
	Leeway time.Duration
	// MinRefresh is the least time between two key-set fetches (default
	// DefaultMinRefresh): a token with an unknown kid cannot make the API
	// hammer the issuer.
	MinRefresh time.Duration
	// HTTPClient fetches discovery and keys (default http.DefaultClient).
	HTTPClient *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Claims are the claims of a validated access token.
type Claims struct {
	Issuer   string
	Subject  string
	Audience []string
	Expiry   time.Time
	// ObjectID (oid) and TenantID (tid) identify the user and the directory.
	ObjectID string
	TenantID string
	// ClientID is the application the token was issued to (azp or client_id).
	ClientID string
	// Scopes are the delegated permissions (scp); Roles the app roles.
	Scopes []string
	Roles  []string
	// ACR, AMR and AuthTime describe how the user signed in.
	ACR      string
	AMR      []string
	AuthTime time.Time
}

// tokenClaims are the non-registered claims read from the payload.
type tokenClaims struct {
	Scope    string   `json:"scp"`
	Roles    []string `json:"roles"`
	ACR      string   `json:"acr"`
	AMR      []string `json:"amr"`
	AuthTime int64    `json:"auth_time"`
	ObjectID string   `json:"oid"`
	TenantID string   `json:"tid"`
	AZP      string   `json:"azp"`
	ClientID string   `json:"client_id"`
}

// Validator checks access tokens of one issuer for one audience. It is safe
// for concurrent use.
type Validator struct {
	cfg  Config
	keys *keySet
}

// New builds a Validator, reading the issuer's discovery document unless
// cfg.JWKSURL is set.
func New(ctx context.Context, cfg Config) (*Validator, error) {
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("apiauth: Config needs Issuer and Audience")
	}
	if err := checkAlgorithms(cfg.Algorithms); err != nil {
		return nil, err
	}
	setDefaults(&cfg)
	if cfg.JWKSURL == "" {
		var doc struct {
			Issuer  string `json:"issuer"`
			JWKSURI string `json:"jwks_uri"`
		}
		url := strings.TrimRight(cfg.Issuer, "/") + "/.well-known/openid-configuration"
		if err := getJSON(ctx, cfg.HTTPClient, url, &doc); err != nil {
			return nil, fmt.Errorf("apiauth: read discovery: %w", err)
		}
		if doc.Issuer != cfg.Issuer || doc.JWKSURI == "" {
			return nil, fmt.Errorf("apiauth: discovery names issuer %q and jwks_uri %q; want issuer %q", doc.Issuer, doc.JWKSURI, cfg.Issuer)
		}
		cfg.JWKSURL = doc.JWKSURI
	}
	ks := &keySet{url: cfg.JWKSURL, client: cfg.HTTPClient, minRefresh: cfg.MinRefresh, now: cfg.Now}
	return &Validator{cfg: cfg, keys: ks}, nil
}

func setDefaults(cfg *Config) {
	if len(cfg.Algorithms) == 0 {
		cfg.Algorithms = DefaultAlgorithms
	}
	if cfg.Leeway <= 0 {
		cfg.Leeway = DefaultLeeway
	}
	if cfg.MinRefresh <= 0 {
		cfg.MinRefresh = DefaultMinRefresh
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
}

func checkAlgorithms(algs []jose.SignatureAlgorithm) error {
	for _, a := range algs {
		switch a {
		case jose.ES256, jose.ES384, jose.ES512, jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512, jose.EdDSA:
		default:
			return fmt.Errorf("apiauth: algorithm %q is not an asymmetric signature algorithm", a)
		}
	}
	return nil
}

// ErrInvalidToken wraps every reason a token is refused.
var ErrInvalidToken = errors.New("invalid access token")

// Validate checks a raw access token and returns its claims, or an error
// wrapping ErrInvalidToken.
func (v *Validator) Validate(ctx context.Context, raw string) (*Claims, error) {
	tok, err := jwt.ParseSigned(raw, v.cfg.Algorithms)
	if err != nil {
		return nil, invalid("not a JWS signed with an allowed algorithm")
	}
	h := tok.Headers[0]
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); !isAccessTokenType(typ) {
		return nil, invalid("header typ is not at+jwt")
	}
	key, err := v.keys.key(ctx, h.KeyID)
	if err != nil {
		return nil, invalid(err.Error())
	}
	var std jwt.Claims
	var extra tokenClaims
	if err := tok.Claims(key.Key, &std, &extra); err != nil {
		return nil, invalid("signature does not verify")
	}
	exp := jwt.Expected{Issuer: v.cfg.Issuer, AnyAudience: jwt.Audience{v.cfg.Audience}, Time: v.cfg.Now()}
	if err := std.ValidateWithLeeway(exp, v.cfg.Leeway); err != nil {
		return nil, invalid(strings.TrimPrefix(err.Error(), "go-jose/go-jose/jwt: "))
	}
	if std.Expiry == nil {
		return nil, invalid("token has no exp")
	}
	return claimsFrom(std, extra), nil
}

func isAccessTokenType(typ string) bool {
	return strings.EqualFold(typ, "at+jwt") || strings.EqualFold(typ, "application/at+jwt")
}

func claimsFrom(std jwt.Claims, extra tokenClaims) *Claims {
	c := &Claims{
		Issuer: std.Issuer, Subject: std.Subject, Audience: std.Audience, Expiry: std.Expiry.Time(),
		ObjectID: extra.ObjectID, TenantID: extra.TenantID, ClientID: extra.AZP,
		Scopes: strings.Fields(extra.Scope), Roles: extra.Roles, ACR: extra.ACR, AMR: extra.AMR,
	}
	if c.ClientID == "" {
		c.ClientID = extra.ClientID
	}
	if extra.AuthTime > 0 {
		c.AuthTime = time.Unix(extra.AuthTime, 0)
	}
	return c
}

func invalid(why string) error { return fmt.Errorf("%w: %s", ErrInvalidToken, why) }
