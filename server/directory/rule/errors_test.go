package rule

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

const groupA = "11111111-1111-1111-1111-111111111111"

// groupIDs returns n distinct group object IDs as a quoted list body.
func groupIDs(n int) string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf(`"00000000-0000-0000-0000-%012d"`, i)
	}
	return strings.Join(ids, ", ")
}

// malformedCases are refused rules with the position and message expected.
var malformedCases = []struct {
	name    string
	rule    string
	line    int
	column  int
	message string
}{
	{"refuses an unknown operator", `user.department -eqq "Sales"`, 1, 17, `unknown operator "-eqq"`},
	{"refuses a missing value", `user.department -eq -and user.city -eq "x"`, 1, 21, "expected a value after -eq"},
	{"refuses a missing value at the end", `user.department -eq `, 1, 21, "expected a value after -eq"},
	{"refuses an unknown property", `user.favouriteColour -eq "blue"`, 1, 1, `unknown property "user.favouriteColour"`},
	{"refuses a property of another object", `device.deviceOSType -eq "iPad"`, 1, 1, `unknown property "device.deviceOSType"`},
	{"refuses an extension attribute past 15", `user.extensionAttribute16 -eq "x"`, 1, 1, "unknown property"},
	{"refuses a directory extension without an application ID", `user.extension_costCenter -eq "x"`, 1, 1, "unknown property"},
	{"refuses an unterminated string", `user.department -eq "Sales`, 1, 21, "unterminated string"},
	{"refuses an invalid regular expression", `user.city -match "([a-z"`, 1, 18, "invalid regular expression"},
	{"refuses an unclosed parenthesis", `(user.city -eq "Paris"`, 1, 23, `expected ")", found end of rule`},
	{"refuses two expressions without a connective", `user.city -eq "Paris" user.country -eq "France"`, 1, 23, "expected -and, -or or the end of the rule"},
	{"refuses a multi-valued property without -any or -all", `user.otherMails -eq "x"`, 1, 17, "use -any or -all"},
	{"refuses -any on a single-valued property", `user.department -any (_ -eq "x")`, 1, 17, "needs a multi-valued property"},
	{"refuses -any without _", `user.otherMails -any (x -eq "x")`, 1, 23, "expected _ for the element"},
	{"refuses a quoted boolean", `user.accountEnabled -eq "yes"`, 1, 25, "expected true or false"},
	{"refuses -contains on a boolean", `user.accountEnabled -contains true`, 1, 31, "takes only -eq or -ne"},
	{"refuses -in without a list", `user.city -in "Paris"`, 1, 15, "expected a list after -in"},
	{"refuses a list after -eq", `user.city -eq ["Paris"]`, 1, 15, "a list works only with -in and -notIn"},
	{"refuses a list item that is not a string", `user.city -in ["Paris", true]`, 1, 25, "expected a quoted string in the list"},
	{"refuses null with -startsWith", `user.city -startsWith null`, 1, 23, "null works only with -eq and -ne"},
	{"refuses an unexpected character", `user.city @ "x"`, 1, 11, `unexpected character '@'`},
	{"refuses a dangling -and", `user.city -eq "Paris" -and`, 1, 27, "expected a property"},
	{"refuses an empty rule", ``, 1, 1, "expected a property"},
	{"reports the line and column of a later line", "user.city -eq \"Paris\"\n  -and user.country -eqq \"x\"", 2, 21, `unknown operator "-eqq"`},
	{"counts columns in characters", `user.displayName -eq "Zoë" -an`, 1, 28, `unknown operator "-an"`},
	// B-22, B-23: memberOf must be the whole rule.
	{"refuses memberOf combined with -and", `user.city -eq "Paris" -and user.memberOf -any (group.objectId -in ["` + groupA + `"])`, 1, 28, "must be the whole rule"},
	{"refuses memberOf combined with -or", `user.memberOf -any (group.objectId -in ["` + groupA + `"]) -or user.city -eq "Paris"`, 1, 1, "must be the whole rule"},
	{"refuses a negated memberOf", `-not user.memberOf -any (group.objectId -in ["` + groupA + `"])`, 1, 6, "must be the whole rule"},
	// B-20: at most 50 source groups.
	{"refuses memberOf with 51 groups", `user.memberOf -any (group.objectId -in [` + groupIDs(51) + `])`, 1, 40, "names 51 groups; at most 50"},
	{"refuses memberOf with no groups", `user.memberOf -any (group.objectId -in [])`, 1, 40, "needs at least one group"},
	{"refuses memberOf with a malformed group ID", `user.memberOf -any (group.objectId -in ["sales"])`, 1, 40, `"sales" is not a group object ID`},
	{"refuses memberOf with -all", `user.memberOf -all (group.objectId -in ["` + groupA + `"])`, 1, 15, "expected -any after user.memberOf"},
	{"refuses memberOf over another group property", `user.memberOf -any (group.displayName -in ["x"])`, 1, 21, "expected group.objectId"},
}

func TestParseRefusesMalformedRules(t *testing.T) {
	for _, tt := range malformedCases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.rule)
			var syntaxErr *SyntaxError
			if !errors.As(err, &syntaxErr) {
				t.Fatalf("Parse(%q) error = %v, want a *SyntaxError", tt.rule, err)
			}
			if syntaxErr.Line != tt.line || syntaxErr.Column != tt.column {
				t.Errorf("position = line %d, column %d, want line %d, column %d (%v)",
					syntaxErr.Line, syntaxErr.Column, tt.line, tt.column, err)
			}
			if !strings.Contains(syntaxErr.Message, tt.message) {
				t.Errorf("message = %q, want it to contain %q", syntaxErr.Message, tt.message)
			}
		})
	}
}

func TestSyntaxErrorText(t *testing.T) {
	tests := []struct {
		name string
		rule string
		want string
		pos  int
	}{
		{"names the unknown operator and its column", `user.department -eqq "Sales"`, `unknown operator "-eqq" at column 17`, 16},
		{"names the operator missing its value", `user.department -eq -or user.city -eq "x"`, `expected a value after -eq at column 21`, 20},
		{"names line and column past the first line", "user.city -eq \"x\"\n-or user.city -eq", `expected a value after -eq at line 2, column 18`, 35},
		{"gives the byte offset of a multi-byte prefix", `user.displayName -eq "Zoë" -an`, `unknown operator "-an" at column 28`, 28},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.rule)
			var syntaxErr *SyntaxError
			if !errors.As(err, &syntaxErr) {
				t.Fatalf("Parse(%q) error = %v, want a *SyntaxError", tt.rule, err)
			}
			if err.Error() != tt.want || syntaxErr.Pos != tt.pos {
				t.Errorf("error = %q at byte %d, want %q at byte %d", err, syntaxErr.Pos, tt.want, tt.pos)
			}
		})
	}
}
