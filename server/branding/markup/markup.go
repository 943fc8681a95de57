package markup

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxCharacters is the most Unicode characters (code points) the sign-in page
// text may hold (H-22).
const MaxCharacters = 1024

// paragraphBreak matches a blank line, which may contain spaces or tabs.
var paragraphBreak = regexp.MustCompile(`\n[ \t]*\n\s*`)

// Validate reports whether text is acceptable as sign-in page text: valid
// UTF-8 and at most MaxCharacters Unicode code points (H-22).
func Validate(text string) error {
	if !utf8.ValidString(text) {
		return fmt.Errorf("sign-in page text must be valid Unicode (UTF-8)")
	}
	if n := utf8.RuneCountInString(text); n > MaxCharacters {
		return fmt.Errorf("sign-in page text has %d characters; it can't exceed %d", n, MaxCharacters)
	}
	return nil
}

// Render converts sign-in page text to safe HTML: paragraphs, bold, italics,
// underline and https/mailto hyperlinks (H-23). Everything else is escaped
// text. Render does not enforce the length limit; call Validate on save.
func Render(text string) template.HTML {
	return renderer{}.document(text)
}

// RenderLinksAsText is Render for native (desktop and mobile app)
// environments, where hyperlinks render as text (H-24): each link becomes
// "text (link)".
func RenderLinksAsText(text string) template.HTML {
	return renderer{linksAsText: true}.document(text)
}

// renderer holds the choices that differ between Render and
// RenderLinksAsText.
type renderer struct {
	linksAsText bool
}

// document splits text into paragraphs and renders each one.
func (r renderer) document(text string) template.HTML {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var b strings.Builder
	for _, paragraph := range paragraphBreak.Split(text, -1) {
		paragraph = strings.TrimSpace(paragraph)
		if paragraph == "" {
			continue
		}
		b.WriteString("<p>")
		r.inline(&b, paragraph, false, 0)
		b.WriteString("</p>")
	}
	return template.HTML(b.String()) //nolint:gosec // every piece of user text is escaped by inline.
}
