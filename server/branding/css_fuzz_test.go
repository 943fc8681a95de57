package branding

import (
	"strings"
	"testing"
)

// FuzzSanitizeCSSNeverLetsAFetchOrScriptThrough: whatever the input, an
// accepted stylesheet holds no url(), @import, expression, javascript:,
// escape or markup, only allowed selectors, and sanitising it again changes
// nothing (H-14).
func FuzzSanitizeCSSNeverLetsAFetchOrScriptThrough(f *testing.F) {
	for _, seed := range []string{
		".ext-title { color: red }",
		"@media (max-width: 600px) { .ext-footer { display: none } }",
		".ext-title { background: url(https://evil.example) }",
		`@import "x.css";`,
		`.ext-title::after { content: "a;b}" }`,
		".ext-a, body > a:hover { --x: calc(1px + 2em) !important }",
		`.ext-title { background: u\72l(x) }`,
		"/* c */ .ext-x { a: b; ; }",
		"@MEDIA screen{a{color:red}}",
		`.ext-title { font-family: "url(" }`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := SanitizeCSS(in)
		if err != nil {
			return
		}
		lower := strings.ToLower(out)
		for _, bad := range []string{"url(", "@import", "expression(", "javascript:", "\\", "<", "image-set(", "@font-face"} {
			if strings.Contains(lower, bad) {
				t.Fatalf("%q survived in %q (input %q)", bad, out, in)
			}
		}
		for _, line := range strings.Split(out, "\n") {
			sel, isRule := strings.CutSuffix(strings.TrimSpace(line), " {")
			if isRule && !strings.HasPrefix(sel, "@media ") {
				if _, err := canonicalSelectors(sel); err != nil {
					t.Fatalf("selector %q in the output is not allowed: %v", sel, err)
				}
			}
		}
		again, err := SanitizeCSS([]byte(out))
		if err != nil || again != out {
			t.Fatalf("sanitising the output again gave %q, %v; want %q", again, err, out)
		}
	})
}
