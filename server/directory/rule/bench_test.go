package rule

import "testing"

// tenClauseRule mixes every kind of clause the evaluator handles.
const tenClauseRule = `user.accountEnabled -eq true -and user.department -in ["Sales", "Marketing"]` +
	` -and user.jobTitle -startsWith "account" -and user.displayName -contains "martin"` +
	` -and user.country -ne "Germany" -and user.userPrincipalName -match "@contoso\.com$"` +
	` -and user.otherMails -any (_ -contains "example") -and user.mobilePhone -eq null` +
	` -and (user.city -eq "Paris" -or user.city -eq "Lyon")`

func BenchmarkEvaluateTenClauses(b *testing.B) {
	r, err := Parse(tenClauseRule)
	if err != nil {
		b.Fatal(err)
	}
	if !r.Evaluate(alice) {
		b.Fatal("the benchmark rule should hold for alice, so every clause runs")
	}
	b.ReportAllocs()
	for b.Loop() {
		r.Evaluate(alice)
	}
}

func BenchmarkParseTenClauses(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(tenClauseRule); err != nil {
			b.Fatal(err)
		}
	}
}
