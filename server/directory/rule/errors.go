package rule

import "fmt"

// SyntaxError reports why a rule was refused and where.
type SyntaxError struct {
	Pos     int    // byte offset into the rule text
	Line    int    // 1-based line
	Column  int    // 1-based column, counted in characters
	Message string // what is wrong, without the position
}

// Error returns the message followed by the position, for example
// `unknown operator "-eqq" at column 17`.
func (e *SyntaxError) Error() string {
	if e.Line > 1 {
		return fmt.Sprintf("%s at line %d, column %d", e.Message, e.Line, e.Column)
	}
	return fmt.Sprintf("%s at column %d", e.Message, e.Column)
}

// newSyntaxError locates byte offset pos in src and builds the error.
func newSyntaxError(src string, pos int, format string, args ...any) *SyntaxError {
	line, column := 1, 1
	for i, r := range src {
		if i >= pos {
			break
		}
		if r == '\n' {
			line++
			column = 1
			continue
		}
		column++
	}
	return &SyntaxError{Pos: pos, Line: line, Column: column, Message: fmt.Sprintf(format, args...)}
}
