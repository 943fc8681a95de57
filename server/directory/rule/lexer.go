package rule

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind classifies a lexical token.
type tokenKind int

const (
	tokEOF tokenKind = iota
	tokIdent
	tokOperator
	tokString
	tokLParen
	tokRParen
	tokLBracket
	tokRBracket
	tokComma
)

// token is one lexical unit; text is the decoded string for tokString, the
// lower-cased operator for tokOperator and the source text otherwise.
type token struct {
	kind tokenKind
	text string
	raw  string
	pos  int
}

// knownOperators maps lower-cased operator spellings to their canonical form.
var knownOperators = map[string]string{
	"-eq": "-eq", "-ne": "-ne",
	"-startswith": "-startsWith", "-notstartswith": "-notStartsWith",
	"-contains": "-contains", "-notcontains": "-notContains",
	"-match": "-match", "-notmatch": "-notMatch",
	"-in": "-in", "-notin": "-notIn",
	"-and": "-and", "-or": "-or", "-not": "-not",
	"-any": "-any", "-all": "-all",
}

// lex splits src into tokens, ending with a tokEOF token at len(src).
func lex(src string) ([]token, error) {
	var tokens []token
	pos := 0
	for pos < len(src) {
		r, size := utf8.DecodeRuneInString(src[pos:])
		if unicode.IsSpace(r) {
			pos += size
			continue
		}
		tok, err := lexToken(src, pos, r)
		if err != nil {
			return nil, err
		}
		tokens = append(tokens, tok)
		pos += len(tok.raw)
	}
	return append(tokens, token{kind: tokEOF, pos: len(src)}), nil
}

// punctuation maps single-character tokens to their kinds.
var punctuation = map[rune]tokenKind{
	'(': tokLParen, ')': tokRParen, '[': tokLBracket, ']': tokRBracket, ',': tokComma,
}

// lexToken reads the token starting with r at pos.
func lexToken(src string, pos int, r rune) (token, error) {
	if kind, ok := punctuation[r]; ok {
		return token{kind: kind, text: string(r), raw: string(r), pos: pos}, nil
	}
	switch {
	case r == '"' || r == '\'':
		return lexString(src, pos, byte(r))
	case r == '-':
		end := scanWhile(src, pos+1, isLetter)
		raw := src[pos:end]
		canonical, ok := knownOperators[strings.ToLower(raw)]
		if !ok {
			return token{}, newSyntaxError(src, pos, "unknown operator %q", raw)
		}
		return token{kind: tokOperator, text: canonical, raw: raw, pos: pos}, nil
	case isLetter(r) || r == '_':
		end := scanWhile(src, pos, isIdentRune)
		return token{kind: tokIdent, text: src[pos:end], raw: src[pos:end], pos: pos}, nil
	}
	return token{}, newSyntaxError(src, pos, "unexpected character %q", r)
}

// lexString reads a quoted string; a backslash escapes the quote or itself
// and is literal before any other character.
func lexString(src string, pos int, quote byte) (token, error) {
	var text strings.Builder
	for i := pos + 1; i < len(src); i++ {
		c := src[i]
		switch {
		case c == quote:
			return token{kind: tokString, text: text.String(), raw: src[pos : i+1], pos: pos}, nil
		case c == '\\' && i+1 < len(src) && (src[i+1] == quote || src[i+1] == '\\'):
			i++
			text.WriteByte(src[i])
		default:
			text.WriteByte(c)
		}
	}
	return token{}, newSyntaxError(src, pos, "unterminated string")
}

// scanWhile returns the offset of the first rune at or after pos failing ok.
func scanWhile(src string, pos int, ok func(rune) bool) int {
	for pos < len(src) {
		r, size := utf8.DecodeRuneInString(src[pos:])
		if !ok(r) {
			break
		}
		pos += size
	}
	return pos
}

func isLetter(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }

func isIdentRune(r rune) bool {
	return isLetter(r) || (r >= '0' && r <= '9') || r == '_' || r == '.'
}

// quote renders s as a canonical double-quoted literal.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
