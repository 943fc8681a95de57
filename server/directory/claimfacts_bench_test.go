//go:build unix

package directory

import (
	"syscall"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// BenchmarkClaimFacts1000GroupsNested5Deep loads the facts of a user in 1,000
// groups nested 5 deep (200 direct groups, each under 4 levels of parents;
// 200 of them hold app roles) and builds the ID and access token claims:
// with All the groups overflow into the overage claims, with
// ApplicationGroup the 200 assigned groups are listed. cpu-µs/op is this
// process's CPU time (with SQLite, the database's too; not the Postgres
// server's), which a loaded machine disturbs less than ns/op.
func BenchmarkClaimFacts1000GroupsNested5Deep(b *testing.B) {
	for _, backend := range gormstoretest.Backends() {
		b.Run(backend.Name, func(b *testing.B) {
			w := newClaimWorld(b, backend.Open(b))
			nestedGroups(w, 1000, 5)
			for _, gmc := range []string{"All", "ApplicationGroup", "None"} {
				w.settings(gmc, nil, nil)
				b.Run(gmc, func(b *testing.B) {
					before := processCPU(b)
					for b.Loop() {
						if _, _, err := w.facts.UserClaims(w.ctx, w.app, w.user, "https://sigil/overage"); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64((processCPU(b)-before).Microseconds())/float64(b.N), "cpu-µs/op")
				})
			}
		})
	}
}

// processCPU is the user plus system CPU time this process has used.
func processCPU(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
