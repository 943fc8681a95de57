package op

import (
	"net/http"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/tenancy"
)

// discovery is the OpenID Provider Metadata (OIDC Discovery §3, RFC 8414) of a tenant.
type discovery struct {
	Issuer                        string   `json:"issuer"`
	AuthorizationEndpoint         string   `json:"authorization_endpoint"`
	TokenEndpoint                 string   `json:"token_endpoint"`
	UserinfoEndpoint              string   `json:"userinfo_endpoint"`
	JWKSURI                       string   `json:"jwks_uri"`
	EndSessionEndpoint            string   `json:"end_session_endpoint"`
	IntrospectionEndpoint         string   `json:"introspection_endpoint"`
	RevocationEndpoint            string   `json:"revocation_endpoint"`
	TenantID                      string   `json:"tenant_id"`
	ResponseTypes                 []string `json:"response_types_supported"`
	ResponseModes                 []string `json:"response_modes_supported"`
	GrantTypes                    []string `json:"grant_types_supported"`
	SubjectTypes                  []string `json:"subject_types_supported"`
	IDTokenSigningAlgs            []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethods      []string `json:"token_endpoint_auth_methods_supported"`
	TokenEndpointAuthSigningAlgs  []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	IntrospectionAuthMethods      []string `json:"introspection_endpoint_auth_methods_supported"`
	RevocationAuthMethods         []string `json:"revocation_endpoint_auth_methods_supported"`
	CodeChallengeMethods          []string `json:"code_challenge_methods_supported"`
	Scopes                        []string `json:"scopes_supported"`
	Claims                        []string `json:"claims_supported"`
	PromptValues                  []string `json:"prompt_values_supported"`
	AuthorizationResponseIssParam bool     `json:"authorization_response_iss_parameter_supported"`
	RequestParameterSupported     bool     `json:"request_parameter_supported"`
	RequestURIParameterSupported  bool     `json:"request_uri_parameter_supported"`
	ClaimsParameterSupported      bool     `json:"claims_parameter_supported"`
	ACRValues                     []string `json:"acr_values_supported"`
	FrontchannelLogoutSupported   bool     `json:"frontchannel_logout_supported"`
	BackchannelLogoutSupported    bool     `json:"backchannel_logout_supported"`
	AccessTokenSigningAlgs        []string `json:"access_token_signing_alg_values_supported"`
	RequirePushedAuthorization    bool     `json:"require_pushed_authorization_requests"`
}

var (
	clientAuthMethods = []string{"client_secret_basic", "client_secret_post", "private_key_jwt"}
	signingAlgs       = []string{"ES256", "RS256"}
)

func (p *Provider) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	t := tenancy.FromContext(r.Context())
	base := p.BaseURL + "/" + t.ID
	d := discovery{
		Issuer:                        issuerURL(p.BaseURL, t.ID),
		AuthorizationEndpoint:         base + "/oauth2/v2.0/authorize",
		TokenEndpoint:                 base + "/oauth2/v2.0/token",
		UserinfoEndpoint:              base + "/oidc/userinfo",
		JWKSURI:                       base + "/discovery/v2.0/keys",
		EndSessionEndpoint:            base + "/oauth2/v2.0/logout",
		IntrospectionEndpoint:         base + "/oauth2/v2.0/introspect",
		RevocationEndpoint:            base + "/oauth2/v2.0/revoke",
		TenantID:                      t.ID,
		ResponseTypes:                 []string{"code"},
		ResponseModes:                 []string{"query", "form_post"},
		GrantTypes:                    []string{"authorization_code", "refresh_token", "client_credentials"},
		SubjectTypes:                  []string{"pairwise"},
		IDTokenSigningAlgs:            signingAlgs,
		AccessTokenSigningAlgs:        signingAlgs,
		TokenEndpointAuthMethods:      append([]string{"none"}, clientAuthMethods...),
		TokenEndpointAuthSigningAlgs:  signingAlgs,
		IntrospectionAuthMethods:      clientAuthMethods,
		RevocationAuthMethods:         append([]string{"none"}, clientAuthMethods...),
		CodeChallengeMethods:          []string{"S256"},
		Scopes:                        []string{"openid", "profile", "email", "offline_access"},
		PromptValues:                  []string{"none", "login", "consent", "select_account"},
		AuthorizationResponseIssParam: true,
		// The claims parameter is honoured for acr (server/mfa.Requested).
		ClaimsParameterSupported: true,
		ACRValues:                mfa.ACRValues(),
		Claims: []string{
			"iss", "sub", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "amr", "acr", "sid", "at_hash",
			"oid", "tid", "ver", "azp", "name", "preferred_username", "given_name", "family_name", "email",
			"groups", "roles", "wids", "upn", "ctry", "acct", "_claim_names", "_claim_sources",
		},
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, d)
}

// handleJWKS serves the tenant's published keys: the active key, the next key
// (published before it signs anything) and retired keys whose tokens may still
// be valid. Caches may keep it for five minutes; a rotation publishes its next
// key a full rotation ahead, so a cached set always knows the signing key.
func (p *Provider) handleJWKS(w http.ResponseWriter, r *http.Request) {
	t := tenancy.FromContext(r.Context())
	body, err := p.Keys.JWKSJSON(r.Context(), t.ID)
	if err != nil {
		p.Logger.ErrorContext(r.Context(), "load JWKS", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "temporarily_unavailable"})
		return
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	_, _ = w.Write(body)
}
