package conformance

import (
	"bytes"
	"errors"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("branding", testBranding) }

func testBranding(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"lists no branding for a tenant that has none", brandingEmpty},
		{"replaces a stage's localizations and lists the default first", brandingReplace},
		{"keeps drafts and published branding apart", brandingStages},
		{"keeps each tenant's branding to itself", brandingIsolation},
		{"refuses branding for an unknown tenant", brandingUnknownTenant},
		{"rolls back a replace that fails part-way", brandingAtomic},
		{"stores an asset once and reads it back byte for byte", brandingAssetRoundTrip},
		{"deletes the assets no longer named", brandingAssetPrune},
		{"removes branding and assets with the tenant", brandingCascade},
	})
}

func brandingRows(locales ...string) []storage.Branding {
	rows := make([]storage.Branding, len(locales))
	for i, l := range locales {
		rows[i] = storage.Branding{Locale: l, Elements: []byte(`{"signInPageText":"` + l + `"}`), Theme: "t-" + l + ".css", PreviewID: "p1"}
	}
	return rows
}

func brandingEmpty(t *testing.T, s storage.Storage) {
	tenant := seedTenant(t, s, "contoso")
	got, err := s.ListBrandings(ctxFor(t), tenant.ID, storage.BrandingPublished)
	mustNil(t, err, "ListBrandings")
	if len(got) != 0 {
		t.Errorf("got %d rows, want none", len(got))
	}
}

func brandingReplace(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	mustNil(t, s.ReplaceBrandings(ctx, tenant.ID, storage.BrandingDraft, brandingRows("fr", "", "de")), "ReplaceBrandings")
	mustNil(t, s.ReplaceBrandings(ctx, tenant.ID, storage.BrandingDraft, brandingRows("", "ar")), "ReplaceBrandings again")
	got, err := s.ListBrandings(ctx, tenant.ID, storage.BrandingDraft)
	mustNil(t, err, "ListBrandings")
	if len(got) != 2 || got[0].Locale != "" || got[1].Locale != "ar" {
		t.Fatalf("got %+v, want the default then ar", got)
	}
	r := got[1]
	if r.TenantID != tenant.ID || r.Stage != storage.BrandingDraft || string(r.Elements) != `{"signInPageText":"ar"}` ||
		r.Theme != "t-ar.css" || r.PreviewID != "p1" || r.UpdatedAt.IsZero() {
		t.Errorf("row read back as %+v", r)
	}
}

func brandingStages(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	mustNil(t, s.ReplaceBrandings(ctx, tenant.ID, storage.BrandingDraft, brandingRows("", "de")), "draft")
	mustNil(t, s.ReplaceBrandings(ctx, tenant.ID, storage.BrandingPublished, brandingRows("")), "published")
	mustNil(t, s.ReplaceBrandings(ctx, tenant.ID, storage.BrandingDraft, nil), "clear draft")
	draft, err := s.ListBrandings(ctx, tenant.ID, storage.BrandingDraft)
	mustNil(t, err, "ListBrandings draft")
	published, err := s.ListBrandings(ctx, tenant.ID, storage.BrandingPublished)
	mustNil(t, err, "ListBrandings published")
	if len(draft) != 0 || len(published) != 1 {
		t.Errorf("draft %d rows (want 0), published %d rows (want 1)", len(draft), len(published))
	}
}

func brandingIsolation(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a, b := seedTenant(t, s, "contoso"), seedTenant(t, s, "fabrikam")
	mustNil(t, s.ReplaceBrandings(ctx, a.ID, storage.BrandingPublished, brandingRows("")), "tenant a")
	mustNil(t, s.ReplaceBrandings(ctx, b.ID, storage.BrandingPublished, nil), "tenant b")
	got, err := s.ListBrandings(ctx, a.ID, storage.BrandingPublished)
	mustNil(t, err, "ListBrandings")
	if len(got) != 1 {
		t.Errorf("replacing tenant b's branding changed tenant a's: %d rows", len(got))
	}
	mustNil(t, s.PutBrandingAsset(ctx, &storage.BrandingAsset{TenantID: a.ID, Name: "x.png", ContentType: "image/png", Content: []byte{1}}), "put")
	_, err = s.GetBrandingAsset(ctx, b.ID, "x.png")
	mustIs(t, err, storage.ErrNotFound, "another tenant's asset")
}

func brandingUnknownTenant(t *testing.T, s storage.Storage) {
	err := s.ReplaceBrandings(ctxFor(t), newID(), storage.BrandingDraft, brandingRows(""))
	mustIs(t, err, storage.ErrNotFound, "ReplaceBrandings for an unknown tenant")
}

func brandingAtomic(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	mustNil(t, s.ReplaceBrandings(ctx, tenant.ID, storage.BrandingDraft, brandingRows("", "de")), "first")
	err := s.ReplaceBrandings(ctx, tenant.ID, storage.BrandingDraft, brandingRows("", "fr", "fr"))
	if err == nil {
		t.Fatal("a replace with a duplicate locale succeeded")
	}
	got, err := s.ListBrandings(ctx, tenant.ID, storage.BrandingDraft)
	mustNil(t, err, "ListBrandings")
	if len(got) != 2 || got[1].Locale != "de" {
		t.Errorf("a failed replace left %+v, want the earlier default and de", got)
	}
}

func brandingAssetRoundTrip(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	content := []byte{0x89, 'P', 'N', 'G', 0, 0xff, 0x00}
	in := &storage.BrandingAsset{TenantID: tenant.ID, Name: "ab.png", ContentType: "image/png", Content: content}
	mustNil(t, s.PutBrandingAsset(ctx, in), "PutBrandingAsset")
	again := &storage.BrandingAsset{TenantID: tenant.ID, Name: "ab.png", ContentType: "image/png", Content: content}
	mustNil(t, s.PutBrandingAsset(ctx, again), "PutBrandingAsset again")
	got, err := s.GetBrandingAsset(ctx, tenant.ID, "ab.png")
	mustNil(t, err, "GetBrandingAsset")
	if !bytes.Equal(got.Content, content) || got.ContentType != "image/png" {
		t.Errorf("got %q %x, want image/png %x", got.ContentType, got.Content, content)
	}
	sameTime(t, got.CreatedAt, in.CreatedAt, "CreatedAt")
	_, err = s.GetBrandingAsset(ctx, tenant.ID, "missing.png")
	mustIs(t, err, storage.ErrNotFound, "missing asset")
}

func brandingAssetPrune(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	for _, n := range []string{"a.png", "b.png", "c.css"} {
		mustNil(t, s.PutBrandingAsset(ctx, &storage.BrandingAsset{TenantID: tenant.ID, Name: n, ContentType: "x", Content: []byte(n)}), "put "+n)
	}
	mustNil(t, s.DeleteBrandingAssetsExcept(ctx, tenant.ID, []string{"b.png"}), "prune")
	for n, kept := range map[string]bool{"a.png": false, "b.png": true, "c.css": false} {
		_, err := s.GetBrandingAsset(ctx, tenant.ID, n)
		if kept != (err == nil) || (!kept && !errors.Is(err, storage.ErrNotFound)) {
			t.Errorf("%s: err %v, want kept=%v", n, err, kept)
		}
	}
	mustNil(t, s.DeleteBrandingAssetsExcept(ctx, tenant.ID, nil), "prune all")
	_, err := s.GetBrandingAsset(ctx, tenant.ID, "b.png")
	mustIs(t, err, storage.ErrNotFound, "after pruning everything")
}

func brandingCascade(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	mustNil(t, s.ReplaceBrandings(ctx, tenant.ID, storage.BrandingPublished, brandingRows("")), "replace")
	mustNil(t, s.PutBrandingAsset(ctx, &storage.BrandingAsset{TenantID: tenant.ID, Name: "a.png", ContentType: "image/png", Content: []byte{1}}), "put")
	mustNil(t, s.DeleteTenant(ctx, tenant.ID), "DeleteTenant")
	got, err := s.ListBrandings(ctx, tenant.ID, storage.BrandingPublished)
	mustNil(t, err, "ListBrandings")
	_, assetErr := s.GetBrandingAsset(ctx, tenant.ID, "a.png")
	if len(got) != 0 || !errors.Is(assetErr, storage.ErrNotFound) {
		t.Errorf("after DeleteTenant: %d rows, asset err %v", len(got), assetErr)
	}
}
