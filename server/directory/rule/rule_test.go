package rule

import (
	"strings"
	"testing"
)

// alice is the subject most evaluation tests run against.
var alice = Attributes{
	Texts: map[string]string{
		"displayName":         "Alice Martin",
		"department":          "Sales",
		"jobTitle":            "Account Manager",
		"country":             "France",
		"city":                "Paris",
		"userPrincipalName":   "alice@contoso.com",
		"extensionAttribute7": "EMEA-42",
		"extension_0123456789abcdef0123456789abcdef_costcenter": "CC-100",
	},
	Flags: map[string]bool{"accountEnabled": true},
	Lists: map[string][]string{
		"otherMails":     {"alice@example.com", "a.martin@contoso.com"},
		"proxyAddresses": {"SMTP:alice@contoso.com", "smtp:am@contoso.com"},
	},
	Groups: map[string]bool{"11111111-1111-1111-1111-111111111111": true},
}

// evaluationCases are well-formed rules and their verdict for alice.
var evaluationCases = []struct {
	name string
	rule string
	want bool
}{
	// B-10: attribute-driven rules, every operator.
	{"-eq matches ignoring case", `user.department -eq "sales"`, true},
	{"-eq refuses another value", `user.department -eq "Marketing"`, false},
	{"-ne holds for another value", `user.department -ne "Marketing"`, true},
	{"-ne fails for the same value in other case", `user.department -ne "SALES"`, false},
	{"-startsWith matches a prefix ignoring case", `user.jobTitle -startsWith "account"`, true},
	{"-startsWith refuses a non-prefix", `user.jobTitle -startsWith "Manager"`, false},
	{"-notStartsWith holds for a non-prefix", `user.jobTitle -notStartsWith "Manager"`, true},
	{"-notStartsWith fails for a prefix", `user.jobTitle -notStartsWith "ACC"`, false},
	// B-13: contains and notContains are accepted when typed.
	{"-contains finds a substring ignoring case", `user.displayName -contains "MART"`, true},
	{"-contains refuses a missing substring", `user.displayName -contains "bob"`, false},
	{"-notContains holds for a missing substring", `user.displayName -notContains "bob"`, true},
	{"-notContains fails for a present substring", `user.displayName -notContains "alice"`, false},
	{"-match applies an RE2 pattern ignoring case", `user.userPrincipalName -match "^[a-z]+@CONTOSO\.com$"`, true},
	{"-match refuses a non-matching pattern", `user.userPrincipalName -match "^bob"`, false},
	{"-notMatch holds for a non-matching pattern", `user.userPrincipalName -notMatch "^bob"`, true},
	{"-notMatch fails for a matching pattern", `user.userPrincipalName -notMatch "contoso"`, false},
	{"-in finds the value in a list ignoring case", `user.country -in ["Germany", "FRANCE"]`, true},
	{"-in refuses a value outside the list", `user.country -in ["Germany", "Spain"]`, false},
	{"-notIn holds outside the list", `user.country -notIn ["Germany", "Spain"]`, true},
	{"-notIn fails inside the list", `user.country -notIn ['france']`, false},
	{"-in with an empty list never holds", `user.country -in []`, false},
	{"operators ignore case", `user.Department -EQ "Sales" -AND user.city -StartsWith "par"`, true},
	// Booleans and null.
	{"accountEnabled -eq true holds for an enabled user", `user.accountEnabled -eq true`, true},
	{"accountEnabled -eq false fails for an enabled user", `user.accountEnabled -eq FALSE`, false},
	{"accountEnabled -ne false holds for an enabled user", `user.accountEnabled -ne false`, true},
	{"-eq null holds for an empty property", `user.mobilePhone -eq null`, true},
	{"-eq null fails for a set property", `user.department -eq null`, false},
	{"-ne null holds for a set property", `user.department -ne NULL`, true},
	{"-ne null fails for an empty property", `user.surname -ne null`, false},
	// Quoting.
	{"single quotes are accepted", `user.department -eq 'Sales'`, true},
	{"an escaped double quote is part of the value", `user.displayName -ne "say \"hi\""`, true},
	{"a backslash before another character is literal", `user.extensionAttribute7 -match "^EMEA-\d+$"`, true},
	// Precedence and parentheses.
	{"-and binds tighter than -or", `user.department -eq "HR" -and user.city -eq "Oslo" -or user.country -eq "France"`, true},
	{"parentheses override precedence", `user.department -eq "HR" -and (user.city -eq "Oslo" -or user.country -eq "France")`, false},
	{"-not binds tighter than -and", `-not user.department -eq "HR" -and user.city -eq "Paris"`, true},
	{"-not negates a parenthesised -or", `-not (user.department -eq "HR" -or user.city -eq "Paris")`, false},
	{"double -not cancels", `-not -not user.city -eq "Paris"`, true},
	{"-or holds when only the right side holds", `user.city -eq "Oslo" -or user.city -eq "Paris"`, true},
	// -any and -all over multi-valued properties.
	{"-any holds when one element matches", `user.otherMails -any (_ -contains "example")`, true},
	{"-any fails when no element matches", `user.otherMails -any (_ -eq "bob@example.com")`, false},
	{"-all holds when every element matches", `user.proxyAddresses -all (_ -startsWith "smtp:")`, true},
	{"-all fails when one element does not match", `user.otherMails -all (_ -contains "contoso")`, false},
	// B-47: extension attributes and directory extensions.
	{"extensionAttribute7 is a text property", `user.extensionAttribute7 -startsWith "emea"`, true},
	{"a directory extension is a text property", `user.extension_0123456789ABCDEF0123456789abcdef_costCenter -eq "cc-100"`, true},
	// B-14, B-16, B-17: memberOf counts direct membership of any source group.
	{"memberOf holds for a direct member", `user.memberOf -any (group.objectId -in ["22222222-2222-2222-2222-222222222222", "11111111-1111-1111-1111-111111111111"])`, true},
	{"memberOf fails for a non-member", `user.memberof -any (group.objectid -in ['22222222-2222-2222-2222-222222222222'])`, false},
	{"memberOf may be wrapped in parentheses", `(user.memberOf -any (group.objectId -in ["11111111-1111-1111-1111-111111111111"]))`, true},
}

func TestEvaluate(t *testing.T) {
	for _, tt := range evaluationCases {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.rule)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.rule, err)
			}
			if got := r.Evaluate(alice); got != tt.want {
				t.Errorf("Evaluate(%q) = %v, want %v", tt.rule, got, tt.want)
			}
		})
	}
}

func TestEvaluateWithoutAttributes(t *testing.T) {
	nobody := Attributes{}
	tests := []struct {
		name string
		rule string
		want bool
	}{
		{"-all never holds for an empty property", `user.otherMails -all (_ -contains "x")`, false},
		{"-any never holds for an empty property", `user.otherMails -any (_ -notContains "x")`, false},
		{"-eq null holds for an unset property", `user.department -eq null`, true},
		{"-notIn holds for an unset property", `user.country -notIn ["France"]`, true},
		{"an unset boolean is false", `user.accountEnabled -eq false`, true},
		{"memberOf fails without memberships", `user.memberOf -any (group.objectId -in ["11111111-1111-1111-1111-111111111111"])`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.rule)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.rule, err)
			}
			if got := r.Evaluate(nobody); got != tt.want {
				t.Errorf("Evaluate(%q) = %v, want %v", tt.rule, got, tt.want)
			}
		})
	}
}

func TestParseAcceptsARuleOfExactlyMaxLength(t *testing.T) {
	prefix := `user.city -eq "`
	value := strings.Repeat("é", MaxLength-len(prefix)-1)
	r, err := Parse(prefix + value + `"`)
	if err != nil {
		t.Fatalf("Parse of a %d-character rule: %v", MaxLength, err)
	}
	if !r.Evaluate(Attributes{Texts: map[string]string{"city": strings.ToUpper(value)}}) {
		t.Errorf("a long value does not equal itself in upper case")
	}
}
