package page

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/templates"
)

// templateString finds {{$.T "literal"}} in a template.
var templateString = regexp.MustCompile(`\$\.T "((?:[^"\\]|\\.)*)"`)

// TestEveryTemplateStringIsTranslated: every literal a template passes to T
// is a catalogue key, and every catalogue has every key with the same %s
// verbs (H-28: Sigil's own strings in six languages).
func TestEveryTemplateStringIsTranslated(t *testing.T) {
	t.Parallel()
	keys := map[string]bool{}
	for _, k := range catalogueKeys {
		keys[k] = true
	}
	files, err := fs.Glob(templates.FS, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, _ := fs.ReadFile(templates.FS, f)
		for _, m := range templateString.FindAllStringSubmatch(string(b), -1) {
			if !keys[m[1]] {
				t.Errorf("%s: %q is not in catalogueKeys", f, m[1])
			}
		}
	}
	for lang, cat := range catalogues {
		if len(cat) != len(catalogueKeys) {
			t.Errorf("%s catalogue has %d strings, want %d", lang, len(cat), len(catalogueKeys))
		}
		for _, k := range catalogueKeys {
			tr, ok := cat[k]
			if !ok || strings.TrimSpace(tr) == "" {
				t.Errorf("%s lacks %q", lang, k)
				continue
			}
			if strings.Count(tr, "%s") != strings.Count(k, "%s") || strings.Count(tr, "%") != strings.Count(k, "%") {
				t.Errorf("%s: %q has other verbs than %q", lang, tr, k)
			}
		}
	}
}

func TestLanguageChoice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, query, acceptLanguage, wantLang, wantDir string
	}{
		{"English without preferences", "", "", "en", "ltr"},
		{"Accept-Language picks German", "", "de-DE,de;q=0.9,en;q=0.8", "de", "ltr"},
		{"quality order, not header order", "", "en;q=0.5, fr;q=0.9", "fr", "ltr"},
		{"ui_locales outranks Accept-Language", "?ui_locales=es%20en", "de", "es", "ltr"},
		{"an unknown language falls through to the next", "", "nl, he;q=0.5", "he", "rtl"},
		{"Arabic is right to left (H-29)", "", "ar-SA", "ar", "rtl"},
		{"q=0 is refused", "", "de;q=0, fr", "fr", "ltr"},
		{"malformed tags are ignored", "?ui_locales=%3Cscript%3E", "x_y, es", "es", "ltr"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, "/"+c.query, nil)
			if c.acceptLanguage != "" {
				req.Header.Set("Accept-Language", c.acceptLanguage)
			}
			lang := Pick(Languages(req), hasCatalogue, "en")
			if lang != c.wantLang || Direction(lang) != c.wantDir {
				t.Errorf("got %s/%s, want %s/%s", lang, Direction(lang), c.wantLang, c.wantDir)
			}
		})
	}
}

func TestPagesRenderInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	p := newRenderer(t, Options{})
	cases := []struct{ acceptLanguage, want, dir string }{
		{"de", "E-Mail oder Benutzername", "ltr"},
		{"fr", "E-mail ou nom d’utilisateur", "ltr"},
		{"es", "Correo electrónico o nombre de usuario", "ltr"},
		{"ar", "البريد الإلكتروني أو اسم المستخدم", "rtl"},
		{"he", "דואר אלקטרוני או שם משתמש", "rtl"},
	}
	for _, c := range cases {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Language", c.acceptLanguage)
		req = req.WithContext(requestid.With(req.Context(), "req-1"))
		rec := httptest.NewRecorder()
		p.Render(rec, req, http.StatusOK, "username", sampleData["username"])
		body := rec.Body.String()
		for _, want := range []string{c.want, `lang="` + c.acceptLanguage + `" dir="` + c.dir + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s page lacks %s", c.acceptLanguage, want)
			}
		}
	}
}
