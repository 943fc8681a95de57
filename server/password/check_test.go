package password

import (
	"errors"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/credential"
	"github.com/sigil-idp/sigil/storage"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	contoso := Rules{Custom: []string{"contoso", "blank"}}
	alex := Rules{Personal: PersonalTerms(&storage.Tenant{DisplayName: "Tailspin Toys"},
		&storage.User{GivenName: "Alex", Surname: "Wilber", DisplayName: "Alex Wilber", UserPrincipalName: "alexw@tailspin.example"})}
	cases := []struct {
		name     string
		password string
		rules    Rules
		want     error
	}{
		// F-32: length is the only structural rule.
		{"refuses fewer than 8 characters", "k8#Lq2!", Rules{}, credential.ErrPasswordTooShort},
		{"refuses more than 256 characters", strings.Repeat("xq7", 86), Rules{}, credential.ErrPasswordTooLong},
		{"accepts a passphrase of lower-case words without digits or symbols", "correct horse battery staple", Rules{}, nil},
		{"accepts a long password that never expires nor needs a symbol", "glimmering kettle of noon", Rules{}, nil},
		// F-31: the global list, after normalisation.
		{"refuses Password123 (global list, case)", "Password123", Rules{}, ErrBanned},
		{"refuses P@ssw0rd (substitutions @→a, 0→o)", "P@ssw0rd", Rules{}, ErrBanned},
		{"refuses P@$$w0rd! (substitutions $→s, !→i)", "P@$$w0rd!", Rules{}, ErrBanned},
		{"refuses 12345678", "12345678", Rules{}, ErrBanned},
		{"refuses qwerty123 (keyboard walk)", "qwerty123", Rules{}, ErrBanned},
		{"refuses Summer2024! (season and year)", "Summer2024!", Rules{}, ErrBanned},
		{"refuses a banned term one edit away: passwordx", "passwordx", Rules{}, ErrBanned},
		{"refuses a banned term with one letter dropped: pasword1", "pasword1", Rules{}, ErrBanned},
		// Entra's scoring example: contoso + blank + 1 + 2 = 4 points.
		{"refuses C0ntos0Blank12 (4 points)", "C0ntos0Blank12", contoso, ErrBanned},
		// contoso + blank + f + 9 + ! = 5 points.
		{"accepts ContoS0Bl@nkf9! (5 points)", "ContoS0Bl@nkf9!", contoso, nil},
		{"refuses a custom term one edit away", "kontosoo", Rules{Custom: []string{"contosoo"}}, ErrBanned},
		{"accepts a custom term buried in enough other characters", "my contoso is far away", contoso, nil},
		// Personal names: substring matching on the user's and tenant's names.
		{"refuses the user's names with digits (alex + wilber + 1 + 2)", "AlexWilber12", alex, ErrBanned},
		{"refuses the tenant's name with a year", "Tailspin2024", alex, ErrBanned},
		{"accepts a password that only mentions the name among other words", "alex likes quiet rivers", alex, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := Check(tc.password, tc.rules)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Check(%q) = %v (score %d), want %v", tc.password, err, Score(tc.password, tc.rules), tc.want)
			}
			if err != nil && strings.Contains(strings.ToLower(err.Error()), strings.ToLower(tc.password)) {
				t.Errorf("error %q echoes the password", err)
			}
		})
	}
}

func TestScoreFollowsEntraExamples(t *testing.T) {
	t.Parallel()
	contoso := Rules{Custom: []string{"contoso", "blank"}}
	for pw, want := range map[string]int{"C0ntos0Blank12": 4, "ContoS0Bl@nkf9!": 5, "contosocontoso": 0} {
		if got := Score(pw, contoso); got != want && !(want == 0 && got < MinScore) {
			t.Errorf("Score(%q) = %d, want %d", pw, got, want)
		}
	}
}

func TestNormalizeFoldsSubstitutions(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"P@$$W0RD": "password", "1l!|iI": "llllll", "3L3C7R4": "electra", "Ärger": "ärger",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithinOneEdit(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		want bool
	}{
		{"abcdef", "abcdef", true}, {"abcdef", "abcdeg", true}, {"abcdef", "abcdefg", true},
		{"abcdef", "abcde", true}, {"abcdef", "bcdef", true}, {"abcdef", "abxdxf", false},
		{"abcdef", "abcdefgh", false}, {"ab", "ba", false},
	}
	for _, tc := range cases {
		if got := withinOneEdit(tc.a, tc.b); got != tc.want {
			t.Errorf("withinOneEdit(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestGlobalListHasThousandsOfTerms(t *testing.T) {
	t.Parallel()
	if n := GlobalListSize(); n < 2000 {
		t.Errorf("global list has %d terms, want a few thousand", n)
	}
}

func TestCleanTerms(t *testing.T) {
	t.Parallel()
	got, err := CleanTerms([]string{"contoso"}, []string{" Fabrikam ", "CONTOSO", "fabrikam", "tailspin"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "fabrikam,tailspin" {
		t.Errorf("CleanTerms = %q, want new lower-case terms once", got)
	}
	_, err = CleanTerms(nil, []string{"abc", "seventeen-chars-x", "ok\x00ay"})
	var te *TermError
	if !errors.As(err, &te) || len(te.Problems) != 3 {
		t.Fatalf("CleanTerms of three bad terms = %v, want a TermError with 3 problems", err)
	}
	full := make([]string, MaxCustomTerms)
	for i := range full {
		full[i] = "term" + strings.Repeat("x", i%10) + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
	}
	if _, err := CleanTerms(full, []string{"onemore"}); !errors.As(err, &te) {
		t.Errorf("CleanTerms beyond %d terms = %v, want a TermError", MaxCustomTerms, err)
	}
}

func BenchmarkCheck(b *testing.B) {
	r := Rules{Custom: make([]string, MaxCustomTerms), Personal: []string{"Alex", "Wilber", "Tailspin Toys"}}
	for i := range r.Custom {
		r.Custom[i] = "customterm" + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
	}
	for b.Loop() {
		_ = Check("correct horse battery staple", r)
	}
}
