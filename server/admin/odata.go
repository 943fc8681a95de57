package admin

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Paging limits (Graph's: 100 by default, 999 at most for users and groups).
const (
	defaultTop = 100
	maxTop     = 999
)

// query is the parsed OData options of a list request.
type query struct {
	Top    int
	Skip   int // from the signed $skiptoken
	Select []string
	Filter []condition // joined by and
	Count  bool
}

// condition is one term of $filter: property eq, startswith or in.
type condition struct {
	Property string
	Op       string // eq, startswith, in
	Values   []any  // string or bool; one except for in
}

// parseQuery reads $top, $select, $filter, $count and $skiptoken against the
// resource's filterable and selectable properties. consistency is the
// ConsistencyLevel header ($count needs "eventual", as in Graph).
func (h *Handler) parseQuery(v url.Values, fields resourceFields, consistency string) (query, *apiError) {
	q := query{Top: defaultTop}
	for name := range v {
		if strings.HasPrefix(name, "$") && !slices.Contains([]string{"$top", "$select", "$filter", "$count", "$skiptoken"}, name) {
			return q, &apiError{Status: 400, Code: codeUnsupportedQuery, Message: "Query option " + name + " is not supported."}
		}
	}
	if s := v.Get("$top"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxTop {
			return q, badRequest(fmt.Sprintf("Invalid page size specified: '%s'. Must be between 1 and %d inclusive.", s, maxTop))
		}
		q.Top = n
	}
	if s := v.Get("$select"); s != "" {
		for _, p := range strings.Split(s, ",") {
			p = strings.TrimSpace(p)
			if !slices.Contains(fields.Selectable, p) {
				return q, badRequest("Parsing OData Select and Expand failed: Could not find a property named '" + p + "'.")
			}
			q.Select = append(q.Select, p)
		}
	}
	if s := v.Get("$filter"); s != "" {
		conds, err := parseFilter(s, fields.Filterable)
		if err != nil {
			return q, &apiError{Status: 400, Code: codeUnsupportedQuery, Message: "Invalid filter clause: " + err.Error()}
		}
		q.Filter = conds
	}
	switch v.Get("$count") {
	case "":
	case "true":
		if !strings.EqualFold(consistency, "eventual") {
			return q, &apiError{Status: 400, Code: codeUnsupportedQuery, Message: "$count requires the header ConsistencyLevel: eventual."}
		}
		q.Count = true
	case "false":
	default:
		return q, badRequest("$count must be true or false.")
	}
	if s := v.Get("$skiptoken"); s != "" {
		n, ok := h.openSkipToken(s)
		if !ok {
			return q, badRequest("The $skiptoken is not valid; follow @odata.nextLink as given.")
		}
		q.Skip = n
	}
	return q, nil
}

// parseFilter parses conditions joined by "and": `p eq 'v'`, `p eq true`,
// `startswith(p,'v')`, `p in ('a','b')`.
func parseFilter(s string, filterable []string) ([]condition, error) {
	toks, err := lexFilter(s)
	if err != nil {
		return nil, err
	}
	var out []condition
	for len(toks) > 0 {
		c, rest, err := parseCondition(toks)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(filterable, c.Property) {
			return nil, fmt.Errorf("the property %q cannot be filtered on", c.Property)
		}
		out = append(out, c)
		toks = rest
		if len(toks) == 0 {
			break
		}
		if !strings.EqualFold(toks[0].text, "and") || toks[0].quoted || len(toks) == 1 {
			return nil, fmt.Errorf("expected 'and' between conditions, found %q", toks[0].text)
		}
		toks = toks[1:]
	}
	return out, nil
}

func parseCondition(t []token) (condition, []token, error) {
	switch {
	case len(t) >= 6 && !t[0].quoted && strings.EqualFold(t[0].text, "startswith") && t[1].text == "(" && t[3].text == "," && t[4].quoted && t[5].text == ")":
		return condition{Property: t[2].text, Op: "startswith", Values: []any{t[4].text}}, t[6:], nil
	case len(t) >= 3 && !t[0].quoted && strings.EqualFold(t[1].text, "eq"):
		v, err := literal(t[2])
		return condition{Property: t[0].text, Op: "eq", Values: []any{v}}, t[3:], err
	case len(t) >= 4 && !t[0].quoted && strings.EqualFold(t[1].text, "in") && t[2].text == "(":
		c := condition{Property: t[0].text, Op: "in"}
		for i := 3; i < len(t); i += 2 {
			v, err := literal(t[i])
			if err != nil {
				return c, nil, err
			}
			c.Values = append(c.Values, v)
			if i+1 < len(t) && t[i+1].text == ")" {
				return c, t[i+2:], nil
			}
			if i+1 >= len(t) || t[i+1].text != "," {
				break
			}
		}
		return c, nil, fmt.Errorf("unclosed 'in' list")
	}
	return condition{}, nil, fmt.Errorf("expected \"property eq value\", \"startswith(property,'value')\" or \"property in (...)\"")
}

func literal(t token) (any, error) {
	if t.quoted {
		return t.text, nil
	}
	switch strings.ToLower(t.text) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return nil, fmt.Errorf("%q is not a quoted string or a boolean", t.text)
}

type token struct {
	text   string
	quoted bool
}

// lexFilter splits a filter into words, punctuation and quoted strings
// (” inside quotes is a quote).
func lexFilter(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case c == '(' || c == ')' || c == ',':
			out = append(out, token{text: string(c)})
			i++
		case c == '\'':
			var b strings.Builder
			i++
			for {
				if i >= len(s) {
					return nil, fmt.Errorf("unterminated string")
				}
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			out = append(out, token{text: b.String(), quoted: true})
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" (),'", rune(s[j])) {
				j++
			}
			out = append(out, token{text: s[i:j]})
			i = j
		}
	}
	return out, nil
}

// matches reports whether an object (its Graph JSON properties) satisfies
// every condition. Strings compare case-insensitively, as in Graph.
func matches(obj map[string]any, conds []condition) bool {
	for _, c := range conds {
		if !c.holds(obj[c.Property]) {
			return false
		}
	}
	return true
}

func (c condition) holds(v any) bool {
	switch c.Op {
	case "startswith":
		s, _ := v.(string)
		return strings.HasPrefix(strings.ToLower(s), strings.ToLower(c.Values[0].(string)))
	default:
		return slices.ContainsFunc(c.Values, func(want any) bool { return equalValue(v, want) })
	}
}

func equalValue(v, want any) bool {
	if s, ok := v.(string); ok {
		w, ok := want.(string)
		return ok && strings.EqualFold(s, w)
	}
	return v == want
}

// project keeps the selected properties of obj, as Graph does; no
// selection keeps all.
func project(obj map[string]any, sel []string) map[string]any {
	if len(sel) == 0 {
		return obj
	}
	out := make(map[string]any, len(sel))
	for _, p := range sel {
		out[p] = obj[p]
	}
	return out
}
