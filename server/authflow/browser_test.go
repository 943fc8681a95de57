package authflow

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// browser is a cookie-jar client that walks the real pages: it reads each
// form from the HTML and posts it back, and follows redirects one at a time so
// tests can see every status.
type browser struct {
	t *testing.T
	e *env
	c *http.Client
}

// response is one answer, read in full.
type response struct {
	status   int
	header   http.Header
	body     string
	url      *url.URL
	location *url.URL // resolved Location of a redirect
	elapsed  time.Duration
}

func (e *env) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	c := &http.Client{
		Transport:     e.srv.Client().Transport,
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &browser{t: e.t, e: e, c: c}
}

func (b *browser) do(req *http.Request) *response {
	b.t.Helper()
	start := time.Now()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	r := &response{status: resp.StatusCode, header: resp.Header, body: string(body), url: req.URL, elapsed: time.Since(start)}
	if loc, err := resp.Location(); err == nil {
		r.location = loc
	}
	return r
}

// get fetches a path on the server (or an absolute URL).
func (b *browser) get(target string) *response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.abs(target), nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form; header holds name, value pairs to add.
func (b *browser) post(target string, form url.Values, header ...string) *response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.abs(target), strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

func (b *browser) abs(target string) string {
	if strings.HasPrefix(target, "https://") {
		return target
	}
	return b.e.srv.URL + target
}

// follow walks redirects until a page that is not one.
func (b *browser) follow(r *response) *response {
	b.t.Helper()
	for i := 0; r.status >= 300 && r.status < 400; i++ {
		if i == 10 || r.location == nil {
			b.t.Fatalf("redirect loop or redirect without Location at %s", r.url)
		}
		r = b.get(r.location.String())
	}
	return r
}

// authorize starts a sign-in for the app and follows it to the first page.
func (b *browser) authorize(app *storage.Application, scope string, extra ...string) *response {
	b.t.Helper()
	q := authorizeParams(app, scope, extra...)
	return b.follow(b.get("/" + b.e.tenant.ID + "/oauth2/v2.0/authorize?" + q.Encode()))
}

// submit posts form i of the page with fields set, requires 303 See Other,
// and follows it.
func (b *browser) submit(page *response, i int, set url.Values) *response {
	b.t.Helper()
	r := b.submitRaw(page, i, set)
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("POST %s answered %d, want 303; body:\n%s", r.url, r.status, r.body)
	}
	return b.follow(r)
}

// submitRaw posts form i of the page with fields set and returns the answer.
func (b *browser) submitRaw(page *response, i int, set url.Values) *response {
	b.t.Helper()
	forms := parseForms(page.body)
	if i >= len(forms) {
		b.t.Fatalf("page %s has %d forms, want form %d; body:\n%s", page.url, len(forms), i, page.body)
	}
	f := forms[i]
	for k, v := range set {
		f.fields[k] = v
	}
	return b.post(f.action, f.fields)
}

// signIn walks username and password for the app and returns the final answer.
func (b *browser) signIn(app *storage.Application, upn, scope string, extra ...string) *response {
	b.t.Helper()
	p := b.authorize(app, scope, extra...)
	requirePage(b.t, p, "username")
	p = b.submit(p, 0, url.Values{"username": {upn}})
	requirePage(b.t, p, "password")
	return b.submit(p, 1, url.Values{"password": {testPassword}})
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.e.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

type htmlForm struct {
	action string
	fields url.Values
}

var (
	formPattern  = regexp.MustCompile(`(?s)<form[^>]*\saction="([^"]*)"[^>]*>(.*?)</form>`)
	inputPattern = regexp.MustCompile(`<input\s[^>]*>`)
	attrPattern  = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
)

// parseForms reads the forms of a page: their action and named inputs.
func parseForms(body string) []htmlForm {
	var forms []htmlForm
	for _, m := range formPattern.FindAllStringSubmatch(body, -1) {
		f := htmlForm{action: html.UnescapeString(m[1]), fields: url.Values{}}
		for _, in := range inputPattern.FindAllString(m[2], -1) {
			attrs := map[string]string{}
			for _, a := range attrPattern.FindAllStringSubmatch(in, -1) {
				attrs[a[1]] = html.UnescapeString(a[2])
			}
			if name := attrs["name"]; name != "" {
				f.fields.Set(name, attrs["value"])
			}
		}
		forms = append(forms, f)
	}
	return forms
}

// requirePage fails unless r is the named step's page.
func requirePage(t *testing.T, r *response, step string) {
	t.Helper()
	if r.status != http.StatusOK || !strings.HasSuffix(r.url.Path, "/login/"+step) {
		t.Fatalf("got %d at %s, want the %s page; body:\n%s", r.status, r.url, step, r.body)
	}
}

// requireErrorPage fails unless r is the branded error page with the status and message.
func requireErrorPage(t *testing.T, r *response, status int, message string) {
	t.Helper()
	if r.status != status || !strings.Contains(r.body, html.EscapeString(message)) || !strings.Contains(r.body, "ext-sign-in-box") {
		t.Fatalf("got %d, want the %d error page saying %q; body:\n%s", r.status, status, message, r.body)
	}
}
