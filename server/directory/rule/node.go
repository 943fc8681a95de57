package rule

import (
	"regexp"
	"slices"
	"strings"
)

// Precedence levels used to decide where the canonical form needs parentheses.
const (
	precOr = iota + 1
	precAnd
	precNot
	precPrimary
)

// node is one parsed expression.
type node interface {
	eval(s Subject) bool
	write(b *strings.Builder)
	precedence() int
}

// writeOperand writes n, parenthesised when it binds more loosely than min.
func writeOperand(b *strings.Builder, n node, minPrec int) {
	if n.precedence() >= minPrec {
		n.write(b)
		return
	}
	b.WriteByte('(')
	n.write(b)
	b.WriteByte(')')
}

type orNode struct{ left, right node }

func (n *orNode) eval(s Subject) bool { return n.left.eval(s) || n.right.eval(s) }
func (n *orNode) precedence() int     { return precOr }
func (n *orNode) write(b *strings.Builder) {
	writeOperand(b, n.left, precOr)
	b.WriteString(" -or ")
	writeOperand(b, n.right, precAnd)
}

type andNode struct{ left, right node }

func (n *andNode) eval(s Subject) bool { return n.left.eval(s) && n.right.eval(s) }
func (n *andNode) precedence() int     { return precAnd }
func (n *andNode) write(b *strings.Builder) {
	writeOperand(b, n.left, precAnd)
	b.WriteString(" -and ")
	writeOperand(b, n.right, precNot)
}

type notNode struct{ operand node }

func (n *notNode) eval(s Subject) bool { return !n.operand.eval(s) }
func (n *notNode) precedence() int     { return precNot }
func (n *notNode) write(b *strings.Builder) {
	b.WriteString("-not ")
	writeOperand(b, n.operand, precNot)
}

// condition is an operator and its value, applied to one string.
type condition struct {
	op        string // canonical operator spelling
	null      bool
	boolValue *bool
	text      string   // the value as written
	lower     string   // text in lower case
	list      []string // -in/-notIn values as written
	pattern   *regexp.Regexp
}

// holds applies the condition to a string value, ignoring case.
func (c *condition) holds(value string) bool {
	switch c.op {
	case "-eq":
		return c.equals(value)
	case "-ne":
		return !c.equals(value)
	case "-startsWith":
		return strings.HasPrefix(strings.ToLower(value), c.lower)
	case "-notStartsWith":
		return !strings.HasPrefix(strings.ToLower(value), c.lower)
	case "-contains":
		return strings.Contains(strings.ToLower(value), c.lower)
	case "-notContains":
		return !strings.Contains(strings.ToLower(value), c.lower)
	case "-match":
		return c.pattern.MatchString(value)
	case "-notMatch":
		return !c.pattern.MatchString(value)
	case "-in":
		return c.inList(value)
	default: // -notIn
		return !c.inList(value)
	}
}

// equals compares value with the -eq/-ne operand; null means empty.
func (c *condition) equals(value string) bool {
	if c.null {
		return value == ""
	}
	return strings.EqualFold(value, c.text)
}

// inList reports whether value is in the -in/-notIn list, ignoring case.
func (c *condition) inList(value string) bool {
	return slices.ContainsFunc(c.list, func(item string) bool { return strings.EqualFold(item, value) })
}

// write prints the operator and value in canonical form.
func (c *condition) write(b *strings.Builder) {
	b.WriteString(c.op)
	b.WriteByte(' ')
	switch {
	case c.null:
		b.WriteString("null")
	case c.boolValue != nil && *c.boolValue:
		b.WriteString("true")
	case c.boolValue != nil:
		b.WriteString("false")
	case c.list != nil:
		b.WriteByte('[')
		for i, item := range c.list {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(item))
		}
		b.WriteByte(']')
	default:
		b.WriteString(quote(c.text))
	}
}

// comparison tests a single-valued property.
type comparison struct {
	prop property
	cond condition
}

func (n *comparison) precedence() int { return precPrimary }
func (n *comparison) eval(s Subject) bool {
	if n.prop.kind == kindBool {
		return (s.Flag(n.prop.name) == *n.cond.boolValue) == (n.cond.op == "-eq")
	}
	return n.cond.holds(s.Text(n.prop.name))
}
func (n *comparison) write(b *strings.Builder) {
	b.WriteString("user." + n.prop.name + " ")
	n.cond.write(b)
}

// quantified tests the elements of a multi-valued property with -any or -all.
type quantified struct {
	prop property
	all  bool
	cond condition
}

func (n *quantified) precedence() int { return precPrimary }
func (n *quantified) eval(s Subject) bool {
	values := s.List(n.prop.name)
	if n.all {
		return len(values) > 0 && !slices.ContainsFunc(values, func(v string) bool { return !n.cond.holds(v) })
	}
	return slices.ContainsFunc(values, n.cond.holds)
}
func (n *quantified) write(b *strings.Builder) {
	quantifier := " -any (_ "
	if n.all {
		quantifier = " -all (_ "
	}
	b.WriteString("user." + n.prop.name + quantifier)
	n.cond.write(b)
	b.WriteByte(')')
}

// memberOf holds when the user is a direct member of any source group (B-17).
type memberOf struct {
	pos    int
	groups []string // lower-case object IDs
}

func (n *memberOf) precedence() int { return precPrimary }
func (n *memberOf) eval(s Subject) bool {
	return slices.ContainsFunc(n.groups, s.MemberOf)
}
func (n *memberOf) write(b *strings.Builder) {
	b.WriteString("user.memberOf -any (group.objectId -in [")
	for i, id := range n.groups {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(id))
	}
	b.WriteString("])")
}
