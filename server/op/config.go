package op

import (
	"context"
	"time"

	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/server/tenancy"
	"github.com/sigil-idp/sigil/storage"
)

// tenantConfig is fosite's configuration made tenant-aware: issuers, token URL
// (the audience of private_key_jwt assertions) and lifetimes come from the tenant
// in the request context; everything else from the embedded static config.
type tenantConfig struct {
	*fosite.Config
	baseURL string
}

func (c *tenantConfig) settings(ctx context.Context) storage.TenantSettings {
	if t := tenancy.FromContext(ctx); t != nil {
		return t.Settings.Effective()
	}
	return storage.DefaultTenantSettings
}

func (c *tenantConfig) issuer(ctx context.Context) string {
	if t := tenancy.FromContext(ctx); t != nil {
		return issuerURL(c.baseURL, t.ID)
	}
	return ""
}

// GetIDTokenIssuer is the tenant's issuer, {base}/{tenantID}/v2.0.
func (c *tenantConfig) GetIDTokenIssuer(ctx context.Context) string { return c.issuer(ctx) }

// GetAccessTokenIssuer is the tenant's issuer, {base}/{tenantID}/v2.0.
func (c *tenantConfig) GetAccessTokenIssuer(ctx context.Context) string { return c.issuer(ctx) }

// GetTokenURLs are the audiences accepted in client assertions (RFC 7523 §3):
// the tenant's token endpoint, addressed by ID, plus its issuer.
func (c *tenantConfig) GetTokenURLs(ctx context.Context) []string {
	t := tenancy.FromContext(ctx)
	if t == nil {
		return nil
	}
	return []string{c.baseURL + "/" + t.ID + "/oauth2/v2.0/token", c.issuer(ctx)}
}

// GetAccessTokenLifespan is the tenant's access token lifetime.
func (c *tenantConfig) GetAccessTokenLifespan(ctx context.Context) time.Duration {
	return c.settings(ctx).AccessTokenLifetime
}

// GetRefreshTokenLifespan is the tenant's refresh token lifetime.
func (c *tenantConfig) GetRefreshTokenLifespan(ctx context.Context) time.Duration {
	return c.settings(ctx).RefreshTokenLifetime
}

// GetAuthorizeCodeLifespan is the tenant's authorization code lifetime.
func (c *tenantConfig) GetAuthorizeCodeLifespan(ctx context.Context) time.Duration {
	return c.settings(ctx).AuthCodeLifetime
}

// GetIDTokenLifespan is the tenant's ID token lifetime.
func (c *tenantConfig) GetIDTokenLifespan(ctx context.Context) time.Duration {
	return c.settings(ctx).IDTokenLifetime
}

func issuerURL(base, tenantID string) string { return base + "/" + tenantID + "/v2.0" }
