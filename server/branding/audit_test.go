package branding

import (
	"context"
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/storage"
)

// TestEveryChangeIsAuditedInItsTransaction (K-10, H-01): each change of the
// branding, whoever makes it (here the operator, as `sigil branding` does),
// leaves one audit record naming what changed; a refused change leaves none,
// and discarding when there is no draft changes nothing and records nothing.
func TestEveryChangeIsAuditedInItsTransaction(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *Service, tenantID string) {
		ctx := context.Background()
		clock := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { clock = clock.Add(time.Second); return clock } // one record a second: a stable order
		mustPatch(t, s, tenantID, "", `{"signInPageText":"Welcome","backgroundColor":"#004578"}`)
		mustPatch(t, s, tenantID, "fr-fr", `{"signInPageText":"Bienvenue"}`)
		mustPatch(t, s, tenantID, "fr-fr", `{"usernameHintText":"prenom@contoso.fr"}`)
		if _, err := s.SetImage(ctx, tenantID, "", BannerLogo, solidPNG(t, 245, 36, color.NRGBA{0, 0x67, 0xb8, 0xff})); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetCustomCSS(ctx, tenantID, "fr-fr", []byte(".ext-title { color: #004578; }")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Patch(ctx, tenantID, "", []byte(`{"backgroundColor":"blue"}`)); err == nil {
			t.Fatal("a bad colour was accepted")
		}
		if _, err := s.SetCustomCSS(ctx, tenantID, "", []byte("@import 'x.css';")); err == nil {
			t.Fatal("@import was accepted")
		}
		if err := s.DeleteLocalization(ctx, tenantID, "fr-fr"); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx, tenantID); err != nil {
			t.Fatal(err)
		}
		if err := s.DiscardDraft(ctx, tenantID); err != nil {
			t.Fatal(err)
		}
		mustPatch(t, s, tenantID, "", `{"signInPageText":"Hello"}`)
		if err := s.Reset(ctx, tenantID); err != nil {
			t.Fatal(err)
		}
		if err := s.DiscardDraft(ctx, tenantID); err != nil {
			t.Fatal(err)
		}

		records, err := s.Store.ListAuditRecords(ctx, tenantID, storage.AuditFilter{TargetID: tenantID}, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		slices.Reverse(records) // oldest first
		want := []string{ActivityUpdate, ActivityAddLocalization, ActivityUpdateLocale, ActivityUpdate + " bannerLogo",
			ActivityUpdate + " customCSS", ActivityDeleteLocalization, ActivityPublish, ActivityUpdate, ActivityReset, ActivityDiscard}
		var got []string
		for _, r := range records {
			got = append(got, r.Activity)
			if r.Category != directory.CategoryDirectory || r.TargetType != AuditTargetType || r.ActorType != storage.AuditActorSystem {
				t.Errorf("record %q: category %q, target %q, actor %q", r.Activity, r.Category, r.TargetType, r.ActorType)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("activities\n got %q\nwant %q", got, want)
		}
		wantModified(t, records[0], "backgroundColor", "", `"#004578"`)
		wantModified(t, records[1], "signInPageText", "", `"Bienvenue"`)
		if records[1].TargetName != "Company branding (fr-fr)" || records[1].OperationType != storage.AuditAdd {
			t.Errorf("adding a localization: %+v", records[1])
		}
		wantModified(t, records[3], "bannerLogoRelativeUrl", "", ".png")
		wantModified(t, records[5], "usernameHintText", `"prenom@contoso.fr"`, "")
		wantModified(t, records[6], "signInPageText", "", `"Welcome"`)
		wantModified(t, records[8], "signInPageText", `"Hello"`, "")
	})
}

// wantModified fails unless r changed property name from a value containing
// old to one containing new ("" matches only an absent value).
func wantModified(t *testing.T, r storage.AuditRecord, name, old, new string) {
	t.Helper()
	for _, p := range r.Modified {
		if p.Name == name && (old == "" && p.OldValue == "" || old != "" && strings.Contains(p.OldValue, old)) &&
			(new == "" && p.NewValue == "" || new != "" && strings.Contains(p.NewValue, new)) {
			return
		}
	}
	t.Errorf("record %q lacks %s %q → %q: %+v", r.Activity, name, old, new, r.Modified)
}
