package browsertest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/audits"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sigil-idp/sigil/server/servertest"
)

// chromiumPath is Debian's Chromium; the tests never download a browser.
const chromiumPath = "/usr/bin/chromium"

// viewport is a window size the pages are checked at. Phones get mobile
// emulation, so the page's meta viewport decides the layout width.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktop = viewport{name: "desktop", width: 1280, height: 800}
	phone   = viewport{name: "phone", width: 390, height: 844, mobile: true}
)

// report is one thing the page told the browser's developer tools: a console
// message, a browser log entry, an uncaught exception or a CSP issue.
type report struct {
	kind, text, url string
}

func (r report) String() string { return r.kind + ": " + r.text + " (" + r.url + ")" }

// tab is one browser tab on a running Sigil. It records what the page reports
// and holds the requests to the relying party, which the browser cannot reach.
type tab struct {
	t   *testing.T
	env *servertest.Env
	ctx context.Context
	vp  viewport

	mu      sync.Mutex
	reports []report
	// toRP receives the requests to the relying party, held by the browser;
	// blocked receives navigations the page's CSP refused (form-action).
	toRP    chan *fetch.EventRequestPaused
	blocked chan report
}

// browser is one Chromium with a fresh profile directory, shared by the
// subtests of one test; each subtest's tab has its own browser context, so no
// cookie or storage passes between them.
type browser struct {
	ctx context.Context
}

// newBrowser starts Chromium for t and stops it when t and its subtests end.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	requireChromium(t)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions(t)...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		// Close gracefully so Chromium removes its files, then free the rest.
		if err := chromedp.Cancel(ctx); err != nil {
			t.Logf("close %s: %v", chromiumPath, err)
		}
		cancel()
		cancelAlloc()
	})
	// The first Do starts the browser and ties it to ctx, so it has no timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return &browser{ctx: ctx}
}

// newTab opens a tab in a new browser context, sized to vp, on env's server.
func (b *browser) newTab(t *testing.T, env *servertest.Env, vp viewport) *tab {
	t.Helper()
	if got := env.Server.Certificate(); !bytes.Equal(got.RawSubjectPublicKeyInfo, testServerKey()) {
		t.Fatalf("the test server's certificate (%s) is not the one the browser was told to trust", got.Subject)
	}
	tb := &tab{t: t, env: env, vp: vp, toRP: make(chan *fetch.EventRequestPaused, 8), blocked: make(chan report, 8)}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.record))
	t.Cleanup(cancel)
	tb.ctx = ctx
	// As with the browser, the first Do opens the tab and ties it to ctx.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	tb.do("set up the tab",
		chromedp.EmulateViewport(vp.width, vp.height, emulation(vp)...),
		enable(audits.Enable, cdp.Empty{}),
		enable(fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: rpOrigin + "/*"}}}),
	)
	return tb
}

// testServerKey is the public key of the certificate httptest serves TLS with
// (the same for every server); the browser trusts that key and no other.
var testServerKey = sync.OnceValue(func() []byte {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	return srv.Certificate().RawSubjectPublicKeyInfo
})

// rpOrigin is the relying party's origin, the scheme and host of the
// registered redirect URI.
var rpOrigin = func() string {
	u, err := url.Parse(servertest.Callback)
	if err != nil {
		panic(err)
	}
	return u.Scheme + "://" + u.Host
}()

func emulation(vp viewport) []chromedp.EmulateViewportOption {
	if vp.mobile {
		return []chromedp.EmulateViewportOption{chromedp.EmulateMobile, chromedp.EmulateTouch}
	}
	return nil
}

func enable[P any](cmd cdp.Command[P, cdp.Empty], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// requireChromium skips the test when Chromium is missing, unless CI is set:
// CI installs it (.ci/run), so there its absence is a failure.
func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests need %s in CI: %v", chromiumPath, err)
		}
		t.Skipf("browser tests need %s (apt-get install chromium): %v", chromiumPath, err)
	}
}

// chromiumOptions are the flags for a quiet headless browser that trusts only
// the test server's key and resolves no host name, so nothing leaves the
// machine: the test server listens on 127.0.0.1, and the relying party's
// requests are intercepted before any lookup.
func chromiumOptions(t *testing.T) []chromedp.ExecAllocatorOption {
	spki := sha256.Sum256(testServerKey())
	dir := t.TempDir()
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.Flag("ignore-certificate-errors-spki-list", base64.StdEncoding.EncodeToString(spki[:])),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Env("TMPDIR=" + dir),
	}
}

// record runs in the tab's event loop: it must return at once.
func (tb *tab) record(ev any) {
	switch ev := ev.(type) {
	case *log.EventEntryAdded:
		tb.add(report{kind: "log " + string(ev.Entry.Source) + " " + string(ev.Entry.Level), text: ev.Entry.Text, url: ev.Entry.URL})
	case *runtime.EventExceptionThrown:
		tb.add(report{kind: "exception", text: exceptionText(ev.ExceptionDetails), url: ev.ExceptionDetails.URL})
	case *runtime.EventConsoleAPICalled:
		tb.add(report{kind: "console." + string(ev.Type), text: argsText(ev.Args)})
	case *audits.EventIssueAdded:
		if ev.Issue == nil || ev.Issue.Details == nil {
			return
		}
		if d := ev.Issue.Details.ContentSecurityPolicyIssueDetails; d != nil {
			r := report{kind: "issue " + string(ev.Issue.Code),
				text: fmt.Sprintf("Content Security Policy: %s violates %s", d.ContentSecurityPolicyViolationType, d.ViolatedDirective), url: d.BlockedURL}
			tb.add(r)
			if d.ViolatedDirective == "form-action" {
				select {
				case tb.blocked <- r:
				default:
				}
			}
		}
	case *fetch.EventRequestPaused:
		select {
		case tb.toRP <- ev:
		default:
			tb.add(report{kind: "test", text: "more requests to the relying party than the test reads", url: rpOrigin})
		}
	}
}

// secretParam matches the values of parameters a report must not repeat:
// failure messages print reports, and tests never print codes or tokens.
var secretParam = regexp.MustCompile(`(?i)\b(code|access_token|id_token|refresh_token|password)=[^&\s'"]+`)

func (tb *tab) add(r report) {
	r.text = secretParam.ReplaceAllString(r.text, "$1=[redacted]")
	r.url = secretParam.ReplaceAllString(r.url, "$1=[redacted]")
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.reports = append(tb.reports, r)
}

// recorded returns what the pages reported so far.
func (tb *tab) recorded() []report {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]report(nil), tb.reports...)
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Text + " " + d.Exception.Description
	}
	return d.Text
}

func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		if a.Value != nil {
			parts = append(parts, string(a.Value))
		} else {
			parts = append(parts, a.Description)
		}
	}
	return strings.Join(parts, " ")
}
