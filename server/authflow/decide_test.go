package authflow

import (
	"slices"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func TestSessionSatisfies(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	sess := &storage.BrowserSession{AuthTime: now.Add(-10 * time.Minute)}
	cases := []struct {
		name   string
		prompt string
		maxAge int
		hint   string
		want   bool
	}{
		{"accepts a plain request", "", -1, "", true},
		{"accepts prompt=none", "none", -1, "", true},
		{"accepts prompt=consent", "consent", -1, "", true},
		{"refuses prompt=login", "login", -1, "", false},
		{"refuses prompt=login among others", "consent login", -1, "", false},
		{"refuses prompt=select_account", "select_account", -1, "", false},
		{"refuses max_age=0", "", 0, "", false},
		{"accepts a max_age not yet reached", "", 601, "", true},
		{"accepts a max_age reached exactly", "", 600, "", true},
		{"refuses an exceeded max_age", "", 599, "", false},
		{"accepts a login_hint naming the user in another case", "", -1, "Alex@Contoso.example", true},
		{"refuses a login_hint naming someone else", "", -1, "sam@contoso.example", false},
	}
	for _, c := range cases {
		flow := &storage.Flow{Prompt: c.prompt, MaxAge: c.maxAge, LoginHint: c.hint}
		if got := sessionSatisfies(flow, parsePrompt(c.prompt), sess, "alex@contoso.example", now); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestConsentNeeded(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                string
		firstParty, forced  bool
		requested, previous []string
		want                bool
	}{
		{"skips a first-party app", true, false, []string{"openid", "profile"}, nil, false},
		{"asks a first-party app when prompt=consent", true, true, []string{"openid"}, nil, true},
		{"asks when nothing was granted", false, false, []string{"openid"}, nil, true},
		{"skips when every scope was granted", false, false, []string{"openid", "email"}, []string{"email", "openid", "profile"}, false},
		{"asks for a scope not granted before", false, false, []string{"openid", "offline_access"}, []string{"openid"}, true},
		{"asks when prompt=consent despite a grant", false, true, []string{"openid"}, []string{"openid"}, true},
		{"skips a request without scopes", false, false, nil, nil, false},
	}
	for _, c := range cases {
		if got := consentNeeded(c.firstParty, c.forced, c.requested, c.previous); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRequestedScopesReadsTheStoredForm(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"scope=openid+profile&client_id=x":       {"openid", "profile"},
		"scope=openid%20openid%20%20email":       {"openid", "email"},
		"client_id=x":                            nil,
		"scope=%zz":                              nil,
		"scope=offline_access+api%3A%2F%2Fx%2Fr": {"offline_access", "api://x/r"},
	}
	for form, want := range cases {
		if got := requestedScopes(form); !slices.Equal(got, want) {
			t.Errorf("requestedScopes(%q) = %v, want %v", form, got, want)
		}
	}
}

func TestNormalizeUsername(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"  alex@contoso.example ", "alex@contoso.example", true},
		{"ALEX@Contoso.example", "ALEX@Contoso.example", true},
		{"", "", false},
		{"alex smith", "", false},
		{"alex\x00@contoso.example", "", false},
		{"\xff\xfe", "", false},
		{string(make([]byte, maxUsernameLength+1)), "", false},
	}
	for _, c := range cases {
		got, ok := normalizeUsername(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("normalizeUsername(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestVerifierIsBoundToFlowStepAndNonce(t *testing.T) {
	t.Parallel()
	h := &Handler{Secret: randomKey(32)}
	v := h.verifier("flow-1", stepUsername, "nonce-1")
	cases := []struct {
		name              string
		flow, step, nonce string
		verifier          string
		want              bool
	}{
		{"accepts its own flow, step and nonce", "flow-1", stepUsername, "nonce-1", v, true},
		{"refuses another flow", "flow-2", stepUsername, "nonce-1", v, false},
		{"refuses another step", "flow-1", stepPassword, "nonce-1", v, false},
		{"refuses a rotated nonce", "flow-1", stepUsername, "nonce-2", v, false},
		{"refuses a flow no page works on", "flow-1", stepDone, "nonce-1", h.verifier("flow-1", stepDone, "nonce-1"), false},
		{"refuses an empty nonce", "flow-1", stepUsername, "", h.verifier("flow-1", stepUsername, ""), false},
		{"refuses an empty verifier", "flow-1", stepUsername, "nonce-1", "", false},
		{"refuses a CSRF token in its place", "flow-1", stepUsername, "nonce-1", h.csrfToken("nonce-1", "flow-1", stepUsername), false},
	}
	for _, c := range cases {
		if got := h.verifierValid(c.flow, c.step, c.nonce, c.verifier); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	other := &Handler{Secret: randomKey(32)}
	if other.verifierValid("flow-1", stepUsername, "nonce-1", v) {
		t.Error("a verifier made with another secret was accepted")
	}
}

func TestDescribeScopes(t *testing.T) {
	t.Parallel()
	got := describeScopes([]string{"openid", "offline_access", "api://payroll/read"})
	want := []scopeView{
		{"openid", "Sign you in"},
		{"offline_access", "Maintain access to data you have given it access to"},
		{"api://payroll/read", "Use the permission api://payroll/read"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("describeScopes = %v, want %v", got, want)
	}
}
