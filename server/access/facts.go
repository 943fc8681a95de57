package access

import (
	"encoding/json"
)

// Facts is what a sign-in learned at its first factor and later steps,
// carried in storage.Flow.Facts.
type Facts struct {
	// Unfamiliar: the user had not signed in from this network lately.
	Unfamiliar bool `json:"unfamiliar,omitempty"`
	// Risk is the sign-in risk level and Detections what raised it.
	Risk       string   `json:"risk,omitempty"`
	Detections []string `json:"detections,omitempty"`
	// FreshAuth: the user authenticated during this sign-in (a password or
	// passkey), rather than through the single sign-on session.
	FreshAuth bool `json:"freshAuth,omitempty"`
	// PasswordChanged: the user changed their password during the sign-in.
	PasswordChanged bool `json:"passwordChanged,omitempty"`
}

// DecodeFacts reads a flow's facts; an empty or unreadable value is no facts
// (a flow from before the column existed).
func DecodeFacts(s string) Facts {
	var f Facts
	if s != "" {
		_ = json.Unmarshal([]byte(s), &f)
	}
	return f
}

// Encode writes the facts for storage.Flow.Facts.
func (f Facts) Encode() string {
	b, err := json.Marshal(f)
	if err != nil || string(b) == "{}" {
		return ""
	}
	return string(b)
}

// Terms is one terms-of-use document in its current version (G-25).
type Terms struct {
	ID          string
	DisplayName string
	Content     string
	Version     int
}
