package branding

import (
	"os"
	"strings"
	"testing"
)

// TestSanitizeCSSAcceptsTheTemplatesSelectors covers H-14 and the selectors
// of H-34..H-39: rules written for Entra's CSS template pass, rewritten one
// declaration a line.
func TestSanitizeCSSAcceptsTheTemplatesSelectors(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"base selectors (H-34)", "body{background-color:#fff}a:focus:hover{color:red}",
			"body {\n  background-color: #fff;\n}\na:focus:hover {\n  color: red;\n}\n"},
		{"buttons and their states (H-36)", ".ext-button.ext-primary:hover , .ext-button.ext-secondary:active { background: rgb(0, 103, 184) !important ; }",
			".ext-button.ext-primary:hover, .ext-button.ext-secondary:active {\n  background: rgb(0, 103, 184) !important;\n}\n"},
		{"combinators", ".ext-sign-in-box>.ext-title  +  .ext-subtitle ~ a { margin: 0 }",
			".ext-sign-in-box > .ext-title + .ext-subtitle ~ a {\n  margin: 0;\n}\n"},
		{"@media blocks", "@media (max-width: 600px) { .ext-footer { display: none } }",
			"@media (max-width: 600px) {\n  .ext-footer {\n    display: none;\n  }\n}\n"},
		{"comments are dropped", "/* brand */ .ext-title { /* big */ font-size: 2rem; }",
			".ext-title {\n  font-size: 2rem;\n}\n"},
		{"strings with semicolons", `.ext-title::after { content: "a;b"; font-family: 'Segoe UI', sans-serif }`,
			".ext-title::after {\n  content: \"a;b\";\n  font-family: 'Segoe UI', sans-serif;\n}\n"},
		{"custom properties and gradients", ".ext-middle { --brand: #123456; background: linear-gradient(90deg, var(--brand), #fff) }",
			".ext-middle {\n  --brand: #123456;\n  background: linear-gradient(90deg, var(--brand), #fff);\n}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := SanitizeCSS([]byte(c.in))
			if err != nil {
				t.Fatalf("SanitizeCSS: %v", err)
			}
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

// TestSanitizeCSSRefusesWhatCouldFetchOrRun: no external url(), @import,
// expression(), javascript:, escapes or selectors outside .ext-*, each with
// a clear message and its line (H-14).
func TestSanitizeCSSRefusesWhatCouldFetchOrRun(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"an external url()", ".ext-title { background: url(https://evil.example/x.png) }", `"url(" is not allowed`},
		{"url() in upper case", ".ext-title { background: URL(//evil.example/x) }", `"url(" is not allowed`},
		{"@import", `@import "https://evil.example/a.css";`, "@import is not allowed"},
		{"@import url()", "@import url(x.css);", "@import is not allowed"},
		{"@font-face", "@font-face { font-family: x; src: local(x) }", "@font-face is not allowed"},
		{"@charset", `@charset "utf-8";`, "@charset is not allowed"},
		{"IE expression()", ".ext-title { width: expression(alert(1)) }", `"expression" is not allowed`},
		{"javascript: in a string", `.ext-title::after { content: "javascript:alert(1)" }`, `"javascript" is not allowed`},
		{"image-set() with a string URL", `.ext-title { background: image-set("https://evil.example/x.png" 1x) }`, `"image-set" is not allowed`},
		{"an unknown function", ".ext-title { background: element(#x) }", "function element() is not allowed"},
		{"a backslash escape spelling url", `.ext-title { background: u\72l(x) }`, `'\\' is not allowed`},
		{"an attribute selector reading the CSRF token", `input[value^="a"] { color: red }`, "is not allowed"},
		{"an id selector", "#username { color: red }", "is not allowed"},
		{"a class outside .ext-*", ".visually-hidden { display: block }", "is not allowed"},
		{"the universal selector", "* { display: none }", "is not allowed"},
		{"an unknown pseudo-class", ".ext-title:has(a) { color: red }", "pseudo-class :has is not allowed"},
		{"behavior", ".ext-title { behavior: foo }", "property behavior is not allowed"},
		{"-moz-binding", ".ext-title { -moz-binding: x }", "property -moz-binding is not allowed"},
		{"a closing style tag", ".ext-title { color: red } </style><script>", `'<' is not allowed`},
		{"an unclosed block", ".ext-title { color: red", "not closed"},
		{"an unclosed comment", ".ext-title { color: red } /* x", "comment is not closed"},
		{"an unclosed string", ".ext-title::after { content: \"x }", "not closed"},
		{"a nested @media", "@media print { @media screen { a { color: red } } }", "can't be nested"},
		{"a declaration without a value", ".ext-title { color }", "is not a declaration"},
		{"data: URIs", ".ext-title { background: data:image/png }", `"data:" is not allowed`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := SanitizeCSS([]byte(c.in))
			wantProblem(t, err, "customCSS", c.want)
		})
	}
}

func TestSanitizeCSSLimitsAndLines(t *testing.T) {
	t.Parallel()
	rule := ".ext-title { color: #123456; }\n"
	atLimit := strings.Repeat(rule, MaxCSSBytes/len(rule))
	if _, err := SanitizeCSS([]byte(atLimit)); err != nil {
		t.Errorf("a %d-byte stylesheet was refused: %v", len(atLimit), err)
	}
	_, err := SanitizeCSS([]byte(strings.Repeat(" ", MaxCSSBytes+1)))
	wantProblem(t, err, "customCSS", "can't exceed 25 KB")
	_, err = SanitizeCSS([]byte{'a', 0xff, '{'})
	wantProblem(t, err, "customCSS", "UTF-8")
	_, err = SanitizeCSS([]byte(".ext-title {\n color: red;\n}\n\n.ext-x {\n background: url(x)\n}"))
	wantProblem(t, err, "customCSS", "line 7")
}

// TestTheCSSTemplatePassesTheSanitiser: the downloadable template lists every
// class the pages use and is itself acceptable (H-14, H-34..H-39).
func TestTheCSSTemplatePassesTheSanitiser(t *testing.T) {
	t.Parallel()
	tmpl, err := os.ReadFile("../../static/custom-css-template.css")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SanitizeCSS(tmpl); err != nil {
		t.Fatalf("the template is refused: %v", err)
	}
	for _, sel := range []string{
		"body", "a:hover", "a:focus:hover", "a:active", ".ext-background-image", ".ext-header", ".ext-header-logo",
		".ext-middle", ".ext-vertical-split-main-section", ".ext-vertical-split-background-image-container",
		".ext-sign-in-box", ".ext-title", ".ext-subtitle", ".ext-button.ext-primary:focus:hover",
		".ext-button.ext-secondary:active", ".ext-error", ".ext-input.ext-text-box.ext-has-error",
		".ext-input.ext-text-box:focus:hover", ".ext-boilerplate-text", ".ext-promoted-fed-cred-box",
		".ext-footer", ".ext-footer-links", ".ext-footer-item", ".ext-debug-item", ".ext-banner-logo",
	} {
		if !strings.Contains(string(tmpl), sel+" {") && !strings.Contains(string(tmpl), sel+",") {
			t.Errorf("the template lacks %s", sel)
		}
	}
}
