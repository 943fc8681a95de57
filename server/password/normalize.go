package password

import (
	"strings"
	"unicode"
)

// fold maps the characters people substitute for letters onto one letter, so
// "P@$$w0rd" and "password" normalise alike. The letter i is folded into l,
// like 1 and !, because 1 stands for either.
var fold = map[rune]rune{
	'0': 'o', '1': 'l', '!': 'l', '|': 'l', 'i': 'l', '3': 'e', '4': 'a', '@': 'a',
	'5': 's', '$': 's', '7': 't', '+': 't',
}

// Normalize lower-cases s and folds common substitutions (step 1 of Check).
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := fold[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

// withinOneEdit reports whether a and b (normalised) differ by at most one
// insertion, deletion or substitution of a rune.
func withinOneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) > 1 {
		return false
	}
	i := 0
	for i < len(rb) && ra[i] == rb[i] {
		i++
	}
	if i == len(rb) {
		return true // equal, or one rune appended
	}
	if len(ra) == len(rb) {
		return string(ra[i+1:]) == string(rb[i+1:]) // one substitution
	}
	return string(ra[i+1:]) == string(rb[i:]) // one deletion
}
