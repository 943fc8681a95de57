package lockout_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

const minResponse = 150 * time.Millisecond

// fromAddr makes every request of the browser come through the trusted
// loopback proxy on behalf of addr.
type fromAddr struct {
	addr string
	next http.RoundTripper
}

func (f fromAddr) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return f.next.RoundTrip(r)
}

func browserAt(env *servertest.Env, addr string) *servertest.Browser {
	b := env.NewBrowser()
	b.Client.Transport = fromAddr{addr: addr, next: b.Client.Transport}
	return b
}

func newEnv(t *testing.T) *servertest.Env {
	return servertest.New(t, gormstoretest.SQLite(t), servertest.Options{
		MinLoginResponse: minResponse, TrustedProxies: []string{"127.0.0.1", "::1"},
	})
}

// passwordPage starts a sign-in and submits the username.
func passwordPage(t *testing.T, env *servertest.Env, b *servertest.Browser, upn string) *servertest.Page {
	t.Helper()
	conf := env.OAuth2(env.Web, env.WebSecret)
	p, err := b.Get(conf.AuthCodeURL("state-lockout-1", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	must(t, err)
	f, err := p.FormWith("username")
	must(t, err)
	p, err = b.Submit(p, f, url.Values{"username": {upn}})
	must(t, err)
	return p
}

// submitPassword posts the password form and returns the answer and its time.
func submitPassword(t *testing.T, b *servertest.Browser, p *servertest.Page, password string) (*servertest.Page, time.Duration) {
	t.Helper()
	f, err := p.FormWith("password")
	must(t, err)
	start := time.Now()
	p, err = b.Submit(p, f, url.Values{"password": {password}})
	must(t, err)
	return p, time.Since(start)
}

func signedIn(p *servertest.Page) bool {
	return p.Status == http.StatusSeeOther && strings.HasPrefix(p.Location, servertest.Callback)
}

var perRequest = regexp.MustCompile(`(name="(flow|csrf_token)" value=")[^"]*"|(flow=)[A-Za-z0-9_-]+|(attempt=)[0-9]+|Request ID: [A-Za-z0-9_-]+`)

func normalized(p *servertest.Page, upns ...string) string {
	body := p.Body
	for _, u := range upns {
		body = strings.ReplaceAll(body, u, "USER")
	}
	return fmt.Sprintf("%d %s", p.Status, perRequest.ReplaceAllString(body, "$1$3$4X"))
}

func TestLockoutThroughTheRealPasswordPage(t *testing.T) {
	env := newEnv(t)
	upn := env.User.UserPrincipalName
	conf := env.OAuth2(env.Web, env.WebSecret)
	authURL := func() string {
		return conf.AuthCodeURL("state-lockout-2", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
	}
	if _, err := browserAt(env, "192.0.2.10").SignIn(authURL(), upn, servertest.Password); err != nil {
		t.Fatalf("first sign-in from home: %v", err)
	}

	attacker := browserAt(env, "203.0.113.66")
	p := passwordPage(t, env, attacker, upn)
	for i := range lockout.Defaults.Threshold {
		if p, _ = submitPassword(t, attacker, p, fmt.Sprintf("guess number %d", i)); signedIn(p) {
			t.Fatal("a wrong password signed in")
		}
	}
	locked, lockedTook := submitPassword(t, attacker, p, servertest.Password)
	if signedIn(locked) {
		t.Fatal("F-30: the attacker's network got through with the right password after 10 failures")
	}

	t.Run("the user still signs in from the familiar network", func(t *testing.T) {
		if _, err := browserAt(env, "192.0.2.77").SignIn(authURL(), upn, servertest.Password); err != nil {
			t.Fatalf("sign-in from the home /24 while the attacker is locked out: %v", err)
		}
	})
	t.Run("locked, unknown and wrong-password answers are identical", func(t *testing.T) {
		other := browserAt(env, "198.51.100.20")
		unknown, unknownTook := submitPassword(t, other, passwordPage(t, env, other, "nobody@"+env.Domain), "wrong password 1")
		wrong, wrongTook := submitPassword(t, other, passwordPage(t, env, other, upn), "wrong password 2")
		want := normalized(wrong, upn)
		for name, got := range map[string]string{"locked": normalized(locked, upn), "unknown": normalized(unknown, "nobody@"+env.Domain)} {
			if got != want {
				t.Errorf("%s answer differs from the wrong-password answer:\n%s\n---\n%s", name, got, want)
			}
		}
		for name, took := range map[string]time.Duration{"locked": lockedTook, "unknown": unknownTook, "wrong": wrongTook} {
			if took < minResponse {
				t.Errorf("%s answer took %v, less than the padded minimum %v", name, took, minResponse)
			}
		}
	})
	t.Run("an administrator's unlock lets the right password through", func(t *testing.T) {
		svc := &lockout.Service{Store: env.Store}
		if n, err := svc.UnlockUser(context.Background(), env.Tenant.ID, env.User.ID); err != nil || n == 0 {
			t.Fatalf("UnlockUser = %d, %v", n, err)
		}
		if _, err := browserAt(env, "203.0.113.66").SignIn(authURL(), upn, servertest.Password); err != nil {
			t.Fatalf("sign-in after unlock: %v", err)
		}
	})
}

func TestPasswordSprayFromOneAddressIsThrottled(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	var upns []string
	for i := range lockout.Defaults.AddressThreshold {
		u, err := env.Directory.CreateUser(ctx, env.Tenant.ID, directory.NewUser{
			UserPrincipalName: fmt.Sprintf("sprayed%d@%s", i, env.Domain), Password: fmt.Sprintf("their own passphrase %d", i),
		})
		must(t, err)
		upns = append(upns, u.UserPrincipalName)
	}
	sprayer := browserAt(env, "203.0.113.99")
	for _, upn := range upns {
		if p, _ := submitPassword(t, sprayer, passwordPage(t, env, sprayer, upn), "Winter is coming 1"); signedIn(p) {
			t.Fatal("a sprayed password signed in")
		}
	}
	p, _ := submitPassword(t, sprayer, passwordPage(t, env, sprayer, env.User.UserPrincipalName), servertest.Password)
	if signedIn(p) {
		t.Fatal("after a spray across many accounts, the address still had passwords checked")
	}
	elsewhere := browserAt(env, "198.51.100.5")
	if p, _ := submitPassword(t, elsewhere, passwordPage(t, env, elsewhere, env.User.UserPrincipalName), servertest.Password); !signedIn(p) {
		t.Errorf("the same account was refused from another address: %d %s", p.Status, p.Location)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
