package storage

import (
	"context"
	"time"
)

// Branding stages: edits go to the draft, which the sign-in pages never show
// (except through the preview URL); publishing copies it to the published
// stage.
const (
	BrandingDraft     = "draft"
	BrandingPublished = "published"
)

// Branding is one localization of a tenant's company branding in one stage:
// the default one (Locale "") or a per-language override (H-28). Elements is
// the JSON document server/branding owns (the Graph organizationalBranding
// shape); storage keeps it opaque.
type Branding struct {
	TenantID string
	Stage    string // BrandingDraft or BrandingPublished
	Locale   string // "" for the default branding, else a lower-case language tag
	Elements []byte
	// Theme names the BrandingAsset holding this localization's stylesheet,
	// computed from it and its fallbacks; "" when there is none.
	Theme string
	// PreviewID is the unguessable ID of a draft's preview URL.
	PreviewID string
	UpdatedAt time.Time
}

// BrandingAsset is an uploaded image or stylesheet of a tenant's branding,
// named by its content: "<sha256 hex>.<png|jpg|ico|css>". Content is immutable.
type BrandingAsset struct {
	TenantID    string
	Name        string
	ContentType string
	Content     []byte
	CreatedAt   time.Time
}

// BrandingStore keeps company branding. Every method takes the tenant ID;
// rows of another tenant are never returned or touched.
type BrandingStore interface {
	// ListBrandings returns every localization of tenantID's branding in
	// stage, the default (Locale "") first, then by locale; empty when none.
	ListBrandings(ctx context.Context, tenantID, stage string) ([]Branding, error)
	// ReplaceBrandings atomically replaces every localization of tenantID in
	// stage by rows (each with that tenant and stage), stamping UpdatedAt.
	ReplaceBrandings(ctx context.Context, tenantID, stage string, rows []Branding) error
	// PutBrandingAsset stores a; storing an asset that exists (same tenant
	// and name) does nothing.
	PutBrandingAsset(ctx context.Context, a *BrandingAsset) error
	// GetBrandingAsset returns ErrNotFound for an unknown name.
	GetBrandingAsset(ctx context.Context, tenantID, name string) (*BrandingAsset, error)
	// DeleteBrandingAssetsExcept removes tenantID's assets whose name is not
	// in keep.
	DeleteBrandingAssetsExcept(ctx context.Context, tenantID string, keep []string) error
}
