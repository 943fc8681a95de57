package main

import (
	"context"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/storage/gormstore"
)

func TestPasswordBanUnbanAndBanned(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var got bannedJSON
	h.mustJSON(&got, "password", "ban", "--tenant", "contoso.example", "--term", "Contoso", "--term", "blizzard", "--term", "CONTOSO")
	if strings.Join(got.Terms, ",") != "blizzard,contoso" || len(got.Added) != 2 {
		t.Errorf("ban: %+v, want two lower-case terms added once", got)
	}
	r := h.run("password", "ban", "--tenant", "contoso.example", "--term", "abc", "--term", "much-too-long-a-term")
	if r.code != exitError || !strings.Contains(r.stderr, `"abc" must be 4 to 16 characters`) || !strings.Contains(r.stderr, "much-too-long-a-term") {
		t.Errorf("bad terms: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := h.run("password", "ban", "--tenant", "contoso.example"); r.code != exitUsage {
		t.Errorf("ban without terms: exit %d, want usage error", r.code)
	}
	h.mustRun("password", "unban", "--tenant", "contoso.example", "--term", "Blizzard")
	h.mustJSON(&got, "password", "banned", "--tenant", "contoso.example")
	if strings.Join(got.Terms, ",") != "contoso" {
		t.Errorf("after unban: %q", got.Terms)
	}
	r = h.runWithInput("Contoso2024!\n", "user", "create", "--tenant", "contoso.example", "--upn", "bob@contoso.example", "--password-stdin")
	if r.code != exitError || !strings.Contains(r.stderr, "too easy to guess") || strings.Contains(r.stderr, "Contoso2024!") {
		t.Errorf("a password on the custom list: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestTenantLockoutSettings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var got lockoutJSON
	h.mustJSON(&got, "tenant", "lockout", "--tenant", "contoso.example")
	if got.Threshold != 10 || got.Duration != "1m0s" {
		t.Errorf("defaults: %+v", got)
	}
	h.mustJSON(&got, "tenant", "lockout", "--tenant", "contoso.example", "--threshold", "5", "--duration", "2m")
	if got.Threshold != 5 || got.Duration != "2m0s" {
		t.Errorf("after change: %+v", got)
	}
	r := h.run("tenant", "lockout", "--tenant", "contoso.example", "--threshold", "1000", "--duration", "48h")
	if r.code != exitError || !strings.Contains(r.stderr, "threshold must be") || !strings.Contains(r.stderr, "duration must be") {
		t.Errorf("out of range: exit %d, stderr %q", r.code, r.stderr)
	}
	h.mustJSON(&got, "tenant", "lockout", "--tenant", "contoso.example", "--threshold", "0")
	if got.Threshold != 10 || got.Duration != "2m0s" {
		t.Errorf("threshold 0 must restore only the default threshold: %+v", got)
	}
}

func TestPasswordUnlock(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tenant := createTenant(t, h, "contoso.example")
	var user userJSON
	h.mustJSON(&user, "user", "create", "--tenant", "contoso.example", "--upn", "alice@contoso.example")

	ctx := context.Background()
	store, err := gormstore.Open(ctx, filepath.Join(h.env["SIGIL_DATA_DIR"], "sigil.db"), gormstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tn, err := store.GetTenant(ctx, tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	guard := &lockout.Service{Store: store}
	attempt := lockout.Attempt{Tenant: tn, UserID: user.ID, Addr: netip.MustParseAddr("203.0.113.9")}
	for range lockout.Defaults.Threshold {
		if _, err := guard.Failed(ctx, attempt, lockout.Verdict{}); err != nil {
			t.Fatal(err)
		}
	}
	if v, _ := guard.Check(ctx, attempt); v.Allowed {
		t.Fatal("the account is not locked after the threshold")
	}
	if out := h.mustRun("password", "unlock", "--tenant", "contoso.example", "--user", "alice@contoso.example"); !strings.Contains(out, "Unlocked alice@contoso.example (1 counter(s) cleared)") {
		t.Errorf("unlock output %q", out)
	}
	if v, _ := guard.Check(ctx, attempt); !v.Allowed {
		t.Error("still locked after sigil password unlock")
	}
	h.mustRun("password", "unlock", "--tenant", "contoso.example", "--address", "203.0.113.9")
	for _, args := range [][]string{
		{"password", "unlock", "--tenant", "contoso.example"},
		{"password", "unlock", "--tenant", "contoso.example", "--user", "alice@contoso.example", "--address", "203.0.113.9"},
		{"password", "unlock", "--tenant", "contoso.example", "--address", "not-an-ip"},
	} {
		if r := h.run(args...); r.code == exitOK {
			t.Errorf("sigil %s succeeded", strings.Join(args, " "))
		}
	}
}
