package password

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
)

//go:embed banned.txt
var bannedText string

// globalTerms is the embedded global list, normalised, deduplicated and
// sorted longest first, parsed once.
var globalTerms = sync.OnceValue(func() []string {
	var out []string
	for line := range strings.Lines(bannedText) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, Normalize(line))
	}
	slices.Sort(out)
	out = slices.Compact(out)
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
})

// GlobalListSize is the number of distinct normalised terms in the global list.
func GlobalListSize() int { return len(globalTerms()) }
