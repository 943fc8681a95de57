package admin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// skipToken makes the opaque $skiptoken of the page starting at offset: the
// offset and an HMAC over it, so clients cannot forge or edit it.
func (h *Handler) skipToken(offset int) string {
	body := strconv.Itoa(offset)
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write([]byte("skiptoken:" + body))
	return base64.RawURLEncoding.EncodeToString([]byte(body)) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

func (h *Handler) openSkipToken(tok string) (int, bool) {
	b64, _, ok := strings.Cut(tok, ".")
	if !ok {
		return 0, false
	}
	body, err := base64.RawURLEncoding.DecodeString(b64)
	if err != nil || !hmac.Equal([]byte(h.skipToken(atoi(string(body)))), []byte(tok)) {
		return 0, false
	}
	n := atoi(string(body))
	return n, n >= 0
}

// sealCursor makes an opaque $skiptoken of a keyset cursor: the payload and
// an HMAC over it.
func (h *Handler) sealCursor(payload []byte) string {
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(h.cursorMAC(payload))
}

// openCursor checks a sealed cursor and returns its payload.
func (h *Handler) openCursor(tok string) ([]byte, bool) {
	b64, mac64, ok := strings.Cut(tok, ".")
	if !ok {
		return nil, false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(b64)
	mac, err2 := base64.RawURLEncoding.DecodeString(mac64)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, h.cursorMAC(payload)) {
		return nil, false
	}
	return payload, true
}

func (h *Handler) cursorMAC(payload []byte) []byte {
	mac := hmac.New(sha256.New, h.Secret)
	mac.Write([]byte("cursor:"))
	mac.Write(payload)
	return mac.Sum(nil)[:16]
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// writePage writes one page of objects in Graph's collection shape, with
// @odata.count when asked and @odata.nextLink when more remain.
func (h *Handler) writePage(w http.ResponseWriter, r *http.Request, entity string, q query, all []map[string]any) {
	end := min(q.Skip+q.Top, len(all))
	start := min(q.Skip, end)
	page := make([]map[string]any, 0, end-start)
	for _, obj := range all[start:end] {
		page = append(page, project(obj, q.Select))
	}
	ctxURL := h.BaseURL + "/v1.0/$metadata#" + entity
	if len(q.Select) > 0 {
		ctxURL += "(" + strings.Join(q.Select, ",") + ")"
	}
	out := map[string]any{"@odata.context": ctxURL, "value": page}
	if q.Count {
		out["@odata.count"] = len(all)
	}
	if end < len(all) {
		next := url.Values{}
		for k, v := range r.URL.Query() {
			next[k] = v
		}
		next.Set("$skiptoken", h.skipToken(end))
		out["@odata.nextLink"] = h.BaseURL + r.URL.Path + "?" + next.Encode()
	}
	writeJSON(w, http.StatusOK, out)
}
