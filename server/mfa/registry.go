package mfa

import (
	"cmp"
	"slices"
)

// Registry is the set of methods a Sigil installation offers, built once in
// the wiring site. It is read-only after construction.
type Registry struct {
	methods []Method
}

// NewRegistry returns a registry of the methods, strongest first. It panics
// on a duplicate kind: a wiring mistake.
func NewRegistry(methods ...Method) *Registry {
	seen := map[string]bool{}
	for _, m := range methods {
		k := m.Info().Kind
		if seen[k] {
			panic("mfa: method kind registered twice: " + k)
		}
		seen[k] = true
	}
	sorted := slices.Clone(methods)
	slices.SortStableFunc(sorted, func(a, b Method) int { return cmp.Compare(b.Info().Rank, a.Info().Rank) })
	return &Registry{methods: sorted}
}

// Method returns the method of the kind.
func (r *Registry) Method(kind string) (Method, bool) {
	for _, m := range r.methods {
		if m.Info().Kind == kind {
			return m, true
		}
	}
	return nil, false
}

// Usable returns the methods the user can answer now that give at least the
// level, strongest first.
func (r *Registry) Usable(reg Registered, atLeast Level) []Method {
	var out []Method
	for _, m := range r.methods {
		if m.Info().Level >= atLeast && m.Usable(reg) {
			out = append(out, m)
		}
	}
	return out
}

// Registrars returns the methods a user can register that give at least the
// level, strongest first.
func (r *Registry) Registrars(atLeast Level) []Registrar {
	var out []Registrar
	for _, m := range r.methods {
		if reg, ok := m.(Registrar); ok && m.Info().Level >= atLeast {
			out = append(out, reg)
		}
	}
	return out
}

// Best is the highest level the user's usable methods reach (LevelNone when
// they have none).
func (r *Registry) Best(reg Registered) Level {
	best := LevelNone
	for _, m := range r.methods {
		if m.Usable(reg) {
			best = max(best, m.Info().Level)
		}
	}
	return best
}

// BestRegistrable is the highest level a method the user could register reaches.
func (r *Registry) BestRegistrable() Level {
	best := LevelNone
	for _, reg := range r.Registrars(LevelNone) {
		best = max(best, reg.Info().Level)
	}
	return best
}
