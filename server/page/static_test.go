package page

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestStaticHandler(t *testing.T) {
	t.Parallel()
	p := newRenderer(t, Options{})
	versioned, err := p.staticURL("sigil.css")
	if err != nil {
		t.Fatal(err)
	}
	hash := versioned[strings.Index(versioned, "?v=")+3:]
	cases := []struct {
		name, path, ifNoneMatch string
		status                  int
		cache                   string
	}{
		{"caches a versioned URL for a year", versioned, "", http.StatusOK, "public, max-age=31536000, immutable"},
		{"revalidates an unversioned URL", "/_/static/sigil.css", "", http.StatusOK, "no-cache"},
		{"revalidates a stale version", "/_/static/sigil.css?v=0000", "", http.StatusOK, "no-cache"},
		{"answers 304 for a matching ETag", "/_/static/sigil.css", `"` + hash + `"`, http.StatusNotModified, "no-cache"},
		{"does not serve unknown files", "/_/static/passwd", "", http.StatusNotFound, ""},
		{"does not serve paths outside the prefix", "/_/static/../templates/base.html", "", http.StatusNotFound, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, c.path, nil)
			if c.ifNoneMatch != "" {
				req.Header.Set("If-None-Match", c.ifNoneMatch)
			}
			rec := httptest.NewRecorder()
			p.StaticHandler().ServeHTTP(rec, req)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d", rec.Code, c.status)
			}
			if c.cache != "" && rec.Header().Get("Cache-Control") != c.cache {
				t.Errorf("Cache-Control = %q, want %q", rec.Header().Get("Cache-Control"), c.cache)
			}
			if c.status == http.StatusOK {
				if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
					t.Errorf("Content-Type = %q", ct)
				}
				if !strings.Contains(rec.Body.String(), ".ext-sign-in-box") {
					t.Error("body is not the stylesheet")
				}
			}
		})
	}
}

func TestStaticURLRejectsUnknownAssets(t *testing.T) {
	t.Parallel()
	p := newRenderer(t, Options{})
	if _, err := p.staticURL("missing.css"); err == nil {
		t.Fatal("staticURL accepted an unknown asset")
	}
}
