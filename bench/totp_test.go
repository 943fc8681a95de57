package bench

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// BenchmarkTOTPSignIn measures complete browser sign-ins per second with a
// second factor: authorize with PKCE, username, password (argon2id), the
// TOTP page (code checked in constant time, its time step spent in the
// database), code exchange and one refresh. A TOTP code works once per time
// step, so every sign-in is by a different user, each registered through the
// real registration page before the timer starts.
func BenchmarkTOTPSignIn(b *testing.B) {
	onBackends(b, func(b *testing.B, t *target) {
		users := t.totpUsers(b, b.N)
		var next atomic.Int64
		runConcurrently(b, "signins/s", func(ctx context.Context) error {
			return t.totpSignIn(ctx, users[next.Add(1)-1])
		})
	})
}

// totpUser is a directory user with a registered authenticator app.
type totpUser struct {
	upn, secret string
	lastStep    int64 // the step its registration spent
}

// totpUsers turns on "require MFA" and registers n users' apps through the
// registration page, sixteen at a time.
func (t *target) totpUsers(tb testing.TB, n int) []*totpUser {
	tb.Helper()
	ctx := context.Background()
	tenant, err := t.env.Store.GetTenant(ctx, t.env.Tenant.ID)
	if err == nil {
		tenant.Settings.RequireMFA = true
		err = t.env.Store.UpdateTenant(ctx, tenant)
	}
	if err != nil {
		tb.Fatal(err)
	}
	users := make([]*totpUser, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, concurrency)
	for i := range users {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			u, err := t.registerTOTPUser(ctx)
			users[i] = u
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			tb.Fatalf("register a TOTP user: %v", err)
		}
	}
	return users
}

// registerTOTPUser creates a user with the seeded user's password hash (no
// second argon2id run) and registers an app by signing in once.
func (t *target) registerTOTPUser(ctx context.Context) (*totpUser, error) {
	seeded := t.env.User
	u := &storage.User{ID: uuid.NewString(), TenantID: seeded.TenantID, UserPrincipalName: "totp-" + rand.Text()[:10] + "@" + t.env.Domain,
		DisplayName: "TOTP user", UserType: storage.UserTypeMember, AccountEnabled: true, PasswordHash: seeded.PasswordHash}
	if err := t.env.Store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	user := &totpUser{upn: u.UserPrincipalName}
	conf := t.env.OAuth2(t.env.Web, t.env.WebSecret)
	browser := t.newBrowser()
	page, err := passwordPages(browser, conf.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(oauth2.GenerateVerifier()), oidc.Nonce(rand.Text())), user.upn)
	if err != nil {
		return nil, err
	}
	m := secretKey.FindStringSubmatch(page.Body)
	if m == nil {
		return nil, fmt.Errorf("no registration page: %s (%d)", page.URL, page.Status)
	}
	user.secret = strings.ReplaceAll(m[1], " ", "")
	code, step, err := user.nextCode(time.Now())
	if err != nil {
		return nil, err
	}
	if _, err := submitTOTP(browser, page, code); err != nil {
		return nil, err
	}
	user.lastStep = step
	return user, nil
}

var secretKey = regexp.MustCompile(`class="ext-secret-key" dir="ltr">([A-Z2-7 ]+)<`)

// nextCode is the app's code for the first time step after the last one
// used that the server still accepts (now ± one step).
func (u *totpUser) nextCode(now time.Time) (string, int64, error) {
	current := now.Unix() / 30
	step := max(u.lastStep+1, current-1)
	if step > current+1 {
		return "", 0, errors.New("the user's codes of this time window are spent")
	}
	code, err := totp.GenerateCodeCustom(u.secret, time.Unix(step*30, 0), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	return code, step, err
}

// totpSignIn is one sign-in with the user's next code, then the code
// exchange and one refresh, as in signIn.
func (t *target) totpSignIn(ctx context.Context, u *totpUser) error {
	conf := t.env.OAuth2(t.env.Web, t.env.WebSecret)
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(verifier), oidc.Nonce(rand.Text()))
	browser := t.newBrowser()
	page, err := passwordPages(browser, authURL, u.upn)
	if err != nil {
		return err
	}
	code, _, err := u.nextCode(time.Now())
	if err != nil {
		return err
	}
	if page, err = submitTOTP(browser, page, code); err != nil {
		return err
	}
	loc, err := url.Parse(page.Location)
	if err != nil || loc.Query().Get("code") == "" {
		return fmt.Errorf("no code after the TOTP page: %s (%d) %q", page.URL, page.Status, page.Location)
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, t.client)
	tok, err := conf.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return fmt.Errorf("code exchange: %w", err)
	}
	if _, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Minute)}).Token(); err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	return nil
}

// passwordPages walks the username and password pages and returns the page
// after them.
func passwordPages(b *servertest.Browser, authURL, upn string) (*servertest.Page, error) {
	page, err := b.Get(authURL)
	for _, answer := range []url.Values{{"username": {upn}}, {"password": {servertest.Password}}} {
		if err != nil {
			return nil, err
		}
		var f servertest.Form
		for field := range answer {
			if f, err = page.FormWith(field); err != nil {
				return nil, fmt.Errorf("%w (redirected to %q)", err, page.Location)
			}
		}
		page, err = b.Submit(page, f, answer)
	}
	return page, err
}

// submitTOTP posts the code and expects the redirect back to the client.
func submitTOTP(b *servertest.Browser, page *servertest.Page, code string) (*servertest.Page, error) {
	f, err := page.FormWith("code")
	if err != nil {
		return nil, err
	}
	next, err := b.Submit(page, f, url.Values{"code": {code}})
	if err != nil {
		return nil, err
	}
	if next.Status != http.StatusSeeOther || !strings.HasPrefix(next.Location, servertest.Callback) {
		return nil, fmt.Errorf("the TOTP page answered %d at %s", next.Status, next.URL)
	}
	return next, nil
}

// TestTOTPSignInPathSucceedsOnce runs the benchmarked TOTP path once, so a
// broken path fails in an ordinary test run and not only under -bench.
func TestTOTPSignInPathSucceedsOnce(t *testing.T) {
	target := newTarget(t, gormstoretest.SQLite(t))
	users := target.totpUsers(t, 1)
	if err := target.totpSignIn(context.Background(), users[0]); err != nil {
		t.Fatal(err)
	}
}
