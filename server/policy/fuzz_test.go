package policy

import (
	"encoding/json"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
)

// FuzzEvaluate: for any policy document and signals, Evaluate never panics,
// is deterministic, and gives the same decision after a JSON round trip of
// its input.
func FuzzEvaluate(f *testing.F) {
	for _, tmpl := range Templates() {
		b, _ := json.Marshal(tmpl.Policy)
		f.Add(string(b), "192.0.2.1", "GB", "browser", "medium", 1, true, false)
	}
	b, _ := json.Marshal(mfaPolicy(Conditions{Locations: &LocationsCondition{IncludeLocations: []string{office}}}))
	f.Add(string(b), "2001:db8::1", "", "other", "high", 3, false, true)
	f.Add(`{"state":"enabled","conditions":{"users":{"includeUsers":["All"]}},"sessionControls":{"signInFrequency":{"isEnabled":true,"value":-9}}}`,
		"", "KP", "exchangeActiveSync", "", 0, false, false)
	f.Fuzz(func(t *testing.T, doc, ip, country, client, risk string, level int, hasMethods, secDefaults bool) {
		var p Policy
		if json.Unmarshal([]byte(doc), &p) != nil {
			return
		}
		p.State = StateEnabled
		addr, _ := netip.ParseAddr(ip)
		s := Signals{UserID: ann, GroupIDs: []string{sales}, AppID: appID, ClientAppType: client, IP: addr, Country: country,
			SignInRisk: risk, Level: mfa.Level(level), HasMethods: hasMethods, AuthTime: now.Add(-time.Hour), Now: now}
		in := Input{SecurityDefaults: secDefaults, Policies: []Policy{p, p}, Locations: locations, Signals: s}
		first, second := Evaluate(in), Evaluate(in)
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("not deterministic:\n%+v\n%+v", first, second)
		}
		raw, err := json.Marshal(in.Policies)
		if err != nil {
			t.Fatal(err)
		}
		var back []Policy
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		in.Policies = back
		if again := Evaluate(in); !reflect.DeepEqual(again, first) {
			t.Fatalf("JSON round trip changed the decision:\n%+v\n%+v", first, again)
		}
	})
}
