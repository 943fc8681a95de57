package claims

import (
	"fmt"
	"testing"
)

// BenchmarkBuild builds the claims of a user in 1,000 groups (the
// overage path) and in 150 (the inline path).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{150, 1000} {
		facts := Facts{DirectoryRoles: []string{globalReader}}
		for i := range n {
			facts.Groups = append(facts.Groups, Group{ID: fmt.Sprintf("%08d-0000-0000-0000-000000000000", i), SecurityEnabled: i%2 == 0})
			facts.AppRoles = append(facts.AppRoles, fmt.Sprintf("Role%d", i%20))
		}
		b.Run(fmt.Sprintf("%d groups", n), func(b *testing.B) {
			for b.Loop() {
				Build(AccessToken, Settings{GroupMembershipClaims: "All"}, facts, "https://sigil/overage")
			}
		})
	}
}
