package conformance

import (
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("values", testValues) }

func testValues(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"returns times in UTC with microsecond precision", valueTimesUTC},
		{"round-trips string lists, empty and nil included", valueStringLists},
		{"answers a readiness ping", valuePing},
	})
}

func valueTimesUTC(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	local := time.Date(2031, time.March, 4, 5, 6, 7, 123456789, farOffZone)
	tenant := &storage.Tenant{ID: newID(), DisplayName: "Times", CreatedAt: local, UpdatedAt: local.Add(time.Second)}
	mustNil(t, s.CreateTenant(ctx, tenant, nil), "CreateTenant")
	sameTime(t, tenant.CreatedAt, local, "CreatedAt written back")
	got, err := s.GetTenant(ctx, tenant.ID)
	mustNil(t, err, "GetTenant")
	sameTime(t, got.CreatedAt, local, "CreatedAt")
	sameTime(t, got.UpdatedAt, local.Add(time.Second), "UpdatedAt")
	if got.CreatedAt.Nanosecond() != 123456000 {
		t.Errorf("sub-second part %d ns, want 123456000 (microseconds kept)", got.CreatedAt.Nanosecond())
	}
}

func valueStringLists(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	user := seedUser(t, s, tenant.ID, "ann@contoso.example")
	lists := map[string][]string{
		"nil":     nil,
		"empty":   {},
		"one":     {"pwd"},
		"unicode": {"höhe", "☃", `quote"comma,`, ""},
	}
	for name, list := range lists {
		sess := newSession(tenant.ID, user.ID)
		sess.AMR = list
		mustNil(t, s.CreateBrowserSession(ctx, sess), "CreateBrowserSession "+name)
		got, err := s.GetBrowserSession(ctx, sess.ID)
		mustNil(t, err, "GetBrowserSession "+name)
		sameStrings(t, got.AMR, list, "AMR "+name)

		f := seedFlow(t, s, tenant.ID)
		prev := f.UpdatedAt
		f.AMR, f.GrantedScopes = list, list
		mustNil(t, s.UpdateFlow(ctx, f, prev), "UpdateFlow "+name)
		gotFlow, err := s.GetFlow(ctx, f.ID)
		mustNil(t, err, "GetFlow "+name)
		sameStrings(t, gotFlow.AMR, list, "flow AMR "+name)
		sameStrings(t, gotFlow.GrantedScopes, list, "flow GrantedScopes "+name)
	}
}

func valuePing(t *testing.T, s storage.Storage) {
	mustNil(t, s.Ping(ctxFor(t)), "Ping")
}
