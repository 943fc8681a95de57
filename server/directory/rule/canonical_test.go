package rule

import (
	"slices"
	"testing"
)

// canonicalCases are rules and their canonical form.
var canonicalCases = []struct {
	name string
	rule string
	want string
}{
	{"spells operators and properties canonically", `USER.DEPARTMENT -EQ 'Sales'`, `user.department -eq "Sales"`},
	{"escapes quotes and backslashes", `user.city -match '^a"b\d'`, `user.city -match "^a\"b\\d"`},
	{"drops parentheses precedence does not need", `(user.city -eq "a") -or ((user.city -eq "b") -and user.city -eq "c")`, `user.city -eq "a" -or user.city -eq "b" -and user.city -eq "c"`},
	{"keeps parentheses precedence needs", `(user.city -eq "a" -or user.city -eq "b") -and user.city -eq "c"`, `(user.city -eq "a" -or user.city -eq "b") -and user.city -eq "c"`},
	{"keeps a right-nested -or grouped", `user.city -eq "a" -or (user.city -eq "b" -or user.city -eq "c")`, `user.city -eq "a" -or (user.city -eq "b" -or user.city -eq "c")`},
	{"parenthesises the operand of -not when needed", `-not (user.city -eq "a" -and user.city -eq "b")`, `-not (user.city -eq "a" -and user.city -eq "b")`},
	{"prints lists, booleans and null", `user.country -notIn ['fr','de'] -and user.accountEnabled -ne TRUE -or user.mail -eq NULL`, `user.country -notIn ["fr", "de"] -and user.accountEnabled -ne true -or user.mail -eq null`},
	{"prints -any and -all", `user.otherMails -ALL (_ -notContains "x")`, `user.otherMails -all (_ -notContains "x")`},
	{"lower-cases a directory extension", `user.Extension_0123456789ABCDEF0123456789ABCDEF_Cost -eq "x"`, `user.extension_0123456789abcdef0123456789abcdef_cost -eq "x"`},
	{"prints memberOf with lower-case IDs", `(user.MemberOf -any (group.ObjectID -in ['AAAAAAAA-1111-1111-1111-111111111111']))`, `user.memberOf -any (group.objectId -in ["aaaaaaaa-1111-1111-1111-111111111111"])`},
}

func TestStringIsCanonical(t *testing.T) {
	for _, tt := range canonicalCases {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.rule)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.rule, err)
			}
			if got := r.String(); got != tt.want {
				t.Errorf("String() = %s, want %s", got, tt.want)
			}
			again, err := Parse(r.String())
			if err != nil || again.String() != tt.want {
				t.Errorf("reparsing the canonical form gave %v, %v", again, err)
			}
		})
	}
}

func TestMemberOfGroups(t *testing.T) {
	tests := []struct {
		name string
		rule string
		want []string
	}{
		{"lists the source groups of a memberOf rule (B-16)", `user.memberOf -any (group.objectId -in ["` + groupA + `", "22222222-2222-2222-2222-222222222222"])`, []string{groupA, "22222222-2222-2222-2222-222222222222"}},
		{"lists a repeated group once", `user.memberOf -any (group.objectId -in ["` + groupA + `", "11111111-1111-1111-1111-111111111111"])`, []string{groupA}},
		{"is empty for an attribute rule", `user.department -eq "Sales"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.rule)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := r.MemberOfGroups(); !slices.Equal(got, tt.want) {
				t.Errorf("MemberOfGroups() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMemberOfAcceptsFiftyGroups(t *testing.T) {
	// B-20: 50 source groups is the limit, not beyond it.
	r, err := Parse(`user.memberOf -any (group.objectId -in [` + groupIDs(MaxMemberOfGroups) + `])`)
	if err != nil {
		t.Fatalf("Parse with %d groups: %v", MaxMemberOfGroups, err)
	}
	groups := r.MemberOfGroups()
	if len(groups) != MaxMemberOfGroups {
		t.Fatalf("MemberOfGroups() has %d groups, want %d", len(groups), MaxMemberOfGroups)
	}
	last := Attributes{Groups: map[string]bool{groups[len(groups)-1]: true}}
	if !r.Evaluate(last) {
		t.Errorf("a direct member of the last source group is not a member")
	}
}
