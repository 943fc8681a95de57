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
