package markup

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// emphasis is one inline marker and the element it produces. Longer markers
// come first so ** is tried before *.
type emphasis struct {
	marker string
	tag    string
}

var emphases = []emphasis{
	{marker: "**", tag: "strong"},
	{marker: "__", tag: "strong"},
	{marker: "++", tag: "u"},
	{marker: "*", tag: "em"},
	{marker: "_", tag: "em"},
}

// maxNesting is the deepest nesting of constructs recognized; markers deeper
// than this render literally. It bounds the work for hostile input.
const maxNesting = 8

// closerHit remembers the last closer search for one marker in one span of
// text: searching from any offset in [from, at) finds the same closer, and a
// failed search fails from every later offset too. It keeps scanning linear.
type closerHit struct {
	from, at int
	found    bool
}

// span is one run of text being rendered at a nesting depth.
type span struct {
	s       string
	inLink  bool
	depth   int
	closers map[string]closerHit
}

// inline renders one paragraph (or a link's text, when inLink is set) into b.
// Text between constructs is escaped; constructs are rendered recursively on
// their content, so the output is always well nested.
func (r renderer) inline(b *strings.Builder, s string, inLink bool, depth int) {
	if depth >= maxNesting {
		b.WriteString(html.EscapeString(s))
		return
	}
	sp := &span{s: s, inLink: inLink, depth: depth, closers: map[string]closerHit{}}
	plainStart := 0
	for i := 0; i < len(s); {
		rendered, end, ok := r.construct(sp, i)
		if !ok {
			i++
			continue
		}
		b.WriteString(html.EscapeString(s[plainStart:i]))
		b.WriteString(rendered)
		i, plainStart = end, end
	}
	b.WriteString(html.EscapeString(s[plainStart:]))
}

// construct tries to read a link or an emphasis starting at byte i of s. It
// returns the rendered HTML and the byte offset just past the construct.
func (r renderer) construct(sp *span, i int) (string, int, bool) {
	s := sp.s
	if s[i] == '[' && !sp.inLink {
		return r.link(s, i, sp.depth)
	}
	for _, e := range emphases {
		if !strings.HasPrefix(s[i:], e.marker) || !canOpen(s, i, e.marker) {
			continue
		}
		closeAt, found := sp.findCloser(i+len(e.marker), e.marker)
		if !found {
			continue
		}
		var inner strings.Builder
		r.inline(&inner, s[i+len(e.marker):closeAt], sp.inLink, sp.depth+1)
		rendered := "<" + e.tag + ">" + inner.String() + "</" + e.tag + ">"
		return rendered, closeAt + len(e.marker), true
	}
	return "", 0, false
}

// findCloser returns the offset of the first marker after from that can close
// an emphasis, reusing the previous search for the marker when it still holds.
func (sp *span) findCloser(from int, marker string) (int, bool) {
	if hit, ok := sp.closers[marker]; ok && from >= hit.from && (!hit.found || from < hit.at) {
		return hit.at, hit.found
	}
	at, found := scanCloser(sp.s, from, marker)
	sp.closers[marker] = closerHit{from: from, at: at, found: found}
	return at, found
}

// scanCloser returns the offset of the first marker after from that can close
// an emphasis.
func scanCloser(s string, from int, marker string) (int, bool) {
	for k := from; k < len(s); {
		idx := strings.Index(s[k:], marker)
		if idx < 0 {
			return 0, false
		}
		at := k + idx
		if at > from && canClose(s, at, marker) {
			return at, true
		}
		k = at + 1
	}
	return 0, false
}

// canOpen reports whether marker at byte i may open an emphasis: the next
// character is not a space, an underscore marker is not inside a word, and a
// single-character marker is not part of a longer run.
func canOpen(s string, i int, marker string) bool {
	after := i + len(marker)
	if after >= len(s) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(s[after:])
	if unicode.IsSpace(next) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	if marker[0] == '_' && i > 0 && isWordRune(before) {
		return false
	}
	return !isPartOfRun(s, i, marker)
}

// canClose reports whether marker at byte at may close an emphasis: the
// previous character is not a space, an underscore marker is not inside a
// word, and a single-character marker is not part of a longer run.
func canClose(s string, at int, marker string) bool {
	prev, _ := utf8.DecodeLastRuneInString(s[:at])
	if unicode.IsSpace(prev) {
		return false
	}
	after := at + len(marker)
	if marker[0] == '_' && after < len(s) {
		next, _ := utf8.DecodeRuneInString(s[after:])
		if isWordRune(next) {
			return false
		}
	}
	return !isPartOfRun(s, at, marker)
}

// isPartOfRun reports whether a single-character marker at byte i touches
// another copy of the same character.
func isPartOfRun(s string, i int, marker string) bool {
	if len(marker) != 1 {
		return false
	}
	c := marker[0]
	return (i > 0 && s[i-1] == c) || (i+1 < len(s) && s[i+1] == c)
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
