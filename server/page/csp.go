package page

import (
	"net/http"
	"net/url"
	"strings"
)

// basePolicy is the Content-Security-Policy of Sigil's pages apart from
// form-action: no inline script or style, nothing framed, nothing from
// elsewhere.
const basePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; base-uri 'none'"

// ContentSecurityPolicy returns the page policy with form-action allowing Sigil
// itself plus the origins of formTargets. Browsers apply form-action to every
// redirect that follows a form submission, so a sign-in form whose POST ends in
// a redirect to the application must list the application's origin (taken
// from its already-validated redirect URI).
func ContentSecurityPolicy(formTargets ...string) string {
	var b strings.Builder
	b.WriteString(basePolicy)
	b.WriteString("; form-action 'self'")
	for _, t := range formTargets {
		if src := sourceOf(t); src != "" {
			b.WriteString(" " + src)
		}
	}
	return b.String()
}

// AllowFormTargets sets the response's policy to ContentSecurityPolicy(formTargets...).
func AllowFormTargets(w http.ResponseWriter, formTargets ...string) {
	w.Header().Set("Content-Security-Policy", ContentSecurityPolicy(formTargets...))
}

// sourceOf turns a URL into a CSP source: the origin of an http(s) URL, the
// scheme of a private-use URI (RFC 8252 native apps). Anything else, or a value
// that could break out of the header, yields "".
func sourceOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || strings.ContainsAny(raw, " ;,'\"\r\n") {
		return ""
	}
	switch u.Scheme {
	case "https", "http":
		if u.Host == "" {
			return ""
		}
		return u.Scheme + "://" + u.Host
	case "javascript", "data", "blob", "filesystem":
		return ""
	default:
		return u.Scheme + ":"
	}
}
