package branding

import (
	"fmt"
	"regexp"
	"strings"
)

// cssParser reads a comment-free stylesheet and writes back what it accepts,
// one declaration per line.
type cssParser struct {
	src string
	pos int
}

func (p *cssParser) fail(format string, args ...any) error {
	return &cssError{lineAt(p.src, min(p.pos, len(p.src))), fmt.Sprintf(format, args...)}
}

func (p *cssParser) skipSpace() {
	for p.pos < len(p.src) && strings.ContainsRune(" \t\r\n\f", rune(p.src[p.pos])) {
		p.pos++
	}
}

func (p *cssParser) stylesheet(b *strings.Builder) error {
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			return nil
		}
		var err error
		if p.src[p.pos] == '@' {
			err = p.media(b)
		} else {
			err = p.rule(b, "")
		}
		if err != nil {
			return err
		}
	}
}

var atKeyword = regexp.MustCompile(`^@([a-zA-Z-]*)`)

// media reads an @media block of rules; every other at-rule is refused.
func (p *cssParser) media(b *strings.Builder) error {
	name := strings.ToLower(atKeyword.FindStringSubmatch(p.src[p.pos:])[1])
	if name != "media" {
		return p.fail("@%s is not allowed; only @media blocks and rules are", name)
	}
	p.pos += len("@media")
	prelude, err := p.until("{", "};", "@media needs a { block")
	if err != nil {
		return err
	}
	prelude = strings.Join(strings.Fields(strings.ToLower(prelude)), " ")
	if prelude == "" || !mediaPattern.MatchString(prelude) || strings.Contains(prelude, "url") {
		return p.fail("the media query %q is not allowed", prelude)
	}
	b.WriteString("@media " + prelude + " {\n")
	for {
		p.skipSpace()
		switch {
		case p.pos >= len(p.src):
			return p.fail("@media block is not closed")
		case p.src[p.pos] == '}':
			p.pos++
			b.WriteString("}\n")
			return nil
		case p.src[p.pos] == '@':
			return p.fail("at-rules can't be nested in @media")
		}
		if err := p.rule(b, "  "); err != nil {
			return err
		}
	}
}

// until returns the text up to the next stop character outside strings and
// parentheses and consumes it; a character of forbidden met first, or the
// end, is an error.
func (p *cssParser) until(stop, forbidden, problem string) (string, error) {
	start, quote, depth := p.pos, byte(0), 0
	for ; p.pos < len(p.src); p.pos++ {
		c := p.src[p.pos]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\n' {
				return "", p.fail("a string is not closed")
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && strings.IndexByte(stop, c) >= 0:
			p.pos++
			return p.src[start : p.pos-1], nil
		case strings.IndexByte(forbidden, c) >= 0:
			return "", p.fail("%s", problem)
		}
	}
	return "", p.fail("%s", problem)
}

// rule reads "selectors { declarations }".
func (p *cssParser) rule(b *strings.Builder, indent string) error {
	rawSelectors, err := p.until("{", "};", "expected selectors and a { block")
	if err != nil {
		return err
	}
	selectors, err := canonicalSelectors(rawSelectors)
	if err != nil {
		return p.fail("%v", err)
	}
	body, err := p.until("}", "{", "a rule's block is not closed")
	if err != nil {
		return err
	}
	b.WriteString(indent + selectors + " {\n")
	for _, decl := range splitDeclarations(body) {
		line, err := canonicalDeclaration(decl)
		if err != nil {
			return p.fail("%v", err)
		}
		if line != "" {
			b.WriteString(indent + "  " + line + "\n")
		}
	}
	b.WriteString(indent + "}\n")
	return nil
}

// splitDeclarations splits a block at semicolons outside strings and
// parentheses.
func splitDeclarations(body string) []string {
	var out []string
	start, quote, depth := 0, byte(0), 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ';' && depth == 0:
			out = append(out, body[start:i])
			start = i + 1
		}
	}
	return append(out, body[start:])
}

// canonicalDeclaration checks "property: value [!important]" and writes it
// back as "property: value;"; a blank declaration yields "".
func canonicalDeclaration(decl string) (string, error) {
	decl = strings.TrimSpace(decl)
	if decl == "" {
		return "", nil
	}
	name, value, ok := strings.Cut(decl, ":")
	name = strings.ToLower(strings.TrimSpace(name))
	value = strings.Join(strings.Fields(value), " ")
	switch {
	case !ok || value == "":
		return "", fmt.Errorf("%q is not a declaration (property: value)", truncateForError(decl))
	case !propertyPattern.MatchString(name):
		return "", fmt.Errorf("%q is not a property name", truncateForError(name))
	case deniedProperties[name]:
		return "", fmt.Errorf("the property %s is not allowed", name)
	}
	if problem := checkValue(value); problem != "" {
		return "", fmt.Errorf("%s: %s", name, problem)
	}
	return name + ": " + value + ";", nil
}

func truncateForError(s string) string {
	if len(s) > 40 {
		return strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}

var (
	compoundPattern   = regexp.MustCompile(`^(?:body|a)?(?:\.ext-[a-z0-9-]+)*(?:::?[a-z-]+)*`)
	combinatorPattern = regexp.MustCompile(`^\s*([>+~])\s*|^\s+`)
	pseudoPattern     = regexp.MustCompile(`::?[a-z-]+`)
	allowedPseudo     = map[string]bool{
		":hover": true, ":focus": true, ":focus-visible": true, ":focus-within": true, ":active": true,
		":link": true, ":visited": true, ":first-child": true, ":last-child": true, ":disabled": true,
		"::placeholder": true, "::before": true, "::after": true,
	}
)

// canonicalSelectors checks a selector list against the allowed grammar and
// writes it back with single spaces.
func canonicalSelectors(list string) (string, error) {
	var out []string
	for _, sel := range strings.Split(list, ",") {
		c, err := canonicalSelector(strings.TrimSpace(sel))
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	return strings.Join(out, ", "), nil
}

func canonicalSelector(sel string) (string, error) {
	if sel == "" {
		return "", fmt.Errorf("a selector is empty")
	}
	var b strings.Builder
	for rest := sel; ; {
		compound := compoundPattern.FindString(rest)
		if compound == "" {
			return "", fmt.Errorf("the selector %q is not allowed: use body, a and .ext-* classes (see the CSS template)", truncateForError(sel))
		}
		for _, pseudo := range pseudoPattern.FindAllString(compound, -1) {
			if !allowedPseudo[pseudo] {
				return "", fmt.Errorf("the pseudo-class %s is not allowed", pseudo)
			}
		}
		b.WriteString(compound)
		rest = rest[len(compound):]
		if rest == "" {
			return b.String(), nil
		}
		m := combinatorPattern.FindStringSubmatch(rest)
		if m == nil {
			return "", fmt.Errorf("the selector %q is not allowed: use body, a and .ext-* classes (see the CSS template)", truncateForError(sel))
		}
		if m[1] != "" {
			b.WriteString(" " + m[1] + " ")
		} else {
			b.WriteString(" ")
		}
		rest = rest[len(m[0]):]
	}
}
