package conformance

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("auth_methods", testAuthMethods) }

func testAuthMethods(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"creates a method and reads it back", methodRoundTrip},
		{"lists only the user's methods, oldest first", methodList},
		{"refuses a method for a user of another tenant (A-02)", methodTenantIsolation},
		{"refuses a handle already used in the tenant", methodDuplicateHandle},
		{"updates and deletes a method", methodUpdateDelete},
		{"accepts each TOTP step once and refuses older steps (replay)", methodTOTPReplay},
		{"lets one of two concurrent uses of a TOTP step win", methodTOTPRace},
		{"replaces recovery codes and uses each once", recoveryCodesOnce},
		{"deletes every method and recovery code of a user", methodDeleteAll},
		{"counts MFA failures and resets them", mfaStateFailures},
		{"sets and clears the re-registration flag", mfaStateRegistration},
		{"removes methods and state with the user", methodCascadeFromUser},
		{"records a step-up in a browser session with its ACR", sessionStepUp},
	})
}

func newTOTPMethod(tenantID, userID string) *storage.AuthMethod {
	return &storage.AuthMethod{
		ID: newID(), TenantID: tenantID, UserID: userID, Kind: storage.AuthMethodTOTP,
		Name: "Authenticator app", Secret: []byte{1, 2, 3, 0, 255}, Confirmed: true,
		CreatedAt: time.Now().In(farOffZone),
	}
}

func methodRoundTrip(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	in := newTOTPMethod(tenant.ID, user.ID)
	in.Handle = "cred-1"
	mustNil(t, s.CreateAuthMethod(ctx, in), "CreateAuthMethod")
	got, err := s.GetAuthMethod(ctx, tenant.ID, user.ID, in.ID)
	mustNil(t, err, "GetAuthMethod")
	if got.Kind != in.Kind || got.Name != in.Name || got.Handle != in.Handle || !got.Confirmed ||
		!bytes.Equal(got.Secret, in.Secret) || got.LastUsedAt != nil || got.TOTPLastStep != 0 {
		t.Errorf("got %+v, want %+v", got, in)
	}
	sameTime(t, got.CreatedAt, in.CreatedAt, "CreatedAt")
	byHandle, err := s.GetAuthMethodByHandle(ctx, tenant.ID, storage.AuthMethodTOTP, "cred-1")
	mustNil(t, err, "GetAuthMethodByHandle")
	if byHandle.ID != in.ID {
		t.Errorf("by handle: got %s, want %s", byHandle.ID, in.ID)
	}
	_, err = s.GetAuthMethodByHandle(ctx, tenant.ID, storage.AuthMethodTOTP, "")
	mustIs(t, err, storage.ErrNotFound, "GetAuthMethodByHandle with an empty handle")
}

func methodList(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	bob := seedUser(t, s, tenant.ID, "bob@contoso.example")
	first := newTOTPMethod(tenant.ID, ann.ID)
	second := newTOTPMethod(tenant.ID, ann.ID)
	second.CreatedAt = first.CreatedAt.Add(time.Second)
	mustNil(t, s.CreateAuthMethod(ctx, second), "CreateAuthMethod second")
	mustNil(t, s.CreateAuthMethod(ctx, first), "CreateAuthMethod first")
	mustNil(t, s.CreateAuthMethod(ctx, newTOTPMethod(tenant.ID, bob.ID)), "CreateAuthMethod bob")
	got, err := s.ListAuthMethods(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "ListAuthMethods")
	if len(got) != 2 || got[0].ID != first.ID || got[1].ID != second.ID {
		t.Fatalf("got %+v, want [%s %s]", got, first.ID, second.ID)
	}
}

func methodTenantIsolation(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	contoso := seedTenant(t, s, "contoso")
	fabrikam := seedTenant(t, s, "fabrikam")
	ann := seedUser(t, s, contoso.ID, "ann@contoso.example")
	mustIs(t, s.CreateAuthMethod(ctx, newTOTPMethod(fabrikam.ID, ann.ID)), storage.ErrNotFound, "create across tenants")
	m := newTOTPMethod(contoso.ID, ann.ID)
	mustNil(t, s.CreateAuthMethod(ctx, m), "CreateAuthMethod")
	_, err := s.GetAuthMethod(ctx, fabrikam.ID, ann.ID, m.ID)
	mustIs(t, err, storage.ErrNotFound, "GetAuthMethod through another tenant")
	mustIs(t, s.DeleteAuthMethod(ctx, fabrikam.ID, ann.ID, m.ID), storage.ErrNotFound, "delete through another tenant")
	mustIs(t, s.SetMFARegistrationRequired(ctx, fabrikam.ID, ann.ID, true), storage.ErrNotFound, "flag through another tenant")
	mustIs(t, s.ReplaceRecoveryCodes(ctx, fabrikam.ID, ann.ID, [][]byte{{1}}, time.Now()), storage.ErrNotFound, "codes through another tenant")
}

func methodDuplicateHandle(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	a, b, c := newTOTPMethod(tenant.ID, ann.ID), newTOTPMethod(tenant.ID, ann.ID), newTOTPMethod(tenant.ID, ann.ID)
	a.Handle, b.Handle = "same", "same"
	mustNil(t, s.CreateAuthMethod(ctx, a), "CreateAuthMethod a")
	mustIs(t, s.CreateAuthMethod(ctx, b), storage.ErrAlreadyExists, "CreateAuthMethod with a taken handle")
	mustNil(t, s.CreateAuthMethod(ctx, c), "a second method without a handle")
}

func methodUpdateDelete(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	m := newTOTPMethod(tenant.ID, ann.ID)
	m.Confirmed = false
	mustNil(t, s.CreateAuthMethod(ctx, m), "CreateAuthMethod")
	used := time.Now().In(farOffZone)
	m.Name, m.Secret, m.Confirmed, m.LastUsedAt = "Phone", []byte("sealed"), true, &used
	mustNil(t, s.UpdateAuthMethod(ctx, m), "UpdateAuthMethod")
	got, err := s.GetAuthMethod(ctx, tenant.ID, ann.ID, m.ID)
	mustNil(t, err, "GetAuthMethod")
	if got.Name != "Phone" || string(got.Secret) != "sealed" || !got.Confirmed || got.LastUsedAt == nil {
		t.Fatalf("after update got %+v", got)
	}
	sameTime(t, *got.LastUsedAt, used, "LastUsedAt")
	mustNil(t, s.DeleteAuthMethod(ctx, tenant.ID, ann.ID, m.ID), "DeleteAuthMethod")
	mustIs(t, s.DeleteAuthMethod(ctx, tenant.ID, ann.ID, m.ID), storage.ErrNotFound, "second DeleteAuthMethod")
	mustIs(t, s.UpdateAuthMethod(ctx, m), storage.ErrNotFound, "UpdateAuthMethod after delete")
}

func methodTOTPReplay(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	m := newTOTPMethod(tenant.ID, ann.ID)
	mustNil(t, s.CreateAuthMethod(ctx, m), "CreateAuthMethod")
	now := time.Now()
	mustNil(t, s.AdvanceTOTPStep(ctx, tenant.ID, ann.ID, m.ID, 1000, now), "first step 1000")
	mustIs(t, s.AdvanceTOTPStep(ctx, tenant.ID, ann.ID, m.ID, 1000, now), storage.ErrConflict, "step 1000 again")
	mustIs(t, s.AdvanceTOTPStep(ctx, tenant.ID, ann.ID, m.ID, 999, now), storage.ErrConflict, "older step 999")
	mustNil(t, s.AdvanceTOTPStep(ctx, tenant.ID, ann.ID, m.ID, 1001, now), "next step 1001")
	mustIs(t, s.AdvanceTOTPStep(ctx, tenant.ID, ann.ID, newID(), 5, now), storage.ErrNotFound, "unknown method")
	got, err := s.GetAuthMethod(ctx, tenant.ID, ann.ID, m.ID)
	mustNil(t, err, "GetAuthMethod")
	if got.TOTPLastStep != 1001 || got.LastUsedAt == nil {
		t.Errorf("got last step %d, last used %v; want 1001 and a time", got.TOTPLastStep, got.LastUsedAt)
	}
}

func methodTOTPRace(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	m := newTOTPMethod(tenant.ID, ann.ID)
	mustNil(t, s.CreateAuthMethod(ctx, m), "CreateAuthMethod")
	const racers = 8
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() { errs[i] = s.AdvanceTOTPStep(ctx, tenant.ID, ann.ID, m.ID, 77, time.Now()) })
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, storage.ErrConflict):
			t.Errorf("unexpected error %v", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d racers accepted step 77, want exactly 1", wins)
	}
}

func recoveryCodesOnce(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	mustNil(t, s.ReplaceRecoveryCodes(ctx, tenant.ID, ann.ID, [][]byte{{1}, {2}}, time.Now()), "first set")
	old, err := s.ListRecoveryCodes(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "ListRecoveryCodes")
	mustNil(t, s.ReplaceRecoveryCodes(ctx, tenant.ID, ann.ID, [][]byte{{3}, {4}, {5}}, time.Now()), "second set")
	codes, err := s.ListRecoveryCodes(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "ListRecoveryCodes")
	if len(codes) != 3 {
		t.Fatalf("got %d codes, want the 3 of the new set", len(codes))
	}
	mustIs(t, s.UseRecoveryCode(ctx, tenant.ID, ann.ID, old[0].ID, time.Now()), storage.ErrNotFound, "a code of the replaced set")
	mustNil(t, s.UseRecoveryCode(ctx, tenant.ID, ann.ID, codes[0].ID, time.Now()), "first use")
	mustIs(t, s.UseRecoveryCode(ctx, tenant.ID, ann.ID, codes[0].ID, time.Now()), storage.ErrConflict, "second use")
	after, err := s.ListRecoveryCodes(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "ListRecoveryCodes")
	for _, c := range after {
		if (c.ID == codes[0].ID) != (c.UsedAt != nil) {
			t.Errorf("code %s used at %v", c.ID, c.UsedAt)
		}
	}
}

func methodDeleteAll(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	bob := seedUser(t, s, tenant.ID, "bob@contoso.example")
	mustNil(t, s.CreateAuthMethod(ctx, newTOTPMethod(tenant.ID, ann.ID)), "ann's method")
	mustNil(t, s.CreateAuthMethod(ctx, newTOTPMethod(tenant.ID, bob.ID)), "bob's method")
	mustNil(t, s.ReplaceRecoveryCodes(ctx, tenant.ID, ann.ID, [][]byte{{1}}, time.Now()), "ann's codes")
	mustNil(t, s.DeleteAuthMethods(ctx, tenant.ID, ann.ID), "DeleteAuthMethods")
	ms, err := s.ListAuthMethods(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "ListAuthMethods ann")
	codes, err := s.ListRecoveryCodes(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "ListRecoveryCodes ann")
	others, err := s.ListAuthMethods(ctx, tenant.ID, bob.ID)
	mustNil(t, err, "ListAuthMethods bob")
	if len(ms) != 0 || len(codes) != 0 || len(others) != 1 {
		t.Errorf("ann keeps %d methods and %d codes, bob has %d methods; want 0, 0, 1", len(ms), len(codes), len(others))
	}
}

func mfaStateFailures(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	zero, err := s.GetMFAState(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "GetMFAState without a row")
	if zero.Failures != 0 || zero.RegistrationRequired || zero.LastFailureAt != nil {
		t.Fatalf("zero state: got %+v", zero)
	}
	at := time.Now().In(farOffZone)
	for want := 1; want <= 3; want++ {
		st, err := s.RecordMFAFailure(ctx, tenant.ID, ann.ID, at)
		mustNil(t, err, "RecordMFAFailure")
		if st.Failures != want || st.LastFailureAt == nil {
			t.Fatalf("after failure %d got %+v", want, st)
		}
		sameTime(t, *st.LastFailureAt, at, "LastFailureAt")
	}
	mustNil(t, s.ResetMFAFailures(ctx, tenant.ID, ann.ID), "ResetMFAFailures")
	st, err := s.GetMFAState(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "GetMFAState")
	if st.Failures != 0 || st.LastFailureAt != nil {
		t.Errorf("after reset got %+v", st)
	}
}

func mfaStateRegistration(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	_, err := s.RecordMFAFailure(ctx, tenant.ID, ann.ID, time.Now())
	mustNil(t, err, "RecordMFAFailure")
	for _, want := range []bool{true, false, true} {
		mustNil(t, s.SetMFARegistrationRequired(ctx, tenant.ID, ann.ID, want), "SetMFARegistrationRequired")
		st, err := s.GetMFAState(ctx, tenant.ID, ann.ID)
		mustNil(t, err, "GetMFAState")
		if st.RegistrationRequired != want || st.Failures != 1 {
			t.Errorf("got %+v, want flag %v and the failure kept", st, want)
		}
	}
}

func methodCascadeFromUser(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	m := newTOTPMethod(tenant.ID, ann.ID)
	mustNil(t, s.CreateAuthMethod(ctx, m), "CreateAuthMethod")
	mustNil(t, s.ReplaceRecoveryCodes(ctx, tenant.ID, ann.ID, [][]byte{{1}}, time.Now()), "ReplaceRecoveryCodes")
	mustNil(t, s.SetMFARegistrationRequired(ctx, tenant.ID, ann.ID, true), "SetMFARegistrationRequired")
	mustNil(t, s.DeleteUser(ctx, tenant.ID, ann.ID), "DeleteUser")
	_, err := s.GetAuthMethod(ctx, tenant.ID, ann.ID, m.ID)
	mustIs(t, err, storage.ErrNotFound, "method after user deletion")
	codes, err := s.ListRecoveryCodes(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "ListRecoveryCodes")
	st, err := s.GetMFAState(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "GetMFAState")
	if len(codes) != 0 || st.RegistrationRequired {
		t.Errorf("after user deletion: %d codes, state %+v", len(codes), st)
	}
}

func sessionStepUp(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	sess := newSession(tenant.ID, ann.ID)
	sess.AMR, sess.ACR = []string{"pwd"}, "pwd-acr"
	mustNil(t, s.CreateBrowserSession(ctx, sess), "CreateBrowserSession")
	later := sess.AuthTime.Add(time.Minute)
	mustNil(t, s.UpdateBrowserSessionAuth(ctx, sess.ID, later, []string{"pwd", "otp", "mfa"}, "mfa-acr"), "UpdateBrowserSessionAuth")
	got, err := s.GetBrowserSession(ctx, sess.ID)
	mustNil(t, err, "GetBrowserSession")
	sameStrings(t, got.AMR, []string{"pwd", "otp", "mfa"}, "AMR")
	sameTime(t, got.AuthTime, later, "AuthTime")
	if got.ACR != "mfa-acr" {
		t.Errorf("ACR = %q, want mfa-acr", got.ACR)
	}
	mustIs(t, s.UpdateBrowserSessionAuth(ctx, newID(), later, nil, ""), storage.ErrNotFound, "unknown session")
}
