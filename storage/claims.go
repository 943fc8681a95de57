package storage

// OptionalClaims are an application's optional claims per token type, as in
// Entra's optionalClaims (server/claims gives them meaning and validates them).
type OptionalClaims struct {
	IDToken     []OptionalClaim `json:"idToken,omitempty"`
	AccessToken []OptionalClaim `json:"accessToken,omitempty"`
}

// OptionalClaim is one requested claim: a catalogue name, an extension
// attribute, or `groups` with the group form in AdditionalProperties.
type OptionalClaim struct {
	Name                 string   `json:"name"`
	AdditionalProperties []string `json:"additionalProperties,omitempty"`
}
