package directory

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// Sizes of the dynamic-membership benchmark (issue 3): 100,000 users
// against 100 rules.
const (
	benchUsers = 100_000
	benchRules = 100
)

// benchRule returns the i-th of a mix of rule shapes: equality, prefix with
// a boolean, list membership, a multi-valued -any and a regular expression.
func benchRule(i int) string {
	switch i % 5 {
	case 0:
		return fmt.Sprintf(`user.department -eq "dept%d"`, i%100)
	case 1:
		return fmt.Sprintf(`user.city -startsWith "city%d" -and user.accountEnabled -eq true`, i%37)
	case 2:
		return fmt.Sprintf(`user.extensionAttribute3 -in ["e%d", "e%d"]`, i%20, (i+1)%20)
	case 3:
		return fmt.Sprintf(`user.otherMails -any (_ -contains "m%d.example")`, i%50)
	}
	return fmt.Sprintf(`user.jobTitle -match "^title%d$" -or user.country -eq "c%d"`, i%60, i%30)
}

func benchUser(tenantID string, k int) *storage.User {
	u := &storage.User{ID: uuid.NewString(), TenantID: tenantID, UserPrincipalName: "u" + strconv.Itoa(k) + "@contoso.com",
		DisplayName: "User " + strconv.Itoa(k), UserType: storage.UserTypeMember, AccountEnabled: true,
		Department: fmt.Sprintf("dept%d", k%100), City: fmt.Sprintf("city%d", k%37), JobTitle: fmt.Sprintf("title%d", k%60),
		Country: fmt.Sprintf("c%d", k%30), OtherMails: []string{fmt.Sprintf("u%d@m%d.example", k, k%50)},
		CreatedAt: testNow, UpdatedAt: testNow}
	u.ExtensionAttributes[2] = fmt.Sprintf("e%d", k%20)
	return u
}

// benchTenant stores a tenant directly (no signing keys needed).
func benchTenant(b *testing.B, s *Service) string {
	t := &storage.Tenant{ID: uuid.NewString(), DisplayName: "Contoso", CreatedAt: testNow, UpdatedAt: testNow}
	err := s.Store.CreateTenant(context.Background(), t, []storage.Domain{{Name: "contoso.com", TenantID: t.ID, Verified: true, Initial: true, CreatedAt: testNow}})
	if err != nil {
		b.Fatal(err)
	}
	return t.ID
}

// seedDynamicTenant stores the users and the dynamic groups directly (no
// evaluation yet) and returns the tenant ID and the users' IDs.
func seedDynamicTenant(b *testing.B, s *Service) (string, []string) {
	ctx := context.Background()
	tenant := benchTenant(b, s)
	userIDs := make([]string, 0, benchUsers)
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		for k := range benchUsers {
			u := benchUser(tenant, k)
			if err := s.Store.CreateUser(ctx, u); err != nil {
				return err
			}
			userIDs = append(userIDs, u.ID)
		}
		for i := range benchRules {
			g := &storage.Group{ID: uuid.NewString(), TenantID: tenant, DisplayName: "Rule " + strconv.Itoa(i),
				Type: storage.GroupTypeSecurity, SecurityEnabled: true, MembershipType: storage.MembershipDynamic,
				MembershipRule: benchRule(i), RuleProcessingState: storage.RuleProcessingOn}
			if err := s.Store.CreateGroup(ctx, g); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return tenant, userIDs
}

// BenchmarkDynamicMembership measures, on each backend and over one tenant
// of 100,000 users and 100 dynamic rules: the first full re-evaluation
// (every membership written; reported as initial_s), a steady full
// re-evaluation (nothing to change; ns/op), and the incremental update after
// one user's department changes (UpdateUser: validation, write, and the
// re-check of that user against all 100 rules).
func BenchmarkDynamicMembership(b *testing.B) {
	for _, backend := range gormstoretest.Backends() {
		b.Run(backend.Name, func(b *testing.B) {
			s := &Service{Store: backend.Open(b), Now: func() time.Time { return testNow }}
			tenant, userIDs := seedDynamicTenant(b, s)
			ctx := context.Background()
			start := time.Now()
			first, err := s.ReevaluateTenant(ctx, tenant)
			if err != nil {
				b.Fatal(err)
			}
			initial := time.Since(start)
			b.Run("full", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.ReevaluateTenant(ctx, tenant); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(initial.Seconds(), "initial_s")
				b.ReportMetric(float64(first.Added), "initial_memberships")
			})
			b.Run("incremental", func(b *testing.B) {
				const updatesPerOp = 50
				i, start := 0, time.Now()
				for b.Loop() {
					for range updatesPerOp {
						changeDepartment(b, s, tenant, userIDs[(i*7919)%len(userIDs)], i)
						i++
					}
				}
				b.ReportMetric(float64(time.Since(start).Microseconds())/float64(i), "us/update")
			})
		})
	}
}

// changeDepartment moves one user to another department through the
// service, which re-checks them against every dynamic rule.
func changeDepartment(b *testing.B, s *Service, tenant, id string, i int) {
	ctx := context.Background()
	u, err := s.Store.GetUser(ctx, tenant, id)
	if err != nil {
		b.Fatal(err)
	}
	p := profileOf(u)
	p.Department = fmt.Sprintf("dept%d", i%100)
	if _, err := s.UpdateUser(ctx, Actor{System: true}, tenant, id, UserChange{Profile: &p}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkTransitiveGroupsOfUser measures the claims query: a user in 1,000
// groups, 200 chains of 5 nested groups with the user in each chain's
// innermost group.
func BenchmarkTransitiveGroupsOfUser(b *testing.B) {
	for _, backend := range gormstoretest.Backends() {
		b.Run(backend.Name, func(b *testing.B) {
			ctx := context.Background()
			s := &Service{Store: backend.Open(b), Now: func() time.Time { return testNow }}
			tenant := benchTenant(b, s)
			u := benchUser(tenant, 1)
			if err := s.Store.CreateUser(ctx, u); err != nil {
				b.Fatal(err)
			}
			if err := seedChains(ctx, s, tenant, u.ID, 200, 5); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				groups, err := s.Store.TransitiveGroupsOfUser(ctx, tenant, u.ID)
				if err != nil || len(groups) != 1000 {
					b.Fatalf("got %d groups, %v; want 1000", len(groups), err)
				}
			}
		})
	}
}

// seedChains stores chains of nested security groups and puts the user in
// the innermost group of each.
func seedChains(ctx context.Context, s *Service, tenantID, userID string, chains, depth int) error {
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		for c := range chains {
			var child string
			for d := range depth {
				g := &storage.Group{ID: uuid.NewString(), TenantID: tenantID, DisplayName: fmt.Sprintf("g%d-%d", c, d),
					Type: storage.GroupTypeSecurity, SecurityEnabled: true, MembershipType: storage.MembershipAssigned}
				if err := s.Store.CreateGroup(ctx, g); err != nil {
					return err
				}
				m := storage.GroupMember{ID: userID, Type: storage.MemberTypeUser}
				if child != "" {
					m = storage.GroupMember{ID: child, Type: storage.MemberTypeGroup}
				}
				if err := s.Store.AddGroupMember(ctx, tenantID, g.ID, m); err != nil {
					return err
				}
				child = g.ID
			}
		}
		return nil
	})
}
