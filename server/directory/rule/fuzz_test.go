package rule

import (
	"testing"
)

// FuzzParse checks that Parse never panics and that an accepted rule's
// canonical form parses to the same rule with the same verdicts.
func FuzzParse(f *testing.F) {
	for _, c := range evaluationCases {
		f.Add(c.rule)
	}
	for _, c := range malformedCases {
		f.Add(c.rule)
	}
	for _, c := range canonicalCases {
		f.Add(c.rule)
	}
	subjects := []Subject{alice, Attributes{}}
	f.Fuzz(func(t *testing.T, src string) {
		r, err := Parse(src)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q) returned %T, want *SyntaxError", src, err)
			}
			return
		}
		canonical := r.String()
		again, err := Parse(canonical)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canonical, src, err)
		}
		if again.String() != canonical {
			t.Fatalf("canonical form is not stable: %q became %q", canonical, again.String())
		}
		for _, s := range subjects {
			if r.Evaluate(s) != again.Evaluate(s) {
				t.Fatalf("%q and its canonical form %q disagree", src, canonical)
			}
		}
	})
}
