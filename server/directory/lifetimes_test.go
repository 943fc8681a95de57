package directory

import (
	"errors"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func TestSetLifetimes(t *testing.T) {
	dur := func(d time.Duration) *time.Duration { return &d }
	svc := newService(t)
	tenantID := mustTenant(t, svc, "lifetimes.test")

	t.Run("changes the given lifetimes and keeps the others", func(t *testing.T) {
		got, err := svc.SetLifetimes(t.Context(), tenantID, LifetimeChanges{AccessToken: dur(30 * time.Minute), Session: dur(8 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		eff := got.Settings.Effective()
		if eff.AccessTokenLifetime != 30*time.Minute || eff.SessionLifetime != 8*time.Hour || eff.RefreshTokenLifetime != storage.DefaultTenantSettings.RefreshTokenLifetime {
			t.Errorf("settings = %+v", eff)
		}
		stored, err := svc.GetTenant(t.Context(), tenantID)
		if err != nil || stored.Settings.AccessTokenLifetime != 30*time.Minute {
			t.Errorf("stored settings = %+v, %v", stored.Settings, err)
		}
	})
	t.Run("zero restores the default", func(t *testing.T) {
		got, err := svc.SetLifetimes(t.Context(), tenantID, LifetimeChanges{AccessToken: dur(0)})
		if err != nil || got.Settings.Effective().AccessTokenLifetime != storage.DefaultTenantSettings.AccessTokenLifetime {
			t.Errorf("settings = %+v, %v", got, err)
		}
	})
	t.Run("reports every out-of-range value and changes nothing", func(t *testing.T) {
		_, err := svc.SetLifetimes(t.Context(), tenantID, LifetimeChanges{AccessToken: dur(time.Minute), AuthCode: dur(time.Hour), Session: dur(time.Hour)})
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 2 {
			t.Fatalf("error = %v, want two problems", err)
		}
		stored, _ := svc.GetTenant(t.Context(), tenantID)
		if stored.Settings.SessionLifetime != 8*time.Hour {
			t.Errorf("a refused change was partly applied: %+v", stored.Settings)
		}
	})
	t.Run("unknown tenant", func(t *testing.T) {
		if _, err := svc.SetLifetimes(t.Context(), "nowhere.test", LifetimeChanges{}); !errors.Is(err, ErrTenantNotFound) {
			t.Errorf("error = %v", err)
		}
	})
}
