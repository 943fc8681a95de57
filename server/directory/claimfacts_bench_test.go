package directory

import (
	"testing"

	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// BenchmarkClaimFacts1000GroupsNested5Deep loads the facts of a user in 1,000
// groups nested 5 deep (200 direct groups, each under 4 levels of parents;
// 200 of them hold app roles) and builds the ID and access token claims:
// with All the groups overflow into the overage claims, with
// ApplicationGroup the 200 assigned groups are listed.
func BenchmarkClaimFacts1000GroupsNested5Deep(b *testing.B) {
	for _, backend := range gormstoretest.Backends() {
		b.Run(backend.Name, func(b *testing.B) {
			w := newClaimWorld(b, backend.Open(b))
			nestedGroups(w, 1000, 5)
			for _, gmc := range []string{"All", "ApplicationGroup", "None"} {
				w.settings(gmc, nil, nil)
				b.Run(gmc, func(b *testing.B) {
					for b.Loop() {
						if _, _, err := w.facts.UserClaims(w.ctx, w.app, w.user, "https://sigil/overage"); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
