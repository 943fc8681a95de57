package branding

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxCSSBytes bounds an uploaded stylesheet. The seed gives no limit; 25 KB
// holds the CSS template several times over.
const MaxCSSBytes = 25 * 1024

// cssError is a problem at a line of the uploaded stylesheet.
type cssError struct {
	line int
	msg  string
}

func (e *cssError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// SanitizeCSS parses an uploaded stylesheet and returns it rewritten from
// what was understood, or a *directory.ValidationError naming the first
// problem and its line. It accepts only (H-14, H-34..H-39):
//
//   - rules whose selectors are built from body, a and .ext-* classes, with
//     the pseudo-classes of the CSS template reference and a few more
//     (allowedPseudo) and the combinators " ", ">", "+", "~" — no ids, no
//     attribute selectors (which could read the page's hidden fields), no *;
//   - @media blocks holding such rules; every other at-rule (@import,
//     @font-face, @charset, @namespace, ...) is refused;
//   - declarations whose values call only allowedFunctions: no url(),
//     image-set(), expression(), no "javascript:", no backslash escapes (which
//     could spell any of them), no "<".
//
// Comments are dropped. Anything else is an error, never silently removed,
// so what the administrator sees is what the browser gets.
func SanitizeCSS(src []byte) (string, error) {
	out, err := sanitizeCSS(src)
	if err != nil {
		return "", invalid("customCSS", "%v", err)
	}
	return out, nil
}

func sanitizeCSS(src []byte) (string, error) {
	switch {
	case len(src) > MaxCSSBytes:
		return "", fmt.Errorf("the stylesheet is %s; it can't exceed %s", kb(len(src)), kb(MaxCSSBytes))
	case !utf8.Valid(src):
		return "", fmt.Errorf("the stylesheet must be UTF-8 text")
	}
	text, err := stripComments(strings.TrimPrefix(string(src), "\uFEFF"))
	if err != nil {
		return "", err
	}
	if i := strings.IndexAny(text, "\\\x00<`"); i >= 0 {
		return "", &cssError{lineAt(text, i), fmt.Sprintf("the character %q is not allowed", text[i])}
	}
	p := &cssParser{src: text}
	var b strings.Builder
	if err := p.stylesheet(&b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// stripComments replaces each /* ... */ by a space, keeping line breaks so
// errors report the right line.
func stripComments(s string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "/*")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.Index(s[i+2:], "*/")
		if j < 0 {
			return "", &cssError{lineAt(b.String()+s, b.Len()+i), "a comment is not closed"}
		}
		b.WriteString(s[:i])
		b.WriteString(" " + strings.Repeat("\n", strings.Count(s[i:i+2+j+2], "\n")))
		s = s[i+2+j+2:]
	}
}

func lineAt(s string, offset int) int { return strings.Count(s[:offset], "\n") + 1 }

var (
	propertyPattern = regexp.MustCompile(`^(?:--[a-z0-9-]+|-?[a-z][a-z0-9-]*)$`)
	mediaPattern    = regexp.MustCompile(`^[a-z0-9 ():,.\-]+$`)
	functionCall    = regexp.MustCompile(`([a-z0-9-]*)\(`)
	// deniedProperties run code or load resources in some browsers.
	deniedProperties = map[string]bool{"behavior": true, "-moz-binding": true, "src": true}
	// deniedWords are refused anywhere in a value, strings included.
	deniedWords = []string{"url(", "expression", "javascript", "vbscript", "image-set", "@import", "data:"}
)

// allowedFunctions are the CSS functions a value may call; none of them
// loads anything.
var allowedFunctions = map[string]bool{
	"rgb": true, "rgba": true, "hsl": true, "hsla": true, "hwb": true, "color-mix": true,
	"calc": true, "min": true, "max": true, "clamp": true, "var": true,
	"linear-gradient": true, "radial-gradient": true, "conic-gradient": true,
	"repeating-linear-gradient": true, "repeating-radial-gradient": true,
	"translate": true, "translatex": true, "translatey": true, "rotate": true, "scale": true,
	"cubic-bezier": true, "steps": true, "minmax": true, "repeat": true, "blur": true,
	"drop-shadow": true, "brightness": true, "opacity": true,
}

// checkValue reports the first thing in a declaration's value that is not
// allowed.
func checkValue(value string) string {
	lower := strings.ToLower(value)
	for _, w := range deniedWords {
		if strings.Contains(lower, w) {
			return fmt.Sprintf("%q is not allowed in a value", w)
		}
	}
	for _, m := range functionCall.FindAllStringSubmatch(lower, -1) {
		if !allowedFunctions[m[1]] {
			return fmt.Sprintf("the function %s() is not allowed", m[1])
		}
	}
	if strings.ContainsAny(value, "{}") {
		return "braces are not allowed in a value"
	}
	if strings.Count(value, `"`)%2 != 0 || strings.Count(value, "'")%2 != 0 {
		return "a string is not closed"
	}
	return ""
}
