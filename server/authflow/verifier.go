package authflow

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// Labels of the keys derived from Handler.Secret, one per purpose, so a CSRF
// token can never pass as a step verifier or the other way round.
const (
	labelVerifier = "sigil authflow step verifier v1"
	labelCSRF     = "sigil authflow csrf token v1"
)

const (
	csrfCookieName  = "sigil_csrf"
	csrfField       = "csrf_token"
	csrfSecretBytes = 32
)

// subkey derives the key for one purpose: HMAC-SHA256(Secret, label).
func (h *Handler) subkey(label string) []byte {
	m := hmac.New(sha256.New, h.Secret)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// mac is base64url(HMAC-SHA256(key, parts joined by NUL)). NUL cannot occur in
// flow IDs, step names, nonces or cookie values, so the joining is unambiguous.
func mac(key []byte, parts ...string) string {
	m := hmac.New(sha256.New, key)
	for i, p := range parts {
		if i > 0 {
			m.Write([]byte{0})
		}
		m.Write([]byte(p))
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verifier proves that the flow's current step finished: it binds the flow, the
// step and the step's single-use nonce.
func (h *Handler) verifier(flowID, step, nonce string) string {
	return mac(h.subkey(labelVerifier), flowID, step, nonce)
}

// verifierValid checks v against the flow's current step and nonce in constant
// time. A flow that no page is working on has no valid verifier.
func (h *Handler) verifierValid(flowID, step, nonce, v string) bool {
	if !isPage(step) || nonce == "" {
		return false
	}
	return hmac.Equal([]byte(h.verifier(flowID, step, nonce)), []byte(v))
}

// csrfToken binds a form to this browser's CSRF secret, the flow and the step.
func (h *Handler) csrfToken(secret, flowID, step string) string {
	return mac(h.subkey(labelCSRF), secret, flowID, step)
}

// csrfSecret returns the browser's CSRF secret from its cookie, if well formed.
func csrfSecret(r *http.Request) (string, bool) {
	c, err := r.Cookie(csrfCookieName)
	if err != nil {
		return "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(raw) != csrfSecretBytes {
		return "", false
	}
	return c.Value, true
}

// ensureCSRFSecret returns the browser's CSRF secret, minting one (and setting
// its cookie) when the request came without it. The cookie is SameSite=Lax, not
// Strict: a sign-in starts with a cross-site redirect from the client, on which
// a Strict cookie is not sent, so every such page would mint a new secret and
// invalidate the forms of the user's other tabs. Lax still keeps the cookie off
// cross-site POSTs, and the forged-post defence is the per-form token (which a
// third party cannot read) plus http.CrossOriginProtection.
func (h *Handler) ensureCSRFSecret(w http.ResponseWriter, r *http.Request) string {
	if s, ok := csrfSecret(r); ok {
		return s
	}
	b := make([]byte, csrfSecretBytes)
	randomBytes(b)
	s := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{
		Name:     csrfCookieName,
		Value:    s,
		Path:     "/",
		Secure:   !h.InsecureCookies,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
	return s
}

// checkCSRF reports whether the POST carries the token for this browser, flow and step.
func (h *Handler) checkCSRF(r *http.Request, flowID, step string) bool {
	secret, ok := csrfSecret(r)
	given := r.PostForm.Get(csrfField)
	if !ok || given == "" {
		return false
	}
	return hmac.Equal([]byte(h.csrfToken(secret, flowID, step)), []byte(given))
}
