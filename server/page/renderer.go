package page

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/templates"
)

// layoutFile defines the "layout" template every page is rendered through; each
// other template file defines the blocks "title" and "content" of one page.
const layoutFile = "base.html"

// ErrorPage is the name of the template Error renders.
const ErrorPage = "error"

// Options configure a Renderer. The zero value renders the embedded pages.
type Options struct {
	// OverrideDir, when set, is a directory whose files replace the embedded
	// ones of the same name: templates as <dir>/<name>.html, assets as
	// <dir>/static/<file> (an asset that is not embedded is added). It is read
	// once, by New.
	OverrideDir string
	// Logger receives template execution failures. Defaults to slog.Default().
	Logger *slog.Logger
	// Brands, when set, supplies the branding of the tenant a page is shown
	// for; without it every page has Sigil's default look.
	Brands BrandSource
}

// Renderer renders pages. It is safe for concurrent use.
type Renderer struct {
	pages  map[string]*template.Template
	assets map[string]asset
	log    *slog.Logger
	brands BrandSource
}

// View is what a page template executes with: the caller's data, the ID of
// the request being answered, the language and direction the page is written
// in and the tenant's branding (never nil).
type View struct {
	Data      any
	RequestID string
	Lang      string // a language of the catalogue, e.g. "de"
	Dir       string // "ltr" or "rtl"
	Brand     *Brand
}

// T translates msg, an English catalogue key, into the page's language,
// formatting args into its %s verbs. Unknown messages stay in English.
func (v View) T(msg string, args ...any) string {
	return translate(v.Lang, msg, args...)
}

// ErrorData is the data of the error page.
type ErrorData struct {
	Title   string
	Message string
	// LinkURL and LinkText, when set, offer the way forward (a local path).
	LinkURL  string
	LinkText string
}

// New parses the templates and loads the assets, applying opts.OverrideDir.
// It fails when a template does not parse, so a broken override is caught at
// start-up rather than on a user's screen.
func New(opts Options) (*Renderer, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	assets, err := loadAssets(opts.OverrideDir)
	if err != nil {
		return nil, err
	}
	r := &Renderer{assets: assets, log: opts.Logger, brands: opts.Brands}
	if r.pages, err = r.parsePages(opts.OverrideDir); err != nil {
		return nil, err
	}
	if r.pages[ErrorPage] == nil {
		return nil, fmt.Errorf("page: the %q template is missing", ErrorPage)
	}
	return r, nil
}

// Render writes the named page with status. A page that fails to render is
// logged and answered with a plain 500 naming only the request ID.
func (p *Renderer) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	id := requestid.From(r.Context())
	var buf bytes.Buffer
	err := errors.New("no such page")
	if t := p.pages[name]; t != nil {
		err = t.ExecuteTemplate(&buf, "layout", p.view(r, data, id))
	}
	if err != nil {
		p.log.ErrorContext(r.Context(), "render page", "page", name, "request_id", id, "err", err)
		writePlainError(w, id)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Error writes the branded error page: a title, a message for the person and
// the request ID to quote to support. The cause belongs in the caller's log.
func (p *Renderer) Error(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	p.Render(w, r, status, ErrorPage, ErrorData{Title: title, Message: message})
}

// ErrorWithLink is Error with a link to where the person can go on.
func (p *Renderer) ErrorWithLink(w http.ResponseWriter, r *http.Request, status int, title, message, linkURL, linkText string) {
	p.Render(w, r, status, ErrorPage, ErrorData{Title: title, Message: message, LinkURL: linkURL, LinkText: linkText})
}

func writePlainError(w http.ResponseWriter, id string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = fmt.Fprintf(w, "Something went wrong. Request ID: %s\n", id)
}

// parsePages builds one template set per page: the layout plus that page.
func (p *Renderer) parsePages(overrideDir string) (map[string]*template.Template, error) {
	names, err := fs.Glob(templates.FS, "*.html")
	if err != nil {
		return nil, err
	}
	layout, err := readTemplate(overrideDir, layoutFile)
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{"static": p.staticURL}
	pages := make(map[string]*template.Template, len(names))
	for _, file := range names {
		if file == layoutFile {
			continue
		}
		body, err := readTemplate(overrideDir, file)
		if err != nil {
			return nil, err
		}
		t := template.New(file).Funcs(funcs)
		if _, err := t.Parse(layout); err != nil {
			return nil, fmt.Errorf("page: parse %s: %w", layoutFile, err)
		}
		if _, err := t.Parse(body); err != nil {
			return nil, fmt.Errorf("page: parse %s: %w", file, err)
		}
		pages[strings.TrimSuffix(file, ".html")] = t
	}
	return pages, nil
}

// readTemplate returns the override file when it exists, else the embedded one.
func readTemplate(overrideDir, file string) (string, error) {
	if overrideDir != "" {
		b, err := os.ReadFile(filepath.Join(overrideDir, file))
		if err == nil {
			return string(b), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("page: read override %s: %w", file, err)
		}
	}
	b, err := fs.ReadFile(templates.FS, file)
	if err != nil {
		return "", fmt.Errorf("page: read template %s: %w", file, err)
	}
	return string(b), nil
}
