package directory

import (
	"fmt"
	"net/url"
	"strings"
)

// Limits on registered redirect URIs.
const (
	maxRedirectURIs      = 256
	maxRedirectURILength = 2048
)

// loopbackHosts may use plain http (RFC 8252 §7.3 and local development).
var loopbackHosts = map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}

// checkRedirectURIs validates a list of redirect (or post-logout redirect) URIs
// and records a problem per bad entry under field[i]. The strings are stored
// exactly as given: matching at the authorize and logout endpoints is exact.
func checkRedirectURIs(field string, uris []string, public bool, p *problems) {
	if len(uris) > maxRedirectURIs {
		p.add(field, "must list at most %d URIs", maxRedirectURIs)
		return
	}
	seen := make(map[string]bool, len(uris))
	for i, raw := range uris {
		name := fmt.Sprintf("%s[%d]", field, i)
		if seen[raw] {
			p.add(name, "is listed twice")
			continue
		}
		seen[raw] = true
		if msg := checkRedirectURI(raw, public); msg != "" {
			p.add(name, "%s", msg)
		}
	}
}

// checkRedirectURI returns why raw may not be registered as a redirect URI, or
// "" when it may: an absolute URL without fragment, wildcard or user info,
// using https, http on a loopback host, or, for public (native) applications
// only, a private-use scheme in reverse-domain form (RFC 8252 §7.1).
func checkRedirectURI(raw string, public bool) string {
	switch {
	case raw == "":
		return "must not be empty"
	case len(raw) > maxRedirectURILength:
		return fmt.Sprintf("must be at most %d characters", maxRedirectURILength)
	case strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "must not contain spaces or control characters"
	case strings.Contains(raw, "*"):
		return "must not contain a wildcard (*); register each URI exactly"
	case strings.Contains(raw, "#"):
		return "must not contain a fragment (#)"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "is not a valid URL"
	}
	if u.Scheme == "" {
		return "must be an absolute URL with a scheme, like https://app.example.com/callback"
	}
	if u.User != nil {
		return "must not contain user information (user@ or user:password@)"
	}
	switch u.Scheme {
	case "https":
		if u.Hostname() == "" {
			return "must name a host"
		}
	case "http":
		if !loopbackHosts[u.Hostname()] {
			return "must use https; http is allowed only for localhost, 127.0.0.1 and [::1]"
		}
	default:
		return checkPrivateUseScheme(u, public)
	}
	return ""
}

// checkPrivateUseScheme allows com.example.app:/callback for public apps.
func checkPrivateUseScheme(u *url.URL, public bool) string {
	if !strings.Contains(u.Scheme, ".") {
		return fmt.Sprintf("scheme %q is not allowed; use https, or a reverse-domain scheme like com.example.app: for a native app", u.Scheme)
	}
	if !public {
		return "a private-use scheme is allowed only for public (native) applications"
	}
	if u.Host != "" || u.Path == "" && u.Opaque == "" {
		return "a private-use scheme URI must look like com.example.app:/callback"
	}
	return ""
}
