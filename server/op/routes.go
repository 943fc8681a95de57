package op

import (
	"errors"
	"net/http"
	"strings"

	"github.com/sigil-idp/sigil/server/tenancy"
)

// Mount registers the protocol endpoints (Entra-shaped paths; `{tenant}` is the
// tenant ID or a verified domain).
func (p *Provider) Mount(mux *http.ServeMux) {
	logoutPost := http.NewCrossOriginProtection()
	routes := []struct {
		pattern string
		handler http.HandlerFunc
	}{
		{"GET /{tenant}/v2.0/.well-known/openid-configuration", p.handleDiscovery},
		{"GET /{tenant}/discovery/v2.0/keys", p.handleJWKS},
		{"GET /{tenant}/oauth2/v2.0/authorize", p.handleAuthorize},
		{"POST /{tenant}/oauth2/v2.0/authorize", p.handleAuthorize},
		{"POST /{tenant}/oauth2/v2.0/token", p.handleToken},
		{"GET /{tenant}/oidc/userinfo", p.handleUserinfo},
		{"POST /{tenant}/oidc/userinfo", p.handleUserinfo},
		{"POST /{tenant}/oauth2/v2.0/introspect", p.handleIntrospect},
		{"POST /{tenant}/oauth2/v2.0/revoke", p.handleRevoke},
		{"GET /{tenant}/oauth2/v2.0/logout", p.handleLogout},
		{"POST /{tenant}/oauth2/v2.0/logout", logoutPost.Handler(http.HandlerFunc(p.handleLogout)).ServeHTTP},
	}
	for _, rt := range routes {
		mux.Handle(rt.pattern, p.withTenant(rt.handler))
	}
	if p.Claims != nil {
		// The group overage endpoint that `_claim_sources` points at.
		mux.Handle("POST /{tenant}/v1.0/users/{user}/getMemberObjects", p.withTenant(p.handleMemberObjects))
	}
}

// withTenant resolves `{tenant}` and carries the tenant in the request context.
// An unknown tenant is a 404 in the endpoint's own format.
func (p *Provider) withTenant(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, err := p.Tenants.Resolve(r.Context(), r.PathValue("tenant"))
		if err != nil {
			if !errors.Is(err, tenancy.ErrUnknownTenant) {
				p.Logger.ErrorContext(r.Context(), "resolve tenant", "err", err)
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "temporarily_unavailable"})
				return
			}
			p.unknownTenant(w, r)
			return
		}
		next(w, r.WithContext(tenancy.WithTenant(r.Context(), t)))
	})
}

func (p *Provider) unknownTenant(w http.ResponseWriter, r *http.Request) {
	browser := strings.HasSuffix(r.URL.Path, "/authorize") || strings.HasSuffix(r.URL.Path, "/logout")
	if r.Method == http.MethodGet && browser {
		p.Pages.Error(w, r, http.StatusNotFound, "Directory not found", "There is no directory with this name. Check the sign-in link.")
		return
	}
	writeJSON(w, http.StatusNotFound, map[string]string{
		"error":             "invalid_tenant",
		"error_description": "The tenant in the URL is not a known tenant ID or verified domain.",
	})
}
