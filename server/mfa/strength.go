package mfa

import (
	"encoding/json"
	"slices"
	"strings"
)

// Level is an authentication strength, ordered: a higher level satisfies
// every lower one (phishing-resistant MFA is also passwordless MFA and MFA).
type Level int

// Authentication strengths (Entra's built-in strengths, F-36).
const (
	LevelNone                 Level = iota // not signed in
	LevelSingleFactor                      // a password alone
	LevelMFA                               // two factors, e.g. password + TOTP
	LevelPasswordlessMFA                   // multi-factor without a password
	LevelPhishingResistantMFA              // origin-bound keys (passkeys)
)

// The acr values Sigil issues and accepts, one per Level (doc.go has the table).
const (
	ACRSingleFactor         = "urn:sigil:acr:sfa"
	ACRMFA                  = "urn:sigil:acr:mfa"
	ACRPasswordlessMFA      = "urn:sigil:acr:passwordless-mfa"
	ACRPhishingResistantMFA = "urn:sigil:acr:phishing-resistant-mfa"
)

var acrByLevel = map[Level]string{
	LevelSingleFactor:         ACRSingleFactor,
	LevelMFA:                  ACRMFA,
	LevelPasswordlessMFA:      ACRPasswordlessMFA,
	LevelPhishingResistantMFA: ACRPhishingResistantMFA,
}

// ACRValues lists the acr values Sigil supports, weakest first (discovery's
// acr_values_supported).
func ACRValues() []string {
	return []string{ACRSingleFactor, ACRMFA, ACRPasswordlessMFA, ACRPhishingResistantMFA}
}

// ACR returns the acr value of the level ("" for LevelNone).
func (l Level) ACR() string { return acrByLevel[l] }

// ParseACR returns the level of an acr value Sigil knows.
func ParseACR(acr string) (Level, bool) {
	for l, v := range acrByLevel {
		if v == acr {
			return l, true
		}
	}
	return LevelNone, false
}

// LevelOf is the level recorded in a flow or session (storage's ACR field);
// an empty or unknown value counts as none.
func LevelOf(acr string) Level {
	l, _ := ParseACR(acr)
	return l
}

// Requirement is what the authorize request asks of the authentication.
type Requirement struct {
	// Level is the weakest requested strength that satisfies the client
	// (LevelNone: no acr was requested, or none Sigil knows).
	Level Level
	// Essential is set when the claims parameter marks acr essential: a
	// sign-in that cannot reach Level fails (OIDC Core §5.5.1.1).
	Essential bool
	// Unknown is set when acr was requested as essential with values of
	// which Sigil knows none: nothing can satisfy it.
	Unknown bool
}

// Requested reads acr_values (voluntary, OIDC Core §3.1.2.1) and the claims
// parameter's id_token/userinfo "acr" member (§5.5.1.1) from the authorize
// request. An essential claim wins over acr_values. Malformed claims JSON is
// ignored here (server/op validated the request).
func Requested(acrValues, claims string) Requirement {
	if values, essential, ok := essentialACR(claims); ok {
		if !essential {
			return weakest(append(values, strings.Fields(acrValues)...))
		}
		if len(values) == 0 {
			return Requirement{Essential: true}
		}
		r := weakest(values)
		r.Essential = true
		r.Unknown = r.Level == LevelNone
		return r
	}
	return weakest(strings.Fields(acrValues))
}

// weakest is the requirement met by any of the known values.
func weakest(values []string) Requirement {
	var r Requirement
	for _, v := range values {
		if l, ok := ParseACR(v); ok && (r.Level == LevelNone || l < r.Level) {
			r.Level = l
		}
	}
	return r
}

// acrClaim is one claim request of the claims parameter.
type acrClaim struct {
	Essential bool     `json:"essential"`
	Value     string   `json:"value"`
	Values    []string `json:"values"`
}

// essentialACR returns the acr values of the claims parameter and whether
// they are essential; ok is false when the parameter requests no acr.
func essentialACR(claims string) (values []string, essential, ok bool) {
	if claims == "" {
		return nil, false, false
	}
	var req map[string]map[string]*acrClaim
	if json.Unmarshal([]byte(claims), &req) != nil {
		return nil, false, false
	}
	for _, target := range []string{"id_token", "userinfo"} {
		c, present := req[target]["acr"]
		if !present {
			continue
		}
		ok = true
		if c == nil {
			continue
		}
		essential = essential || c.Essential
		if c.Value != "" {
			values = append(values, c.Value)
		}
		values = append(values, c.Values...)
	}
	return slices.Compact(values), essential, ok
}

// Satisfies reports whether an authentication at level l meets r.
func (r Requirement) Satisfies(l Level) bool {
	return !r.Unknown && l >= r.Level
}

// AMR merges the amr values of a further factor into those of the
// authentication so far and adds "mfa" (RFC 8176) once two factors are in.
func AMR(current, added []string, level Level) []string {
	out := slices.Clone(current)
	for _, v := range added {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if level >= LevelMFA && !slices.Contains(out, "mfa") {
		out = append(out, "mfa")
	}
	return out
}
