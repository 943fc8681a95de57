package main

import (
	"strings"
	"testing"
)

// TestTenantMFASetting: `sigil tenant mfa` shows the setting and --require
// changes it (F-04); anything but true or false is refused.
func TestTenantMFASetting(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var got struct {
		RequireMFA bool `json:"requireMfa"`
	}
	h.mustJSON(&got, "tenant", "mfa", "--tenant", "contoso.example")
	if got.RequireMFA {
		t.Fatal("a new tenant requires MFA before anyone asked")
	}
	h.mustJSON(&got, "tenant", "mfa", "--tenant", "contoso.example", "--require", "true")
	h.mustJSON(&got, "tenant", "mfa", "--tenant", "contoso.example")
	if !got.RequireMFA {
		t.Error("--require true did not stick")
	}
	if r := h.run("tenant", "mfa", "--tenant", "contoso.example", "--require", "sometimes"); r.code == 0 ||
		!strings.Contains(r.stderr, "not true or false") {
		t.Errorf("--require sometimes: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestUserRequireMFARegistration: the admin command names the user it acted
// on and refuses an unknown one.
func TestUserRequireMFARegistration(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	h.mustRun("user", "create", "--tenant", "contoso.example", "--upn", "alice@contoso.example", "--display-name", "Alice")
	var got struct {
		User     string `json:"user"`
		Required bool   `json:"mfaRegistrationRequired"`
	}
	h.mustJSON(&got, "user", "require-mfa-registration", "--tenant", "contoso.example", "--user", "alice@contoso.example")
	if got.User != "alice@contoso.example" || !got.Required {
		t.Errorf("got %+v", got)
	}
	if r := h.run("user", "require-mfa-registration", "--tenant", "contoso.example", "--user", "nobody@contoso.example"); r.code != exitError ||
		!strings.Contains(r.stderr, "not found") {
		t.Errorf("unknown user: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestTenantSecurityDefaults: a new tenant starts with security defaults on
// (F-14); the command turns them off and on again, revoking sessions on
// request (F-18), and refuses a revocation without enabling.
func TestTenantSecurityDefaults(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var got struct {
		SecurityDefaults bool  `json:"securityDefaults"`
		Revoked          int64 `json:"revokedRefreshTokens"`
	}
	h.mustJSON(&got, "tenant", "security-defaults", "--tenant", "contoso.example")
	if !got.SecurityDefaults {
		t.Fatal("a new tenant starts without security defaults")
	}
	h.mustJSON(&got, "tenant", "security-defaults", "--tenant", "contoso.example", "--enabled", "false")
	if got.SecurityDefaults {
		t.Error("--enabled false did not stick")
	}
	h.mustJSON(&got, "tenant", "security-defaults", "--tenant", "contoso.example", "--enabled", "true", "--revoke-sessions")
	if !got.SecurityDefaults || got.Revoked != 0 {
		t.Errorf("enable with revocation = %+v, want enabled and 0 tokens revoked", got)
	}
	if r := h.run("tenant", "security-defaults", "--tenant", "contoso.example", "--revoke-sessions"); r.code == 0 ||
		!strings.Contains(r.stderr, "goes with --enabled true") {
		t.Errorf("--revoke-sessions alone: exit %d, stderr %q", r.code, r.stderr)
	}
	h.mustRun("tenant", "create", "--name", "Fabrikam", "--domain", "fabrikam.example", "--security-defaults=false")
	h.mustJSON(&got, "tenant", "security-defaults", "--tenant", "fabrikam.example")
	if got.SecurityDefaults {
		t.Error("--security-defaults=false at creation did not stick")
	}
}
