package servertest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/net/html"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/storage"
)

// Browser is a cookie-jar client that stops at redirects leaving Sigil.
type Browser struct {
	env    *Env
	Client *http.Client
}

// NewBrowser returns a browser with an empty cookie jar.
func (e *Env) NewBrowser() *Browser {
	jar, _ := cookiejar.New(nil)
	c := new(http.Client)
	*c = *e.Server.Client() // a copy: each browser has its own jar (the transport is shared)
	c.Jar = jar
	host := strings.TrimPrefix(e.Server.URL, "https://")
	c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host != host {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return &Browser{env: e, Client: c}
}

// Page is a response as the browser saw it.
type Page struct {
	Status   int
	URL      *url.URL
	Location string
	Header   http.Header
	Body     string
}

// Get loads a URL, following redirects within Sigil.
func (b *Browser) Get(u string) (*Page, error) {
	resp, err := b.Client.Get(u)
	if err != nil {
		return nil, err
	}
	return readPage(resp)
}

func readPage(resp *http.Response) (*Page, error) {
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &Page{Status: resp.StatusCode, URL: resp.Request.URL, Location: resp.Header.Get("Location"), Header: resp.Header, Body: string(body)}, nil
}

// Form is a parsed HTML form.
type Form struct {
	Action string
	Fields url.Values
}

// Forms returns the page's POST forms with their hidden and pre-filled fields.
func (p *Page) Forms() []Form {
	doc, err := html.Parse(strings.NewReader(p.Body))
	if err != nil {
		return nil
	}
	var forms []Form
	var walk func(n *html.Node, f *Form)
	walk = func(n *html.Node, f *Form) {
		if n.Type == html.ElementNode && n.Data == "form" && strings.EqualFold(attr(n, "method"), "post") {
			forms = append(forms, Form{Action: attr(n, "action"), Fields: url.Values{}})
			f = &forms[len(forms)-1]
		}
		if f != nil && n.Type == html.ElementNode && n.Data == "input" && attr(n, "name") != "" {
			f.Fields.Set(attr(n, "name"), attr(n, "value"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, f)
		}
	}
	walk(doc, nil)
	return forms
}

// FormWith returns the first form that has the named field.
func (p *Page) FormWith(field string) (Form, error) {
	for _, f := range p.Forms() {
		if _, ok := f.Fields[field]; ok {
			return f, nil
		}
	}
	return Form{}, fmt.Errorf("no form with field %q at %s (status %d): %.400s", field, p.URL, p.Status, p.Body)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// Submit posts a form from page with the given fields set, following redirects
// within Sigil.
func (b *Browser) Submit(page *Page, f Form, set url.Values) (*Page, error) {
	for k, v := range set {
		f.Fields[k] = v
	}
	action, err := page.URL.Parse(f.Action)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, action.String(), strings.NewReader(f.Fields.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.env.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.Client.Do(req)
	if err != nil {
		return nil, err
	}
	return readPage(resp)
}

// OAuth2 returns a relying party configuration for app.
func (e *Env) OAuth2(app *storage.Application, secret string, scopes ...string) *oauth2.Config {
	if len(scopes) == 0 {
		scopes = []string{oidc.ScopeOpenID, "profile", "email", oidc.ScopeOfflineAccess}
	}
	base := e.Server.URL + "/" + e.Tenant.ID
	return &oauth2.Config{
		ClientID: app.ID, ClientSecret: secret, RedirectURL: Callback, Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: base + "/oauth2/v2.0/authorize", TokenURL: base + "/oauth2/v2.0/token", AuthStyle: oauth2.AuthStyleInHeader},
	}
}

// ClientContext makes oauth2 and go-oidc use the server's TLS client.
func (e *Env) ClientContext(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, e.Server.Client())
}

// SignIn walks the real pages — username, password, and consent when shown —
// and returns the redirect back to the client.
func (b *Browser) SignIn(authURL, username, password string) (url.Values, error) {
	page, err := b.Get(authURL)
	if err != nil {
		return nil, err
	}
	for range 6 {
		if page.Status == http.StatusSeeOther && strings.HasPrefix(page.Location, Callback) {
			loc, err := url.Parse(page.Location)
			if err != nil {
				return nil, err
			}
			return loc.Query(), nil
		}
		if page, err = b.next(page, username, password); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("sign-in did not return to the client; last page %s (%d): %.600s", page.URL, page.Status, page.Body)
}

// next fills whichever sign-in page it is shown.
func (b *Browser) next(page *Page, username, password string) (*Page, error) {
	if f, err := page.FormWith("password"); err == nil {
		return b.Submit(page, f, url.Values{"password": {password}})
	}
	if f, err := page.FormWith("username"); err == nil {
		return b.Submit(page, f, url.Values{"username": {username}})
	}
	if strings.Contains(page.Body, `name="decision"`) {
		f, err := page.FormWith("csrf_token")
		if err != nil {
			return nil, err
		}
		return b.Submit(page, f, url.Values{"decision": {"accept"}})
	}
	return nil, fmt.Errorf("unexpected page %s (%d): %.600s", page.URL, page.Status, page.Body)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
