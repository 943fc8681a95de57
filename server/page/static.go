package page

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/sigil-idp/sigil/static"
)

// StaticPrefix is the path under which StaticHandler serves assets.
const StaticPrefix = "/_/static/"

// embeddedAssets are the built-in assets.
var embeddedAssets fs.FS = static.FS

// asset is one static file held in memory.
type asset struct {
	content     []byte
	hash        string // first 16 hex digits of the SHA-256 of content
	contentType string
}

// loadAssets reads the embedded assets, then the override directory's static/
// folder, whose files replace or add to them.
func loadAssets(overrideDir string) (map[string]asset, error) {
	assets := map[string]asset{}
	embedded, err := fs.ReadDir(embeddedAssets, ".")
	if err != nil {
		return nil, fmt.Errorf("page: list assets: %w", err)
	}
	for _, e := range embedded {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(embeddedAssets, e.Name())
		if err != nil {
			return nil, fmt.Errorf("page: read asset %s: %w", e.Name(), err)
		}
		assets[e.Name()] = newAsset(e.Name(), b)
	}
	if overrideDir == "" {
		return assets, nil
	}
	dir := filepath.Join(overrideDir, "static")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return assets, nil
	}
	if err != nil {
		return nil, fmt.Errorf("page: list override assets: %w", err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("page: read override asset %s: %w", e.Name(), err)
		}
		assets[e.Name()] = newAsset(e.Name(), b)
	}
	return assets, nil
}

func newAsset(name string, content []byte) asset {
	sum := sha256.Sum256(content)
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	return asset{content: content, hash: hex.EncodeToString(sum[:8]), contentType: ctype}
}

// staticURL is the template function `static`: the versioned URL of an asset,
// e.g. /_/static/sigil.css?v=1a2b3c4d5e6f7a8b. Naming an asset that does not
// exist fails the page's rendering, so a typo in a template shows up in tests.
func (p *Renderer) staticURL(name string) (string, error) {
	a, ok := p.assets[name]
	if !ok {
		return "", fmt.Errorf("page: no static asset %q", name)
	}
	return StaticPrefix + name + "?v=" + a.hash, nil
}

// StaticHandler serves the assets under StaticPrefix; mount it with
// mux.Handle("GET "+page.StaticPrefix, r.StaticHandler()). A request carrying
// the current content hash (?v=) may be cached for a year; any other is
// revalidated with the ETag.
func (p *Renderer) StaticHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, StaticPrefix)
		a, found := p.assets[name]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("ETag", `"`+a.hash+`"`)
		h.Set("X-Content-Type-Options", "nosniff")
		if r.URL.Query().Get("v") == a.hash {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.content))
	})
}
