package policy

import (
	"slices"

	"github.com/sigil-idp/sigil/server/mfa"
)

// control is one grant control and whether the sign-in satisfies it.
type control struct {
	name           string
	block          bool
	level          mfa.Level // authentication the control needs
	terms          string    // terms of use to accept
	passwordChange bool
	satisfied      bool
}

// grantResult is a policy's grant controls for this sign-in.
type grantResult struct {
	block     bool
	satisfied bool
	// needed is what the sign-in must still do to satisfy the policy: every
	// unsatisfied control for AND, the first in preference order for OR.
	needed  []control
	names   []string
	reasons []string
}

func (e *evaluation) grant(g *GrantControls) grantResult {
	r := grantResult{satisfied: true, names: []string{}}
	if g == nil {
		return r
	}
	var buf [8]control
	controls := e.appendControls(buf[:0], g)
	r.names, r.reasons = e.take(len(controls)), e.take(len(controls))
	for _, c := range controls {
		r.names = append(r.names, c.name)
		r.reasons = append(r.reasons, c.describe())
	}
	if len(controls) == 0 {
		return r
	}
	if slices.ContainsFunc(controls, func(c control) bool { return c.block }) {
		r.block, r.satisfied = true, false
		return r
	}
	if g.Operator == "OR" {
		r.satisfied = slices.ContainsFunc(controls, func(c control) bool { return c.satisfied })
		if !r.satisfied {
			r.needed = []control{easiest(controls)}
		}
		return r
	}
	for _, c := range controls {
		if !c.satisfied {
			r.satisfied = false
			r.needed = append(r.needed, c)
		}
	}
	return r
}

// appendControls lists the policy's grant controls with their state.
func (e *evaluation) appendControls(out []control, g *GrantControls) []control {
	for _, name := range g.BuiltInControls {
		switch name {
		case ControlBlock:
			out = append(out, control{name: name, block: true})
		case ControlMFA:
			out = append(out, control{name: name, level: mfa.LevelMFA, satisfied: e.s.Level >= mfa.LevelMFA})
		case ControlPasswordChange:
			out = append(out, control{name: name, passwordChange: true, satisfied: e.s.PasswordChanged})
		default: // refused by Validate; never satisfied if it slipped through
			out = append(out, control{name: name, block: true})
		}
	}
	if s := g.AuthenticationStrength; s != nil {
		level, known := levelOfStrength[s.ID]
		if !known {
			out = append(out, control{name: "authenticationStrength", block: true})
		} else {
			out = append(out, control{name: "authenticationStrength", level: level, satisfied: e.s.Level >= level})
		}
	}
	for _, id := range g.TermsOfUse {
		_, ok := e.accepted[id]
		out = append(out, control{name: "termsOfUse", terms: id, satisfied: ok})
	}
	return out
}

// easiest picks, of an OR policy's unsatisfied controls, the one the flow
// asks for: the weakest authentication, then terms of use, then a password
// change.
func easiest(controls []control) control {
	rank := func(c control) int {
		switch {
		case c.level != mfa.LevelNone:
			return int(c.level)
		case c.terms != "":
			return 100
		default:
			return 200
		}
	}
	best := controls[0]
	for _, c := range controls[1:] {
		if rank(c) < rank(best) {
			best = c
		}
	}
	return best
}

func (c control) describe() string {
	state := "not satisfied"
	if c.satisfied {
		state = "satisfied"
	}
	switch {
	case c.block:
		return "grant: block access"
	case c.terms != "":
		return "grant: terms of use " + c.terms + " " + state
	case c.passwordChange:
		return "grant: password change " + state
	case c.name == ControlMFA && c.satisfied:
		return "grant: mfa satisfied"
	case c.name == ControlMFA:
		return "grant: mfa not satisfied"
	default:
		return "grant: " + c.name + " (" + c.level.ACR() + ") " + state
	}
}
