package rule

import (
	"regexp"
	"strings"
)

// comparisonOperators are the operators that compare a value.
var comparisonOperators = map[string]bool{
	"-eq": true, "-ne": true, "-startsWith": true, "-notStartsWith": true,
	"-contains": true, "-notContains": true, "-match": true, "-notMatch": true,
	"-in": true, "-notIn": true,
}

// parseCondition parses an operator and its value for a property of kind k.
func (p *parser) parseCondition(k kind) (condition, error) {
	opTok := p.peek()
	if opTok.kind != tokOperator || !comparisonOperators[opTok.text] {
		return condition{}, p.errorAt(opTok, "expected an operator such as -eq, found %s", describe(opTok))
	}
	p.advance()
	cond := condition{op: opTok.text}
	valueTok := p.peek()
	if valueTok.kind == tokLBracket {
		return p.parseListCondition(cond, k, valueTok)
	}
	if cond.op == "-in" || cond.op == "-notIn" {
		return cond, p.errorAt(valueTok, "expected a list after %s, found %s", cond.op, describe(valueTok))
	}
	if k == kindBool {
		return p.parseBoolCondition(cond, valueTok)
	}
	switch {
	case valueTok.kind == tokIdent && strings.EqualFold(valueTok.text, "null"):
		if cond.op != "-eq" && cond.op != "-ne" {
			return cond, p.errorAt(valueTok, "null works only with -eq and -ne, not %s", cond.op)
		}
		cond.null = true
	case valueTok.kind == tokString:
		cond.text, cond.lower = valueTok.text, strings.ToLower(valueTok.text)
	default:
		return cond, p.errorAt(valueTok, "expected a value after %s", cond.op)
	}
	p.advance()
	if cond.op == "-match" || cond.op == "-notMatch" {
		pattern, err := regexp.Compile("(?i)" + cond.text)
		if err != nil {
			return cond, p.errorAt(valueTok, "invalid regular expression: %v", err)
		}
		cond.pattern = pattern
	}
	return cond, nil
}

// parseBoolCondition accepts -eq/-ne with true or false.
func (p *parser) parseBoolCondition(cond condition, valueTok token) (condition, error) {
	if cond.op != "-eq" && cond.op != "-ne" {
		return cond, p.errorAt(valueTok, "a true/false property takes only -eq or -ne, not %s", cond.op)
	}
	lower := strings.ToLower(valueTok.text)
	if valueTok.kind != tokIdent || (lower != "true" && lower != "false") {
		return cond, p.errorAt(valueTok, "expected true or false after %s, found %s", cond.op, describe(valueTok))
	}
	p.advance()
	value := lower == "true"
	cond.boolValue = &value
	return cond, nil
}

// parseListCondition parses the list value of -in or -notIn.
func (p *parser) parseListCondition(cond condition, k kind, listTok token) (condition, error) {
	if cond.op != "-in" && cond.op != "-notIn" || k == kindBool {
		return cond, p.errorAt(listTok, "a list works only with -in and -notIn on a text property")
	}
	items, err := p.parseList()
	if err != nil {
		return cond, err
	}
	cond.list = items
	return cond, nil
}

// parseList parses "[" [ string { "," string } ] "]"; never returns nil.
func (p *parser) parseList() ([]string, error) {
	p.advance()
	items := []string{}
	if p.peek().kind == tokRBracket {
		p.advance()
		return items, nil
	}
	for {
		tok, err := p.expect(tokString, "a quoted string in the list")
		if err != nil {
			return nil, err
		}
		items = append(items, tok.text)
		if p.peek().kind == tokRBracket {
			p.advance()
			return items, nil
		}
		if _, err := p.expect(tokComma, `"," or "]"`); err != nil {
			return nil, err
		}
	}
}
