package access_test

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/geoip"
	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

var system = directory.Actor{System: true}

// fixture is a tenant with a user, over a real store, and a Service with a
// GeoIP city database of London and Sydney.
type fixture struct {
	t      *testing.T
	store  storage.Storage
	dir    *directory.Service
	svc    *access.Service
	tenant *storage.Tenant
	user   *storage.User
	now    time.Time
}

const cities = "81.2.69.0,81.2.69.255,EU,GB,England,London,51.5085,-0.1257\n" +
	"203.0.113.0,203.0.113.255,OC,AU,New South Wales,Sydney,-33.8678,151.2073\n"

func newFixture(t *testing.T, store storage.Storage) *fixture {
	t.Helper()
	km, err := keys.NewManager(store, [][]byte{[]byte("0123456789abcdef0123456789abcdef")}, keys.Options{})
	must(t, err)
	f := &fixture{t: t, store: store, dir: &directory.Service{Store: store, Keys: km}, now: time.Now().UTC()}
	f.tenant, err = f.dir.CreateTenant(context.Background(), directory.NewTenant{DisplayName: "Contoso", Domain: "contoso.test"})
	must(t, err)
	f.user, err = f.dir.CreateUser(context.Background(), f.tenant.ID, directory.NewUser{UserPrincipalName: "ann@contoso.test",
		DisplayName: "Ann", Password: "correct horse battery staple"})
	must(t, err)
	db, err := geoip.Read(strings.NewReader(cities))
	must(t, err)
	roles := &directory.Roles{Store: store, Groups: directory.StoreGroups{Store: store}}
	f.svc = &access.Service{Store: store, Roles: roles, GeoIP: db, Config: access.StoreConfig{Store: store}, Now: func() time.Time { return f.now }}
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var (
	london = netip.MustParseAddr("81.2.69.160")
	sydney = netip.MustParseAddr("203.0.113.9")
)

// TestFirstFactorRisk: Sigil's own detections (G-28) — an unfamiliar
// network is low risk, a spraying address high, failed second factors
// medium, and with a city database a new country medium and impossible
// travel high.
func TestFirstFactorRisk(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			f := newFixture(t, backend.Open(t))
			ctx := context.Background()
			facts, err := f.svc.FirstFactor(ctx, f.tenant, f.user.ID, london, true)
			must(t, err)
			if facts.Risk != policy.RiskNone || facts.Unfamiliar {
				t.Errorf("familiar network, no history: %+v", facts)
			}
			facts, err = f.svc.FirstFactor(ctx, f.tenant, f.user.ID, london, false)
			must(t, err)
			if facts.Risk != policy.RiskLow || !slices.Equal(facts.Detections, []string{policy.DetectionUnfamiliarFeatures}) {
				t.Errorf("unfamiliar network: %+v", facts)
			}

			must(t, f.store.InsertSignIn(ctx, &storage.SignIn{ID: "s1", TenantID: f.tenant.ID, CreatedAt: f.now.Add(-2 * time.Hour),
				UserID: f.user.ID, IPAddress: london.String(), Interactive: true}))
			facts, err = f.svc.FirstFactor(ctx, f.tenant, f.user.ID, sydney, false)
			must(t, err)
			if facts.Risk != policy.RiskHigh || !slices.Contains(facts.Detections, policy.DetectionImpossibleTravel) {
				t.Errorf("London to Sydney in two hours: %+v", facts)
			}
			f.now = f.now.Add(48 * time.Hour)
			facts, err = f.svc.FirstFactor(ctx, f.tenant, f.user.ID, sydney, false)
			must(t, err)
			if facts.Risk != policy.RiskMedium || slices.Contains(facts.Detections, policy.DetectionImpossibleTravel) {
				t.Errorf("London to Sydney in two days, unfamiliar network and country: %+v", facts)
			}

			for range 5 {
				_, err := f.store.RecordMFAFailure(ctx, f.tenant.ID, f.user.ID, f.now)
				must(t, err)
			}
			facts, err = f.svc.FirstFactor(ctx, f.tenant, f.user.ID, london, true)
			must(t, err)
			if facts.Risk != policy.RiskMedium || !slices.Contains(facts.Detections, policy.DetectionMFAFailures) {
				t.Errorf("five failed second factors: %+v", facts)
			}
			_, err = f.store.UpdateLockoutCounter(ctx, f.tenant.ID, lockout.AddressKeyPrefix(london), func(c *storage.LockoutCounter) {
				c.Failures, c.UpdatedAt = 12, f.now
			})
			must(t, err)
			facts, err = f.svc.FirstFactor(ctx, f.tenant, f.user.ID, london, true)
			must(t, err)
			if facts.Risk != policy.RiskHigh || !slices.Contains(facts.Detections, policy.DetectionPasswordSpray) {
				t.Errorf("spraying address: %+v", facts)
			}
		})
	}
}

// TestSignalsFromTheDirectory: the evaluator sees the user's transitive
// groups, effective roles (through a role-assignable group), accepted terms
// of the current version only, administrator-set risk, the country from
// GeoIP and the platform from the user agent.
func TestSignalsFromTheDirectory(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			f := newFixture(t, backend.Open(t))
			ctx := context.Background()
			outer, err := f.dir.CreateGroup(ctx, system, f.tenant.ID, directory.NewGroup{DisplayName: "All staff"})
			must(t, err)
			admins, err := f.dir.CreateGroup(ctx, system, f.tenant.ID, directory.NewGroup{DisplayName: "Helpdesk", IsAssignableToRole: true})
			must(t, err)
			must(t, f.dir.AddGroupMember(ctx, system, f.tenant.ID, outer.ID, storage.GroupMember{ID: admins.ID, Type: storage.MemberTypeGroup}))
			must(t, f.dir.AddGroupMember(ctx, system, f.tenant.ID, admins.ID, storage.GroupMember{ID: f.user.ID, Type: storage.MemberTypeUser}))
			_, err = f.svc.Roles.AssignRole(ctx, system, f.tenant.ID, directory.NewRoleAssignment{RoleID: directory.RoleHelpdeskAdministrator,
				PrincipalID: admins.ID, PrincipalType: storage.PrincipalGroup})
			must(t, err)
			adm := &access.Admin{Store: f.store, Roles: f.svc.Roles}
			terms, err := adm.SaveTerms(ctx, f.tenant.ID, storage.TermsOfUse{DisplayName: "Use", Content: "v1"})
			must(t, err)
			must(t, access.StoreConfig{Store: f.store}.Accept(ctx, f.tenant.ID, f.user.ID, []access.Terms{{ID: terms.ID, Version: 1}}))
			must(t, adm.SetUserRisk(ctx, f.tenant.ID, []string{f.user.ID}, policy.RiskHigh, "confirmedCompromised", "admin"))

			sig, err := f.svc.Signals(ctx, access.Attempt{Tenant: f.tenant, User: f.user, AppID: "app", Addr: sydney,
				UserAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)"})
			must(t, err)
			if !slices.Contains(sig.GroupIDs, outer.ID) || !slices.Contains(sig.GroupIDs, admins.ID) ||
				!slices.Equal(sig.RoleIDs, []string{directory.RoleHelpdeskAdministrator}) || !slices.Equal(sig.AcceptedTerms, []string{terms.ID}) ||
				sig.UserRisk != policy.RiskHigh || sig.Country != "AU" || sig.Platform != policy.PlatformIOS {
				t.Errorf("signals = %+v", sig)
			}
			terms.Content = "v2"
			_, err = adm.SaveTerms(ctx, f.tenant.ID, terms)
			must(t, err)
			sig, err = f.svc.Signals(ctx, access.Attempt{Tenant: f.tenant, User: f.user})
			must(t, err)
			if len(sig.AcceptedTerms) != 0 {
				t.Errorf("an acceptance of version 1 counts for version 2: %v", sig.AcceptedTerms)
			}
		})
	}
}
