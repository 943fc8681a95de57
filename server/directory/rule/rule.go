package rule

import (
	"slices"
	"strings"

	"github.com/google/uuid"
)

// MaxLength is the most characters a rule may have, Entra's limit on a
// membership rule; it also bounds parser recursion.
const MaxLength = 3072

// offsetOfRune returns the byte offset of the rune with index n (0-based)
// and whether src has that many runes.
func offsetOfRune(src string, n int) (int, bool) {
	count := 0
	for offset := range src {
		if count == n {
			return offset, true
		}
		count++
	}
	return 0, false
}

// Rule is a parsed membership rule, safe for concurrent evaluation.
type Rule struct {
	root node
}

// Parse parses src into a Rule. It returns a *SyntaxError giving the position
// of the first problem: an unknown operator or property, a missing value, an
// invalid regular expression, or a memberOf rule that names more than 50
// groups or is combined with other expressions.
func Parse(src string) (*Rule, error) {
	if offset, tooLong := offsetOfRune(src, MaxLength); tooLong {
		return nil, newSyntaxError(src, offset, "a rule is limited to %d characters", MaxLength)
	}
	tokens, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, tokens: tokens}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if tok := p.peek(); tok.kind != tokEOF {
		return nil, p.errorAt(tok, "expected -and, -or or the end of the rule, found %s", describe(tok))
	}
	if _, whole := root.(*memberOf); !whole {
		if nested := findMemberOf(root); nested != nil {
			return nil, newSyntaxError(src, nested.pos,
				"user.memberOf must be the whole rule; it cannot be combined with other expressions")
		}
	}
	return &Rule{root: root}, nil
}

// Evaluate reports whether the subject satisfies the rule.
func (r *Rule) Evaluate(s Subject) bool { return r.root.eval(s) }

// String returns the canonical form: canonical operator and property
// spellings, double-quoted strings and only the parentheses precedence needs.
func (r *Rule) String() string {
	var b strings.Builder
	r.root.write(&b)
	return b.String()
}

// MemberOfGroups returns the source group object IDs (lower-case) of a
// memberOf rule, or nil for any other rule, so the caller can enforce the
// limits that need the directory (B-19, B-21).
func (r *Rule) MemberOfGroups() []string {
	if m, ok := r.root.(*memberOf); ok {
		return slices.Clone(m.groups)
	}
	return nil
}

// findMemberOf returns the first memberOf expression inside n, if any.
func findMemberOf(n node) *memberOf {
	switch n := n.(type) {
	case *memberOf:
		return n
	case *orNode:
		return cmpOr(findMemberOf(n.left), findMemberOf(n.right))
	case *andNode:
		return cmpOr(findMemberOf(n.left), findMemberOf(n.right))
	case *notNode:
		return findMemberOf(n.operand)
	}
	return nil
}

func cmpOr(a, b *memberOf) *memberOf {
	if a != nil {
		return a
	}
	return b
}

// parseMemberOf parses user.memberOf -any (group.objectId -in [ids]) (B-14,
// B-16) and checks the group count (B-20).
func (p *parser) parseMemberOf() (node, error) {
	start := p.advance()
	if !p.acceptOperator("-any") {
		return nil, p.errorAt(p.peek(), "expected -any after user.memberOf, found %s", describe(p.peek()))
	}
	if _, err := p.expect(tokLParen, `"(" after -any`); err != nil {
		return nil, err
	}
	if tok := p.peek(); tok.kind != tokIdent || !strings.EqualFold(tok.text, "group.objectId") {
		return nil, p.errorAt(tok, "expected group.objectId, found %s", describe(tok))
	}
	p.advance()
	if !p.acceptOperator("-in") {
		return nil, p.errorAt(p.peek(), "expected -in after group.objectId, found %s", describe(p.peek()))
	}
	listTok, err := p.expect(tokLBracket, "a list of group object IDs")
	if err != nil {
		return nil, err
	}
	p.next-- // parseList consumes the bracket itself
	ids, err := p.parseList()
	if err != nil {
		return nil, err
	}
	groups, err := p.checkGroupIDs(listTok, ids)
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tokRParen, `")"`); err != nil {
		return nil, err
	}
	return &memberOf{pos: start.pos, groups: groups}, nil
}

// checkGroupIDs validates and lower-cases the source group IDs.
func (p *parser) checkGroupIDs(listTok token, ids []string) ([]string, error) {
	switch {
	case len(ids) == 0:
		return nil, p.errorAt(listTok, "user.memberOf needs at least one group")
	case len(ids) > MaxMemberOfGroups:
		return nil, p.errorAt(listTok, "user.memberOf names %d groups; at most %d are allowed", len(ids), MaxMemberOfGroups)
	}
	groups := make([]string, 0, len(ids))
	for _, id := range ids {
		parsed, err := uuid.Parse(id)
		if err != nil || len(id) != 36 {
			return nil, p.errorAt(listTok, "%q is not a group object ID", id)
		}
		if !slices.Contains(groups, parsed.String()) {
			groups = append(groups, parsed.String())
		}
	}
	return groups, nil
}
