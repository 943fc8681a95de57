package passkey

import (
	"errors"
	"testing"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/storage"
)

func TestNewTakesTheRelyingPartyFromThePublicURL(t *testing.T) {
	for _, tc := range []struct {
		name, base string
		want       error
		origin     string
	}{
		{"a domain with a port", "https://login.contoso.example:8443/tenant/v2.0", nil, "https://login.contoso.example:8443"},
		{"a plain domain", "https://login.contoso.example", nil, "https://login.contoso.example"},
		{"an IPv4 address is no RP ID", "https://127.0.0.1:8443", ErrUnavailable, ""},
		{"an IPv6 address is no RP ID", "https://[::1]:8443", ErrUnavailable, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New(nil, nil, tc.base)
			if !errors.Is(err, tc.want) {
				t.Fatalf("New(%q) error %v, want %v", tc.base, err, tc.want)
			}
			if tc.want != nil {
				return
			}
			if p.rp.Config.RPID != "login.contoso.example" || len(p.rp.Config.RPOrigins) != 1 || p.rp.Config.RPOrigins[0] != tc.origin {
				t.Errorf("RP ID %q, origins %v; want login.contoso.example and [%s]", p.rp.Config.RPID, p.rp.Config.RPOrigins, tc.origin)
			}
		})
	}
	if _, err := New(nil, nil, "not a url"); err == nil || errors.Is(err, ErrUnavailable) {
		t.Errorf("a relative public URL: error %v, want a configuration error", err)
	}
}

func TestPasskeysArePhishingResistantAndUsableOnceRegistered(t *testing.T) {
	p := &Passkeys{}
	if info := p.Info(); info.Level != mfa.LevelPhishingResistantMFA || info.Kind != mfa.KindPasskey {
		t.Errorf("Info() = %+v, want phishing-resistant passkeys (F-36)", info)
	}
	for _, tc := range []struct {
		name    string
		methods []storage.AuthMethod
		want    bool
	}{
		{"no methods", nil, false},
		{"an unconfirmed passkey", []storage.AuthMethod{{Kind: mfa.KindPasskey}}, false},
		{"only an authenticator app", []storage.AuthMethod{{Kind: mfa.KindTOTP, Confirmed: true}}, false},
		{"a passkey", []storage.AuthMethod{{Kind: mfa.KindPasskey, Confirmed: true}}, true},
	} {
		if got := p.Usable(mfa.Registered{Methods: tc.methods}); got != tc.want {
			t.Errorf("%s: Usable = %v, want %v", tc.name, got, tc.want)
		}
	}
}
