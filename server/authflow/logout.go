package authflow

import "net/http"

// logoutStep names the sign-out confirmation form in CSRF tokens.
const logoutStep = "logout"

// LogoutToken returns the CSRF token for the tenant's sign-out confirmation
// form, minting the browser's CSRF secret if it has none.
func (h *Handler) LogoutToken(w http.ResponseWriter, r *http.Request, tenantID string) string {
	return h.csrfToken(h.ensureCSRFSecret(w, r), logoutStep+":"+tenantID, logoutStep)
}

// CheckLogoutToken reports whether a parsed sign-out POST carries this
// browser's token for the tenant.
func (h *Handler) CheckLogoutToken(r *http.Request, tenantID string) bool {
	return h.checkCSRF(r, logoutStep+":"+tenantID, logoutStep)
}
