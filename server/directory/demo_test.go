package directory

import (
	"context"
	"slices"
	"testing"

	"github.com/sigil-idp/sigil/server/credential"
)

func TestEnsureDemoIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		first, err := s.EnsureDemo(ctx, "http://localhost:8080/")
		if err != nil {
			t.Fatal(err)
		}
		if !first.Created || first.UserPassword == "" || first.WebClientSecret == "" {
			t.Fatalf("first run = %+v; want Created with a password and a client secret", first)
		}
		if first.Issuer != "http://localhost:8080/"+first.TenantID+"/v2.0" || first.UserUPN != "alex@demo.sigil.localhost" {
			t.Fatalf("issuer %q, UPN %q", first.Issuer, first.UserUPN)
		}
		second, err := s.EnsureDemo(ctx, "http://localhost:8080")
		if err != nil {
			t.Fatal(err)
		}
		if second.Created || second.UserPassword != "" || second.WebClientSecret != "" {
			t.Fatalf("second run = %+v; want nothing created and no secrets", second)
		}
		if second.TenantID != first.TenantID || second.WebClientID != first.WebClientID || second.SPAClientID != first.SPAClientID {
			t.Fatalf("second run found other objects: %+v vs %+v", second, first)
		}
		if tenants, _ := s.ListTenants(ctx); len(tenants) != 1 {
			t.Fatalf("%d tenants after two runs; want 1", len(tenants))
		}
	})
}

func TestEnsureDemoCreatesAWorkingDirectory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		demo, err := s.EnsureDemo(ctx, "http://localhost:8080")
		if err != nil {
			t.Fatal(err)
		}
		user, err := s.GetUser(ctx, demo.TenantID, demo.UserUPN)
		if err != nil || user.DisplayName != "Alex Demo" {
			t.Fatalf("demo user = %+v, %v", user, err)
		}
		if ok, _ := credential.VerifyPassword(user.PasswordHash, demo.UserPassword); !ok {
			t.Fatal("the returned demo password does not verify")
		}
		web, err := s.GetApplication(ctx, demo.TenantID, demo.WebClientID)
		if err != nil {
			t.Fatal(err)
		}
		if !web.FirstParty || web.Public || !verifiesAny(web.Secrets, demo.WebClientSecret) ||
			!slices.Equal(web.RedirectURIs, []string{"http://localhost:8080/demo/callback"}) ||
			!slices.Equal(web.PostLogoutRedirectURIs, []string{"http://localhost:8080/demo/"}) {
			t.Fatalf("web app = %+v", web)
		}
		spa, err := s.GetApplication(ctx, demo.TenantID, demo.SPAClientID)
		if err != nil {
			t.Fatal(err)
		}
		if spa.FirstParty || !spa.Public || !slices.Equal(spa.RedirectURIs, []string{"http://localhost:3000/callback"}) {
			t.Fatalf("SPA = %+v", spa)
		}
	})
}

func TestEnsureDemoRepairsMissingPiecesAndNewBaseURLs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *Service) {
		first, err := s.EnsureDemo(ctx, "http://localhost:8080")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, first.TenantID, first.UserUPN); err != nil {
			t.Fatal(err)
		}
		again, err := s.EnsureDemo(ctx, "http://127.0.0.1:9000")
		if err != nil {
			t.Fatal(err)
		}
		if again.Created || again.UserPassword == "" || again.WebClientSecret != "" {
			t.Fatalf("repair run = %+v; want only a new user password", again)
		}
		web, _ := s.GetApplication(ctx, again.TenantID, again.WebClientID)
		want := []string{"http://localhost:8080/demo/callback", "http://127.0.0.1:9000/demo/callback"}
		if !slices.Equal(web.RedirectURIs, want) || !verifiesAny(web.Secrets, first.WebClientSecret) {
			t.Fatalf("web app after a base URL change: redirects %v", web.RedirectURIs)
		}
	})
}

func TestEnsureDemoRefusesABadBaseURL(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service) {
		for _, base := range []string{"", "localhost:8080", "ftp://localhost", "http://localhost:8080/?x=1"} {
			if _, err := s.EnsureDemo(context.Background(), base); err == nil {
				t.Errorf("EnsureDemo(%q) succeeded; want an error", base)
			}
		}
		if _, err := s.EnsureDemo(context.Background(), "http://sigil.example.com"); err == nil {
			t.Error("EnsureDemo on a non-loopback http URL succeeded; its redirect URI must be refused")
		}
	})
}
