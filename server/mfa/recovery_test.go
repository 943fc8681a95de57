package mfa_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/mfa"
)

var recoveryFormat = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$`)

func (f *totpFixture) useRecovery(rc *mfa.RecoveryCodes, code string) mfa.Result {
	f.t.Helper()
	r, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(url.Values{"code": {code}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	must(f.t, r.ParseForm())
	res, err := rc.VerifyChallenge(context.Background(), r, &mfa.Challenge{Tenant: f.tenant, User: f.user})
	must(f.t, err)
	return res
}

func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	f := newTOTPFixture(t)
	rc := &mfa.RecoveryCodes{Store: f.store}
	old, err := rc.Generate(context.Background(), f.tenant.ID, f.user.ID)
	must(t, err)
	codes, err := rc.Generate(context.Background(), f.tenant.ID, f.user.ID)
	must(t, err)
	seen := map[string]bool{}
	for _, c := range codes {
		if !recoveryFormat.MatchString(c) || seen[c] {
			t.Errorf("code %q is malformed or repeated", c)
		}
		seen[c] = true
	}
	if res := f.useRecovery(rc, old[0]); res.Verified {
		t.Error("a code of the replaced set still works")
	}
	typed := strings.ToLower(strings.ReplaceAll(codes[0], "-", " "))
	if res := f.useRecovery(rc, typed); !res.Verified {
		t.Errorf("a code typed in lower case with spaces: %+v", res)
	}
	if res := f.useRecovery(rc, codes[0]); res.Verified || !res.Failure {
		t.Errorf("a used code again: %+v", res)
	}
	if res := f.useRecovery(rc, "not a code"); res.Verified || res.Failure {
		t.Errorf("malformed input: %+v, want a message and no counted failure", res)
	}
	reg, err := mfa.LoadRegistered(context.Background(), f.store, f.tenant.ID, f.user.ID)
	must(t, err)
	if reg.RecoveryCodes != mfa.RecoveryCodeCount-1 {
		t.Errorf("%d unused codes left, want %d", reg.RecoveryCodes, mfa.RecoveryCodeCount-1)
	}
}
