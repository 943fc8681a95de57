package markup

import (
	"html"
	"net/url"
	"strings"
	"unicode"
)

// relValue is the rel attribute of every emitted link.
const relValue = "noopener noreferrer"

// link tries to read [text](link) starting at the '[' at byte i of s. A link
// whose URL is not allowed, or any link under RenderLinksAsText, renders as
// "text (link)" in plain text.
func (r renderer) link(s string, i, depth int) (string, int, bool) {
	textEnd := strings.IndexByte(s[i+1:], ']')
	if textEnd <= 0 {
		return "", 0, false
	}
	textEnd += i + 1
	if textEnd+1 >= len(s) || s[textEnd+1] != '(' {
		return "", 0, false
	}
	urlEnd := strings.IndexByte(s[textEnd+2:], ')')
	if urlEnd < 0 {
		return "", 0, false
	}
	urlEnd += textEnd + 2
	target := strings.TrimSpace(s[textEnd+2 : urlEnd])
	if target == "" {
		return "", 0, false
	}
	var text strings.Builder
	r.inline(&text, s[i+1:textEnd], true, depth+1)
	if r.linksAsText || !AllowedLink(target) {
		return text.String() + " (" + html.EscapeString(target) + ")", urlEnd + 1, true
	}
	rendered := `<a href="` + html.EscapeString(target) + `" rel="` + relValue + `">` + text.String() + "</a>"
	return rendered, urlEnd + 1, true
}

// AllowedLink reports whether target may become a clickable link: an absolute
// https URL with a host and no user information, or a mailto URL with an
// address. Control characters, spaces and backslashes are never allowed.
func AllowedLink(target string) bool {
	if target == "" || strings.ContainsRune(target, '\\') {
		return false
	}
	for _, c := range target {
		if unicode.IsControl(c) || unicode.IsSpace(c) {
			return false
		}
	}
	u, err := url.Parse(target)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "https":
		return u.Host != "" && u.User == nil && u.Opaque == ""
	case "mailto":
		return u.Opaque != "" && u.Host == ""
	}
	return false
}
