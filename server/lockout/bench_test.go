package lockout

import (
	"context"
	"net/netip"
	"testing"

	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// BenchmarkFailedAttempt is what smart lockout adds to one wrong password:
// Check (familiar-network and two counter reads) and Failed (two atomic
// counter updates), on each backend.
func BenchmarkFailedAttempt(b *testing.B) {
	for _, backend := range gormstoretest.Backends() {
		b.Run(backend.Name, func(b *testing.B) {
			f := newFixture(b, backend.Open(b), 1)
			f.svc.Policy = Defaults
			f.svc.Policy.Threshold = 1 << 30 // never lock: measure counting only
			f.svc.Policy.AddressThreshold = 1 << 30
			ctx := context.Background()
			a := Attempt{Tenant: f.tenant, UserID: f.users[0].ID, Addr: netip.MustParseAddr("203.0.113.5")}
			for b.Loop() {
				v, err := f.svc.Check(ctx, a)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.svc.Failed(ctx, a, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
