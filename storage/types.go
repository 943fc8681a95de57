package storage

import "time"

// Tenant is one isolated directory. Its ID is a UUID; it is also
// reachable through any of its verified domains.
type Tenant struct {
	ID          string
	DisplayName string
	Settings    TenantSettings
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TenantSettings holds per-tenant knobs. A zero duration means "use Sigil's default"
// (see DefaultTenantSettings).
type TenantSettings struct {
	AccessTokenLifetime  time.Duration
	IDTokenLifetime      time.Duration
	RefreshTokenLifetime time.Duration
	AuthCodeLifetime     time.Duration
	SessionLifetime      time.Duration
	// RequireMFA: every user of the tenant signs in with MFA and registers a
	// method first when they have none (server/mfa.BaselinePolicy).
	RequireMFA bool
	// SecurityDefaults is Entra's security defaults (F-04..F-18): MFA
	// registration for everyone, MFA for administrators on every sign-in and
	// for everyone on the admin resource, legacy authentication blocked.
	// New tenants start with it on (F-14); Conditional Access policies cannot
	// be enabled while it is (F-17).
	SecurityDefaults bool
	// LockoutThreshold is the number of failed passwords that locks an account
	// out (smart lockout, F-30); 0 means Sigil's default (server/lockout).
	LockoutThreshold int
	// LockoutDuration is the first lockout's length, doubled for each further
	// lockout; 0 means Sigil's default (server/lockout).
	LockoutDuration time.Duration
}

// Domain is a DNS name that identifies a tenant in UPNs and in `{tenant}` URL
// segments. Only verified domains resolve a tenant.
type Domain struct {
	Name      string // lower-case, unique across all tenants
	TenantID  string
	Verified  bool
	Initial   bool
	CreatedAt time.Time
}

// User types.
const (
	UserTypeMember = "Member"
	UserTypeGuest  = "Guest"
)

// User is a person in a tenant's directory. ID is the stable object ID (`oid`).
type User struct {
	ID                string
	TenantID          string
	UserPrincipalName string // lower-case, unique per tenant
	DisplayName       string
	GivenName         string
	Surname           string
	Mail              string
	UserType          string
	AccountEnabled    bool
	PasswordHash      string // PHC-formatted argon2id; empty means no password
	// Profile attributes (A-25, B-10), usable in dynamic membership rules.
	Department     string
	JobTitle       string
	CompanyName    string
	EmployeeID     string
	City           string
	Country        string
	UsageLocation  string // ISO 3166 two-letter code
	MobilePhone    string
	OtherMails     []string
	ProxyAddresses []string
	// ExtensionAttributes holds extensionAttribute1..15 by number (index 0 is
	// extensionAttribute1); "" is unset (B-47).
	ExtensionAttributes [15]string
	// DirectoryExtensions holds values of directory extension attributes
	// registered by applications (ExtensionProperty), keyed by their
	// lower-case extension_<appid>_<name> name (B-47).
	DirectoryExtensions map[string]string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Token endpoint authentication methods (RFC 7591 names).
const (
	AuthMethodNone              = "none"
	AuthMethodClientSecretBasic = "client_secret_basic"
	AuthMethodClientSecretPost  = "client_secret_post"
	AuthMethodPrivateKeyJWT     = "private_key_jwt"
)

// Application is an OAuth client registered in a tenant. ID is the client_id
// (Entra's appId), unique across tenants.
type Application struct {
	ID                      string
	TenantID                string
	DisplayName             string
	Public                  bool // SPA/native: no secret, PKCE required
	FirstParty              bool // consent is implied
	RedirectURIs            []string
	PostLogoutRedirectURIs  []string
	GrantTypes              []string
	Scopes                  []string // scopes the app may request
	TokenEndpointAuthMethod string
	JWKS                    string // public JWK set (JSON) for private_key_jwt
	SigningAlg              string // "ES256" (default) or "RS256"
	SubjectSalt             []byte // per-app salt for the pairwise `sub`
	// GroupMembershipClaims and OptionalClaims are the app's claim settings
	// (server/claims): Entra's groupMembershipClaims ("" means None) and
	// optionalClaims per token type.
	GroupMembershipClaims string
	OptionalClaims        OptionalClaims
	Secrets               []ClientSecret
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// ClientSecret is a generated secret, stored only as a SHA-256 digest.
type ClientSecret struct {
	ID        string
	Hint      string // first characters, shown in listings
	Digest    []byte
	CreatedAt time.Time
	ExpiresAt *time.Time
}

// Signing key states. A key is published in JWKS in every state except when a
// retired key's tokens have all expired (then it is deleted).
const (
	KeyStateNext    = "next"    // published, not yet used to sign
	KeyStateActive  = "active"  // signs new tokens; exactly one per tenant and algorithm
	KeyStateRetired = "retired" // published until RetiredAt + the longest token lifetime
)

// SigningKey is a per-tenant JWT signing key. The private key is stored encrypted
// under the master secret; the public half is stored as a JWK for JWKS.
type SigningKey struct {
	ID                   string // the `kid`
	TenantID             string
	Algorithm            string // ES256 or RS256
	State                string
	PrivateKeyCiphertext []byte
	PublicJWK            []byte
	CreatedAt            time.Time
	ActivatedAt          *time.Time
	RetiredAt            *time.Time
}

// OAuth record kinds kept for fosite.
const (
	KindAuthorizeCode = "authorize_code"
	KindAccessToken   = "access_token"
	KindRefreshToken  = "refresh_token"
	KindPKCE          = "pkce"
	KindOIDC          = "oidc"
)

// OAuthRecord is one stored OAuth artefact (code, token, PKCE or OIDC request).
// Signature is a digest of the token signature or code, never the raw value.
// Data is the serialized request, opaque to storage.
type OAuthRecord struct {
	Kind            string
	Signature       string
	RequestID       string
	TenantID        string
	ClientID        string
	Subject         string // user ID, empty for client credentials
	SessionID       string // browser session (sid), empty when none
	AccessSignature string // refresh tokens: the access token issued with it
	Active          bool
	Data            []byte
	RequestedAt     time.Time
	ExpiresAt       time.Time
}

// Flow is the stored state of one browser sign-in, from the authorize request
// until the authorization response (see server/authflow).
type Flow struct {
	ID            string
	TenantID      string
	ClientID      string
	AuthorizeForm string // the validated authorize request parameters, URL-encoded
	Step          string
	StepNonce     string // single-use nonce behind the step verifier
	Prompt        string
	MaxAge        int // seconds; -1 when absent
	LoginHint     string
	UserID        string
	SessionID     string
	AuthTime      *time.Time
	AMR           []string
	ACR           string // authentication context class reached (server/mfa)
	GrantedScopes []string
	Failures      int
	// Facts is what the sign-in learned on the way, for Conditional Access
	// at its later steps (server/access owns the encoding).
	Facts     string
	CreatedAt time.Time
	UpdatedAt time.Time
	ExpiresAt time.Time
}

// BrowserSession is a signed-in browser (the SSO session, `sid`).
type BrowserSession struct {
	ID        string
	TenantID  string
	UserID    string
	AuthTime  time.Time
	AMR       []string
	ACR       string // authentication context class reached (server/mfa)
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

// Consent records scopes a user granted to an application.
type Consent struct {
	TenantID  string
	UserID    string
	ClientID  string
	Scopes    []string
	GrantedAt time.Time
}

// Authentication method kinds (server/mfa owns their meaning).
const (
	AuthMethodTOTP     = "totp"
	AuthMethodPasskey  = "passkey"
	AuthMethodApprover = "approver"
)

// AuthMethod is one registered authentication method of a user (a TOTP
// authenticator, a passkey, an approver device). Secret is opaque sealed data
// (server/mfa encrypts it); storage never sees a plaintext secret.
type AuthMethod struct {
	ID       string
	TenantID string
	UserID   string
	Kind     string
	Name     string
	// Handle is an optional lookup key unique per tenant and kind (a passkey's
	// credential ID); empty when the kind needs none.
	Handle string
	Secret []byte
	// Confirmed is false while a registration waits for its proof (a TOTP
	// code); unconfirmed methods never satisfy a sign-in.
	Confirmed bool
	// TOTPLastStep is the last RFC 6238 time step accepted (replay guard).
	TOTPLastStep int64
	CreatedAt    time.Time
	LastUsedAt   *time.Time
}

// RecoveryCode is one of a user's one-time recovery codes, stored as a
// SHA-256 digest.
type RecoveryCode struct {
	ID        string
	TenantID  string
	UserID    string
	Digest    []byte
	CreatedAt time.Time
	UsedAt    *time.Time
}

// MFAState is a user's MFA bookkeeping: the admin's "re-registration
// required" flag and the failed second-factor attempts (throttling across
// replicas). A user without a row has the zero state.
type MFAState struct {
	TenantID             string
	UserID               string
	RegistrationRequired bool
	Failures             int
	LastFailureAt        *time.Time
}
