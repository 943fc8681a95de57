package server_test

import (
	"context"
	"encoding/base64"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server"
	"github.com/sigil-idp/sigil/server/config"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestDemoRelyingPartyShowsVerifiedClaims follows the README walk-through: the
// built-in demo app at /demo/ signs the demo user in through the real pages,
// exchanges the code and shows the ID token's claims.
func TestDemoRelyingPartyShowsVerifiedClaims(t *testing.T) {
	store := gormstoretest.SQLite(t)
	master := []byte("demo test master secret, at least 32 bytes long")
	km, err := keys.NewManager(store, [][]byte{master}, keys.Options{})
	must(t, err)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux) // plain HTTP, as `sigil demo` on localhost
	t.Cleanup(srv.Close)
	demo, err := (&directory.Service{Store: store, Keys: km}).EnsureDemo(context.Background(), srv.URL)
	must(t, err)
	cfg := config.Default()
	cfg.PublicURL, cfg.InsecureCookies = srv.URL, true
	cfg.MasterSecret = base64.StdEncoding.EncodeToString(master)
	app, err := server.New(context.Background(), server.Deps{Config: cfg, Store: store, Keys: km, Demo: demo, Logger: slog.New(slog.DiscardHandler)})
	must(t, err)
	mux.Handle("/", app)

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(srv.URL + "/demo/login")
	must(t, err)
	page := readBody(t, resp)
	for _, field := range []struct{ name, value string }{{"username", demo.UserUPN}, {"password", demo.UserPassword}} {
		page = submitField(t, client, resp.Request.URL, page, field.name, field.value, &resp)
	}
	page = html.UnescapeString(page)
	if !strings.Contains(page, `"preferred_username": "`+demo.UserUPN+`"`) || !strings.Contains(page, `"tid": "`+demo.TenantID+`"`) {
		t.Fatalf("demo callback page does not show the verified claims: %.1500s", page)
	}
}

// submitField posts the form holding the named field with the value set.
func submitField(t *testing.T, c *http.Client, at *url.URL, body, name, value string, last **http.Response) string {
	t.Helper()
	form, err := (&servertest.Page{URL: at, Body: body}).FormWith(name)
	must(t, err)
	form.Fields.Set(name, value)
	action, _ := at.Parse(form.Action)
	resp, err := c.PostForm(action.String(), form.Fields)
	must(t, err)
	*last = resp
	return readBody(t, resp)
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d: %.500s", resp.Request.URL, resp.StatusCode, b)
	}
	return string(b)
}
