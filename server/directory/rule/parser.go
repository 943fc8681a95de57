package rule

import "strings"

// MaxMemberOfGroups is the most source groups one memberOf rule may name (B-20).
const MaxMemberOfGroups = 50

// parser is a recursive-descent parser over the token slice.
type parser struct {
	src    string
	tokens []token
	next   int
}

func (p *parser) peek() token { return p.tokens[p.next] }

func (p *parser) advance() token {
	tok := p.tokens[p.next]
	if tok.kind != tokEOF {
		p.next++
	}
	return tok
}

// acceptOperator consumes the next token when it is the operator op.
func (p *parser) acceptOperator(op string) bool {
	if tok := p.peek(); tok.kind == tokOperator && tok.text == op {
		p.next++
		return true
	}
	return false
}

func (p *parser) errorAt(tok token, format string, args ...any) error {
	return newSyntaxError(p.src, tok.pos, format, args...)
}

// expect consumes a token of kind, or fails naming what was wanted.
func (p *parser) expect(kind tokenKind, what string) (token, error) {
	tok := p.peek()
	if tok.kind != kind {
		return tok, p.errorAt(tok, "expected %s, found %s", what, describe(tok))
	}
	return p.advance(), nil
}

// describe names a token for an error message.
func describe(tok token) string {
	if tok.kind == tokEOF {
		return "end of rule"
	}
	return `"` + tok.raw + `"`
}

func (p *parser) parseOr() (node, error) {
	left, err := p.parseAnd()
	for err == nil && p.acceptOperator("-or") {
		var right node
		if right, err = p.parseAnd(); err == nil {
			left = &orNode{left: left, right: right}
		}
	}
	return left, err
}

func (p *parser) parseAnd() (node, error) {
	left, err := p.parseNot()
	for err == nil && p.acceptOperator("-and") {
		var right node
		if right, err = p.parseNot(); err == nil {
			left = &andNode{left: left, right: right}
		}
	}
	return left, err
}

func (p *parser) parseNot() (node, error) {
	if !p.acceptOperator("-not") {
		return p.parsePrimary()
	}
	operand, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	return &notNode{operand: operand}, nil
}

func (p *parser) parsePrimary() (node, error) {
	tok := p.peek()
	switch {
	case tok.kind == tokLParen:
		p.advance()
		inner, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		_, err = p.expect(tokRParen, `")"`)
		return inner, err
	case tok.kind == tokIdent && strings.EqualFold(tok.text, "user.memberOf"):
		return p.parseMemberOf()
	case tok.kind == tokIdent:
		return p.parsePropertyExpr()
	}
	return nil, p.errorAt(tok, "expected a property such as user.department, found %s", describe(tok))
}

// parsePropertyExpr parses a comparison or an -any/-all over a property.
func (p *parser) parsePropertyExpr() (node, error) {
	tok := p.advance()
	prop, ok := lookupProperty(tok.text)
	if !ok {
		return nil, p.errorAt(tok, "unknown property %q", tok.text)
	}
	opTok := p.peek()
	quantifier := opTok.kind == tokOperator && (opTok.text == "-any" || opTok.text == "-all")
	switch {
	case prop.kind == kindMulti && !quantifier:
		return nil, p.errorAt(opTok, "user.%s has many values; use -any or -all", prop.name)
	case prop.kind != kindMulti && quantifier:
		return nil, p.errorAt(opTok, "%s needs a multi-valued property; user.%s has one value", opTok.text, prop.name)
	case quantifier:
		return p.parseQuantified(prop)
	}
	cond, err := p.parseCondition(prop.kind)
	if err != nil {
		return nil, err
	}
	return &comparison{prop: prop, cond: cond}, nil
}

// parseQuantified parses -any/-all "(" "_" operator value ")".
func (p *parser) parseQuantified(prop property) (node, error) {
	all := p.advance().text == "-all"
	if _, err := p.expect(tokLParen, `"(" after -any or -all`); err != nil {
		return nil, err
	}
	if tok := p.peek(); tok.kind != tokIdent || tok.text != "_" {
		return nil, p.errorAt(tok, "expected _ for the element, found %s", describe(tok))
	}
	p.advance()
	cond, err := p.parseCondition(kindString)
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tokRParen, `")"`); err != nil {
		return nil, err
	}
	return &quantified{prop: prop, all: all, cond: cond}, nil
}
