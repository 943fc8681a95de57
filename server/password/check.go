package password

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/sigil-idp/sigil/server/credential"
)

// MinScore is the score a password needs: one point per banned term found in
// it, one per remaining character.
const MinScore = 5

// ErrBanned refuses a password too close to common or banned passwords
// (Entra's wording, F-31). It names neither the password nor the term.
var ErrBanned = errors.New("this password has been used too many times; choose a password that is harder for people to guess")

// Rules are what a password is checked against besides the global list.
type Rules struct {
	// Custom is the tenant's custom banned list (F-31).
	Custom []string
	// Personal holds the user's names and the tenant's name: a password may
	// not be built on them.
	Personal []string
}

// Check reports whether password may be set: a length error from
// credential.ValidatePassword, ErrBanned, or nil.
func Check(password string, r Rules) error {
	if err := credential.ValidatePassword(password); err != nil {
		return err
	}
	if Score(password, r) < MinScore {
		return ErrBanned
	}
	return nil
}

// Score returns Entra's score of password: 0 when the whole password is within
// one edit of a banned term, else one point per banned term found in it
// (longest first, without overlap) plus one per remaining character.
func Score(password string, r Rules) int {
	pw := Normalize(password)
	terms := candidateTerms(pw, r)
	for _, t := range terms {
		if withinOneEdit(pw, t) {
			return 0
		}
	}
	return coverScore(pw, terms)
}

// candidateTerms returns the normalised terms of every list that could match
// pw, longest first.
func candidateTerms(pw string, r Rules) []string {
	var out []string
	add := func(term string) {
		t := Normalize(strings.TrimSpace(term))
		if len([]rune(t)) >= minTermRunes && len(t) <= len(pw)+1 {
			out = append(out, t)
		}
	}
	for _, t := range globalTerms() {
		if len(t) <= len(pw)+1 {
			out = append(out, t) // already normalised
		}
	}
	for _, t := range r.Custom {
		add(t)
	}
	for _, p := range r.Personal {
		for _, part := range splitName(p) {
			add(part)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return slices.Compact(out)
}

// minTermRunes is the shortest term matched: shorter names ("Li", "Al") would
// match too much.
const minTermRunes = 3

// splitName splits a display name, UPN or tenant name into its parts.
func splitName(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '.' || r == '_' || r == '-' || r == '@' || r == ',' || r == '\''
	})
}

// coverScore marks the bytes of pw covered by terms (longest first, no
// overlap) and returns matched terms plus uncovered runes.
func coverScore(pw string, terms []string) int {
	covered := make([]bool, len(pw))
	points := 0
	for _, t := range terms {
		for from := 0; from+len(t) <= len(pw); {
			i := strings.Index(pw[from:], t)
			if i < 0 {
				break
			}
			start := from + i
			if !slices.Contains(covered[start:start+len(t)], true) {
				for j := start; j < start+len(t); j++ {
					covered[j] = true
				}
				points++
			}
			from = start + 1
		}
	}
	for i := range pw {
		if !covered[i] {
			points++
		}
	}
	return points
}
