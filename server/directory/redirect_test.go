package directory

import (
	"strings"
	"testing"
)

func TestCheckRedirectURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		uri    string
		public bool
		want   string // "" or a fragment of the message
	}{
		{"accepts https", "https://app.example.com/callback", false, ""},
		{"accepts https with a port and query", "https://app.example.com:8443/cb?x=1", false, ""},
		{"accepts http on localhost", "http://localhost:3000/callback", true, ""},
		{"accepts http on 127.0.0.1", "http://127.0.0.1:8080/cb", false, ""},
		{"accepts http on [::1]", "http://[::1]:8080/cb", true, ""},
		{"accepts a private-use scheme for a public app", "com.example.app:/oauth2redirect", true, ""},
		{"rejects a private-use scheme for a confidential app", "com.example.app:/cb", false, "only for public"},
		{"rejects a private-use scheme with an authority", "com.example.app://cb", true, "look like"},
		{"rejects a scheme without a dot", "myapp:/cb", true, "not allowed"},
		{"rejects javascript URLs", "javascript:alert(1)", true, "not allowed"},
		{"rejects http on a public host", "http://app.example.com/cb", false, "must use https"},
		{"rejects http on a host that starts like localhost", "http://localhost.evil.example/cb", false, "must use https"},
		{"rejects a relative URL", "/callback", false, "absolute"},
		{"rejects a fragment", "https://app.example.com/cb#frag", false, "fragment"},
		{"rejects an empty fragment", "https://app.example.com/cb#", false, "fragment"},
		{"rejects a wildcard host", "https://*.example.com/cb", false, "wildcard"},
		{"rejects a wildcard path", "https://app.example.com/*", false, "wildcard"},
		{"rejects user info", "https://user@app.example.com/cb", false, "user information"},
		{"rejects user and password", "https://u:p@app.example.com/cb", false, "user information"},
		{"rejects https without a host", "https:///cb", false, "host"},
		{"rejects a space", "https://app.example.com/a b", false, "spaces"},
		{"rejects an empty URI", "", false, "empty"},
		{"rejects a URI over 2048 characters", "https://app.example.com/" + strings.Repeat("a", 2048), false, "2048"},
		{"rejects an unparsable URL", "https://app.example.com:port/cb", false, "valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkRedirectURI(tt.uri, tt.public)
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Fatalf("checkRedirectURI(%q, public=%v) = %q; want %q", tt.uri, tt.public, got, tt.want)
			}
		})
	}
}

func TestCheckRedirectURIsReportsEachBadEntry(t *testing.T) {
	t.Parallel()
	var p problems
	checkRedirectURIs("redirectUris", []string{
		"https://ok.example.com/cb", "http://bad.example.com/cb", "https://ok.example.com/cb",
	}, false, &p)
	if len(p) != 2 || p[0].Field != "redirectUris[1]" || p[1].Field != "redirectUris[2]" {
		t.Fatalf("problems = %+v; want one for entry 1 (http) and one for entry 2 (duplicate)", p)
	}
	if !strings.Contains(p[1].Message, "twice") {
		t.Fatalf("duplicate message = %q", p[1].Message)
	}
}

func TestCheckRedirectURIsCapsTheListAt256(t *testing.T) {
	t.Parallel()
	uris := make([]string, 257)
	for i := range uris {
		uris[i] = "https://app.example.com/cb" + strings.Repeat("x", i)
	}
	var p problems
	checkRedirectURIs("redirectUris", uris[:256], false, &p)
	if len(p) != 0 {
		t.Fatalf("256 URIs: %+v", p)
	}
	checkRedirectURIs("redirectUris", uris, false, &p)
	if len(p) != 1 || !strings.Contains(p[0].Message, "at most 256") {
		t.Fatalf("257 URIs: %+v", p)
	}
}
