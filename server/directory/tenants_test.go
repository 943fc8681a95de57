package directory

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/storage"
)

func TestCreateTenant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tenant, err := s.CreateTenant(ctx, NewTenant{DisplayName: "  Contoso  ", Domain: " Contoso.COM "})
		if err != nil {
			t.Fatal(err)
		}
		if tenant.DisplayName != "Contoso" || !tenant.CreatedAt.Equal(testNow) {
			t.Fatalf("tenant = %+v", tenant)
		}
		domains, err := s.Store.ListDomains(ctx, tenant.ID)
		if err != nil || len(domains) != 1 {
			t.Fatalf("domains = %+v, %v", domains, err)
		}
		if d := domains[0]; d.Name != "contoso.com" || !d.Verified || !d.Initial {
			t.Fatalf("initial domain = %+v; want contoso.com, verified and initial", d)
		}
		for _, alg := range keys.Algorithms {
			if _, err := s.Keys.Signer(ctx, tenant.ID, alg); err != nil {
				t.Fatalf("new tenant cannot sign %s: %v", alg, err)
			}
		}
		for _, ref := range []string{tenant.ID, "CONTOSO.com"} {
			if got, err := s.GetTenant(ctx, ref); err != nil || got.ID != tenant.ID {
				t.Fatalf("GetTenant(%q) = %v, %v", ref, got, err)
			}
		}
	})
}

func TestCreateTenantValidation(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		tests := []struct {
			name     string
			in       NewTenant
			field    string
			fragment string
		}{
			{"requires a display name", NewTenant{Domain: "a.example"}, "displayName", "required"},
			{"rejects control characters in the name", NewTenant{DisplayName: "A\tB", Domain: "a.example"}, "displayName", "control"},
			{"requires a domain", NewTenant{DisplayName: "A"}, "domain", "required"},
			{"rejects a domain that is not a DNS name", NewTenant{DisplayName: "A", Domain: "not a.domain"}, "domain", "only letters"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.CreateTenant(context.Background(), tt.in)
				assertProblem(t, err, tt.field, tt.fragment)
			})
		}
	})
}

func TestCreateTenantReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	_, err := newService(t).CreateTenant(context.Background(), NewTenant{Domain: "localhost"})
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 2 {
		t.Fatalf("error = %v; want two problems", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "displayName: is required") || !strings.Contains(msg, "domain: must have at least two labels") {
		t.Fatalf("message %q does not list both problems", msg)
	}
}

func TestCreateTenantRefusesATakenDomain(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		mustTenant(t, s, "contoso.com")
		_, err := s.CreateTenant(context.Background(), NewTenant{DisplayName: "Other", Domain: "CONTOSO.com"})
		assertConflict(t, err, "the domain contoso.com is already used by a tenant")
		if tenants, _ := s.ListTenants(context.Background()); len(tenants) != 1 {
			t.Fatalf("%d tenants after the refused create; want 1 (no partial write)", len(tenants))
		}
	})
}

func TestCreateTenantNeedsAKeyManager(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		s.Keys = nil
		if _, err := s.CreateTenant(context.Background(), NewTenant{DisplayName: "A", Domain: "a.example"}); !errors.Is(err, errNoKeys) {
			t.Fatalf("error = %v; want errNoKeys", err)
		}
	})
}

func TestGetAndDeleteTenant(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		id := mustTenant(t, s, "fabrikam.example")
		mustTenant(t, s, "contoso.example")
		for _, ref := range []string{"unknown.example", "00000000-0000-4000-8000-000000000000", ""} {
			if _, err := s.GetTenant(ctx, ref); !errors.Is(err, ErrTenantNotFound) || !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("GetTenant(%q) = %v; want ErrTenantNotFound", ref, err)
			}
		}
		if err := s.DeleteTenant(ctx, "fabrikam.example"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetTenant(ctx, id); !errors.Is(err, ErrTenantNotFound) {
			t.Fatalf("deleted tenant still found: %v", err)
		}
		if err := s.DeleteTenant(ctx, id); !errors.Is(err, ErrTenantNotFound) {
			t.Fatalf("deleting twice: %v; want ErrTenantNotFound", err)
		}
		if tenants, _ := s.ListTenants(ctx); len(tenants) != 1 || tenants[0].DisplayName != "Tenant contoso.example" {
			t.Fatalf("remaining tenants = %+v", tenants)
		}
	})
}
