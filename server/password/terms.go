package password

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sigil-idp/sigil/storage"
)

// Limits of a tenant's custom banned list, as in Entra.
const (
	MaxCustomTerms = 1000
	MinTermLength  = 4
	MaxTermLength  = 16
)

// TermError reports every problem with terms offered for the custom list.
type TermError struct {
	Problems []string
}

func (e *TermError) Error() string {
	return "custom banned passwords: " + strings.Join(e.Problems, "; ")
}

// CleanTerms trims and lower-cases terms for the custom list, drops
// duplicates and checks each one (4 to 16 characters, printable, no spaces
// at either end) and the total against MaxCustomTerms given the existing
// list. It returns the terms not yet listed, or a *TermError naming every
// problem.
func CleanTerms(existing, terms []string) ([]string, error) {
	var (
		out      []string
		problems []string
	)
	for _, raw := range terms {
		t := strings.ToLower(strings.TrimSpace(raw))
		n := utf8.RuneCountInString(t)
		switch {
		case !utf8.ValidString(t) || strings.ContainsFunc(t, func(r rune) bool { return !unicode.IsPrint(r) }):
			problems = append(problems, fmt.Sprintf("term %d is not printable text", len(out)+len(problems)+1))
		case n < MinTermLength || n > MaxTermLength:
			problems = append(problems, fmt.Sprintf("%q must be %d to %d characters long", t, MinTermLength, MaxTermLength))
		case slices.Contains(existing, t) || slices.Contains(out, t):
		default:
			out = append(out, t)
		}
	}
	if total := len(existing) + len(out); total > MaxCustomTerms {
		problems = append(problems, fmt.Sprintf("the list would hold %d terms; at most %d are allowed", total, MaxCustomTerms))
	}
	if len(problems) > 0 {
		return nil, &TermError{Problems: problems}
	}
	return out, nil
}

// BannedLister reads a tenant's custom list (implemented by storage.Storage).
type BannedLister interface {
	ListBannedPasswords(ctx context.Context, tenantID string) ([]string, error)
}

// RulesFor loads the rules a user's new password is checked against: the
// tenant's custom list and the names of the user and the tenant.
func RulesFor(ctx context.Context, store BannedLister, tenant *storage.Tenant, u *storage.User) (Rules, error) {
	custom, err := store.ListBannedPasswords(ctx, tenant.ID)
	if err != nil {
		return Rules{}, err
	}
	return Rules{Custom: custom, Personal: PersonalTerms(tenant, u)}, nil
}

// PersonalTerms returns the names a user's password must not be built on:
// given name, surname, display name, the local part of the UPN and the
// tenant's display name. Either argument may be nil.
func PersonalTerms(tenant *storage.Tenant, u *storage.User) []string {
	var out []string
	if u != nil {
		local, _, _ := strings.Cut(u.UserPrincipalName, "@")
		out = append(out, u.GivenName, u.Surname, u.DisplayName, local)
	}
	if tenant != nil {
		out = append(out, tenant.DisplayName)
	}
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}
