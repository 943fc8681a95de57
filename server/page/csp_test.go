package page

import "testing"

func TestContentSecurityPolicyFormTargets(t *testing.T) {
	for name, tc := range map[string]struct {
		targets []string
		want    string
	}{
		"only Sigil":                  {nil, "form-action 'self'"},
		"the application's origin":    {[]string{"https://app.example:8443/cb?x=1"}, "form-action 'self' https://app.example:8443"},
		"a native app's scheme":       {[]string{"com.example.app:/oauth"}, "form-action 'self' com.example.app:"},
		"script URLs are never added": {[]string{"javascript:alert(1)"}, "form-action 'self'"},
		"no header injection":         {[]string{"https://a.example/; script-src *"}, "form-action 'self'"},
	} {
		t.Run(name, func(t *testing.T) {
			got := ContentSecurityPolicy(tc.targets...)
			if want := basePolicy + "; " + tc.want; got != want {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}
