package directory

import (
	"strings"
	"testing"
)

func TestCheckDomain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		domain string
		want   string // "" or a fragment of the message
	}{
		{"accepts a two-label domain", "contoso.com", ""},
		{"accepts a deep subdomain with digits and hyphens", "eu-1.id.contoso2.example", ""},
		{"accepts the demo domain", "demo.sigil.localhost", ""},
		{"accepts a punycode label", "xn--bcher-kva.example", ""},
		{"rejects an empty domain", "", "required"},
		{"rejects a single label", "localhost", "two labels"},
		{"rejects a leading dot", ".contoso.com", "empty labels"},
		{"rejects a trailing dot", "contoso.com.", "empty labels"},
		{"rejects doubled dots", "contoso..com", "empty labels"},
		{"rejects a label starting with a hyphen", "-contoso.com", "hyphen"},
		{"rejects a label ending with a hyphen", "contoso-.com", "hyphen"},
		{"rejects an underscore", "con_toso.com", "only letters"},
		{"rejects a space", "con toso.com", "only letters"},
		{"rejects an IPv4 address", "192.168.1.10", "numeric"},
		{"rejects a 64-character label", strings.Repeat("a", 64) + ".com", "longer than 63"},
		{"accepts a 63-character label", strings.Repeat("a", 63) + ".com", ""},
		{"rejects a domain over 253 characters", strings.Repeat(strings.Repeat("a", 60)+".", 5) + "example", "253"},
		{"rejects a Unicode domain", "bücher.example", "punycode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkDomain(tt.domain)
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Fatalf("checkDomain(%q) = %q; want %q", tt.domain, got, tt.want)
			}
		})
	}
}

func TestCheckLocalPart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		local string
		ok    bool
	}{
		{"accepts letters and digits", "alex2", true},
		{"accepts Entra's punctuation", "o'neil.j-s_x!#^~", true},
		{"rejects an empty name", "", false},
		{"rejects a leading dot", ".alex", false},
		{"rejects a trailing dot", "alex.", false},
		{"rejects two dots in a row", "al..ex", false},
		{"rejects a plus sign", "alex+tag", false},
		{"rejects a space", "alex demo", false},
		{"rejects non-ASCII letters", "zoë", false},
		{"accepts 64 characters", strings.Repeat("a", 64), true},
		{"rejects 65 characters", strings.Repeat("a", 65), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkLocalPart(tt.local); (got == "") != tt.ok {
				t.Fatalf("checkLocalPart(%q) = %q; want ok=%v", tt.local, got, tt.ok)
			}
		})
	}
}

func TestCheckText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value string
		ok    bool
	}{
		{"accepts Unicode names", "Zoë Ångström", true},
		{"accepts the maximum length in characters", strings.Repeat("é", 64), true},
		{"rejects one character over the maximum", strings.Repeat("a", 65), false},
		{"rejects a newline", "Alex\nDemo", false},
		{"rejects invalid UTF-8", "Alex\xff", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkText(tt.value, 64); (got == "") != tt.ok {
				t.Fatalf("checkText(%q) = %q; want ok=%v", tt.value, got, tt.ok)
			}
		})
	}
}

func TestCheckMail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value string
		ok    bool
	}{
		{"accepts a plain address", "alex@contoso.com", true},
		{"rejects an address with a display name", "Alex <alex@contoso.com>", false},
		{"rejects text without an at sign", "alex", false},
		{"rejects two addresses", "a@contoso.com, b@contoso.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkMail(tt.value); (got == "") != tt.ok {
				t.Fatalf("checkMail(%q) = %q; want ok=%v", tt.value, got, tt.ok)
			}
		})
	}
}
