package mfa_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

const testSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// totpFixture is a user with one confirmed authenticator app in a real
// SQLite store, and a TOTP method whose clock the test sets.
type totpFixture struct {
	t      *testing.T
	store  storage.Storage
	method *mfa.TOTP
	tenant *storage.Tenant
	user   *storage.User
	now    time.Time
}

func newTOTPFixture(t *testing.T) *totpFixture {
	t.Helper()
	ctx := context.Background()
	store := gormstoretest.SQLite(t)
	sealer, err := keys.NewSealer([][]byte{[]byte("mfa test master secret, 32+ bytes long")}, mfa.SealPurpose)
	if err != nil {
		t.Fatal(err)
	}
	f := &totpFixture{t: t, store: store, now: time.Date(2026, 5, 1, 9, 0, 10, 0, time.UTC)}
	f.method = &mfa.TOTP{Store: store, Sealer: sealer, Now: func() time.Time { return f.now }}
	f.tenant = &storage.Tenant{ID: uuid.NewString(), DisplayName: "Contoso"}
	must(t, store.CreateTenant(ctx, f.tenant, []storage.Domain{{Name: "c" + f.tenant.ID[:8] + ".example", Verified: true, Initial: true}}))
	f.user = &storage.User{ID: uuid.NewString(), TenantID: f.tenant.ID, UserPrincipalName: "ann@contoso.example", UserType: storage.UserTypeMember, AccountEnabled: true}
	must(t, store.CreateUser(ctx, f.user))
	m := &storage.AuthMethod{ID: uuid.NewString(), TenantID: f.tenant.ID, UserID: f.user.ID, Kind: mfa.KindTOTP, Confirmed: true}
	m.Secret = sealer.Seal([]byte(testSecret), m.TenantID, m.ID)
	must(t, store.CreateAuthMethod(ctx, m))
	return f
}

// verify posts code as the challenge's answer.
func (f *totpFixture) verify(code string) mfa.Result {
	f.t.Helper()
	ctx := context.Background()
	reg, err := mfa.LoadRegistered(ctx, f.store, f.tenant.ID, f.user.ID)
	must(f.t, err)
	r, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(url.Values{"code": {code}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	must(f.t, r.ParseForm())
	res, err := f.method.VerifyChallenge(ctx, r, &mfa.Challenge{Tenant: f.tenant, User: f.user, Registered: reg})
	must(f.t, err)
	return res
}

func codeAt(t *testing.T, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(testSecret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	must(t, err)
	return c
}

func TestTOTPVerification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		offset   time.Duration // of the app's clock from the server's
		verified bool
	}{
		{"accepts the current code", 0, true},
		{"accepts the previous step's code (clock drift)", -30 * time.Second, true},
		{"accepts the next step's code (clock drift)", 30 * time.Second, true},
		{"refuses a code two steps old", -60 * time.Second, false},
		{"refuses a code two steps ahead", 60 * time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newTOTPFixture(t)
			res := f.verify(codeAt(t, f.now.Add(tt.offset)))
			if res.Verified != tt.verified || (!tt.verified && !res.Failure) {
				t.Errorf("got %+v, want verified=%v (a refusal counts as a failure)", res, tt.verified)
			}
		})
	}
}

func TestTOTPRefusesReplay(t *testing.T) {
	t.Parallel()
	f := newTOTPFixture(t)
	current, previous := codeAt(t, f.now), codeAt(t, f.now.Add(-30*time.Second))
	if res := f.verify(current); !res.Verified {
		t.Fatalf("first use of the code: %+v", res)
	}
	if res := f.verify(current); res.Verified || !res.Failure || !strings.Contains(res.Message, "already used") {
		t.Errorf("the same code again: %+v", res)
	}
	if res := f.verify(previous); res.Verified {
		t.Errorf("an older step's code after a newer one was accepted: %+v", res)
	}
	f.now = f.now.Add(30 * time.Second)
	if res := f.verify(codeAt(t, f.now)); !res.Verified {
		t.Errorf("the next step's code: %+v", res)
	}
}

func TestTOTPMalformedCodeIsNoFailure(t *testing.T) {
	t.Parallel()
	f := newTOTPFixture(t)
	for _, code := range []string{"", "12345", "12345a", "1234567"} {
		if res := f.verify(code); res.Verified || res.Failure || res.Message == "" {
			t.Errorf("code %q: %+v, want a message and no counted failure", code, res)
		}
	}
	spaced := codeAt(t, f.now)
	if res := f.verify(spaced[:3] + " " + spaced[3:]); !res.Verified {
		t.Errorf("a code typed with a space: %+v", res)
	}
}

func TestTOTPSecretIsBoundToItsMethod(t *testing.T) {
	t.Parallel()
	f := newTOTPFixture(t)
	ms, err := f.store.ListAuthMethods(context.Background(), f.tenant.ID, f.user.ID)
	must(t, err)
	sealer, err := keys.NewSealer([][]byte{[]byte("mfa test master secret, 32+ bytes long")}, mfa.SealPurpose)
	must(t, err)
	if _, err := sealer.Open(ms[0].Secret, f.tenant.ID, uuid.NewString()); err == nil {
		t.Error("the sealed secret opened as another method's")
	}
	other, err := keys.NewSealer([][]byte{[]byte("mfa test master secret, 32+ bytes long")}, "another purpose")
	must(t, err)
	if _, err := other.Open(ms[0].Secret, f.tenant.ID, ms[0].ID); err == nil {
		t.Error("the sealed secret opened under another purpose's key")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
