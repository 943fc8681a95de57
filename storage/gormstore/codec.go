package gormstore

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// normalize returns t in UTC truncated to microseconds, the precision both
// dialects keep. The zero time stays zero.
func normalize(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// normalizePtr is normalize for optional times.
func normalizePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := normalize(*t)
	return &n
}

// orNow returns normalize(t), or now when t is zero.
func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return normalize(t)
}

// stringList stores a []string as a JSON array in a text column. An empty or
// nil list is written as "[]" and read back as nil.
type stringList []string

// Value implements driver.Valuer.
func (l stringList) Value() (driver.Value, error) {
	if len(l) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal([]string(l))
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan implements sql.Scanner.
func (l *stringList) Scan(src any) error {
	var raw []byte
	switch v := src.(type) {
	case nil:
		*l = nil
		return nil
	case string:
		raw = []byte(v)
	case []byte:
		raw = v
	default:
		return fmt.Errorf("gormstore: cannot scan %T into a string list", src)
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		return fmt.Errorf("gormstore: string list: %w", err)
	}
	if len(out) == 0 {
		out = nil
	}
	*l = out
	return nil
}

// tenantSettings stores storage.TenantSettings as JSON with durations written
// as Go duration strings ("1h0m0s"), so the column reads well and new settings
// need no migration.
type tenantSettings storage.TenantSettings

type tenantSettingsJSON struct {
	AccessTokenLifetime  string `json:"access_token_lifetime,omitempty"`
	IDTokenLifetime      string `json:"id_token_lifetime,omitempty"`
	RefreshTokenLifetime string `json:"refresh_token_lifetime,omitempty"`
	AuthCodeLifetime     string `json:"auth_code_lifetime,omitempty"`
	SessionLifetime      string `json:"session_lifetime,omitempty"`
	RequireMFA           bool   `json:"require_mfa,omitempty"`
	SecurityDefaults     bool   `json:"security_defaults,omitempty"`
	LockoutThreshold     int    `json:"lockout_threshold,omitempty"`
	LockoutDuration      string `json:"lockout_duration,omitempty"`
}

func durationText(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func parseDurationText(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return time.ParseDuration(s)
}

// Value implements driver.Valuer.
func (t tenantSettings) Value() (driver.Value, error) {
	b, err := json.Marshal(tenantSettingsJSON{
		AccessTokenLifetime:  durationText(t.AccessTokenLifetime),
		IDTokenLifetime:      durationText(t.IDTokenLifetime),
		RefreshTokenLifetime: durationText(t.RefreshTokenLifetime),
		AuthCodeLifetime:     durationText(t.AuthCodeLifetime),
		SessionLifetime:      durationText(t.SessionLifetime),
		RequireMFA:           t.RequireMFA,
		SecurityDefaults:     t.SecurityDefaults,
		LockoutThreshold:     t.LockoutThreshold,
		LockoutDuration:      durationText(t.LockoutDuration),
	})
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan implements sql.Scanner.
func (t *tenantSettings) Scan(src any) error {
	var raw []byte
	switch v := src.(type) {
	case string:
		raw = []byte(v)
	case []byte:
		raw = v
	default:
		return fmt.Errorf("gormstore: cannot scan %T into tenant settings", src)
	}
	var j tenantSettingsJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return fmt.Errorf("gormstore: tenant settings: %w", err)
	}
	out := tenantSettings{RequireMFA: j.RequireMFA, SecurityDefaults: j.SecurityDefaults, LockoutThreshold: j.LockoutThreshold}
	fields := []struct {
		text string
		dst  *time.Duration
	}{
		{j.AccessTokenLifetime, &out.AccessTokenLifetime},
		{j.IDTokenLifetime, &out.IDTokenLifetime},
		{j.RefreshTokenLifetime, &out.RefreshTokenLifetime},
		{j.AuthCodeLifetime, &out.AuthCodeLifetime},
		{j.SessionLifetime, &out.SessionLifetime},
		{j.LockoutDuration, &out.LockoutDuration},
	}
	for _, f := range fields {
		d, err := parseDurationText(f.text)
		if err != nil {
			return fmt.Errorf("gormstore: tenant settings: %w", err)
		}
		*f.dst = d
	}
	*t = out
	return nil
}
