package main

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDemoTwiceIsIdempotentAndShowsSecretsOnlyOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	delete(h.env, "SIGIL_MASTER_SECRET") // demo generates and keeps its own
	first := h.mustRun("demo")
	keyFile := filepath.Join(h.env["SIGIL_DATA_DIR"], "master.key")
	info, err := os.Stat(keyFile)
	if err != nil {
		t.Fatalf("demo did not persist its master secret: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("master.key mode %v, want 0600", info.Mode().Perm())
	}
	for _, want := range []string{"Issuer:", "/.well-known/openid-configuration", "alex@demo.sigil.localhost",
		"Password:", "(shown only now)", "Client secret:", "/demo/login", "/oauth2/v2.0/authorize?", "code_verifier="} {
		if !strings.Contains(first, want) {
			t.Errorf("first demo run lacks %q:\n%s", want, first)
		}
	}
	if h.probes == nil || h.servedCfg.MasterSecret == "" {
		t.Fatal("demo did not serve with its master secret")
	}
	if rec := h.probes["/readyz"]; rec.Code != http.StatusOK {
		t.Errorf("/readyz = %d after demo", rec.Code)
	}

	second := h.mustRun("demo")
	if strings.Contains(second, "(shown only now)") {
		t.Errorf("second demo run shows a secret again:\n%s", second)
	}
	for _, want := range []string{"printed on the first run", "sigil user set-password", "sigil app add-secret"} {
		if !strings.Contains(second, want) {
			t.Errorf("second demo run lacks %q:\n%s", want, second)
		}
	}
	if issuerLine(first) != issuerLine(second) {
		t.Errorf("the demo tenant changed between runs: %q vs %q", issuerLine(first), issuerLine(second))
	}
	// Admin commands reach the demo directory with no extra flags: they read
	// the persisted master secret.
	if out := h.mustRun("user", "list", "--tenant", "demo.sigil.localhost"); !strings.Contains(out, "alex@demo.sigil.localhost") {
		t.Errorf("user list on the demo tenant: %q", out)
	}
}

func issuerLine(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "Issuer:") {
			return line
		}
	}
	return ""
}

func TestDemoAuthorizeURLCarriesPKCE(t *testing.T) {
	t.Parallel()
	req := newAuthorizeRequest("http://localhost:8080", "tid", "cid", "http://localhost:8080/demo/callback")
	u, err := url.Parse(req.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/tid/oauth2/v2.0/authorize" {
		t.Errorf("path %q", u.Path)
	}
	want := map[string]string{
		"client_id": "cid", "response_type": "code", "scope": "openid profile email offline_access",
		"redirect_uri": "http://localhost:8080/demo/callback", "code_challenge_method": "S256",
		"state": req.State, "nonce": req.Nonce, "code_challenge": pkceChallenge(req.CodeVerifier),
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if len(req.CodeVerifier) != 43 || len(req.State) < 22 || len(req.Nonce) < 22 {
		t.Errorf("verifier, state or nonce too short: %+v", req)
	}
	other := newAuthorizeRequest("http://localhost:8080", "tid", "cid", "http://x/cb")
	if other.State == req.State || other.CodeVerifier == req.CodeVerifier || other.Nonce == req.Nonce {
		t.Error("two requests share a state, nonce or verifier")
	}
}
