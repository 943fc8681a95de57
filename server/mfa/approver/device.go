package approver

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"

	"github.com/sigil-idp/sigil/storage"
)

// cookieName is the approver device's cookie (scoped to the page's path).
const cookieName = "sigil_approver"

// deviceSecretBytes is the device secret's size (256 bits).
const deviceSecretBytes = 32

// newDeviceSecret returns a device secret and the Handle that stores it.
func newDeviceSecret() (secret, digest string) {
	b := make([]byte, deviceSecretBytes)
	_, _ = rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, deviceDigest(secret)
}

// deviceDigest is the SHA-256 of the secret, the approver method's Handle:
// the server never stores the secret itself.
func deviceDigest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func pagePath(segment string) string { return "/" + url.PathEscape(segment) + "/account/approver" }

func setDeviceCookie(w http.ResponseWriter, segment, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: secret, Path: pagePath(segment), MaxAge: 400 * 24 * 3600,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode,
	})
}

// device returns the approver method the browser's cookie belongs to;
// ErrNotFound without a cookie or for a removed device.
func (p *Pages) device(r *http.Request, tenantID string) (*storage.AuthMethod, error) {
	c, err := r.Cookie(cookieName)
	if err != nil || len(c.Value) != base64.RawURLEncoding.EncodedLen(deviceSecretBytes) {
		return nil, storage.ErrNotFound
	}
	m, err := p.Store.GetAuthMethodByHandle(r.Context(), tenantID, storage.AuthMethodApprover, deviceDigest(c.Value))
	if err != nil {
		return nil, err
	}
	if !m.Confirmed {
		return nil, storage.ErrNotFound
	}
	return m, nil
}

// token is the form token of an approver page form: an HMAC over what the
// form acts on (the SSO session for registration, the device and the
// request for an answer).
func (p *Pages) token(parts ...string) string {
	mac := hmac.New(sha256.New, p.Secret)
	for _, s := range parts {
		mac.Write([]byte(s))
		mac.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (p *Pages) tokenValid(got string, parts ...string) bool {
	return hmac.Equal([]byte(got), []byte(p.token(parts...)))
}
