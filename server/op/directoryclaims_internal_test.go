package op

import (
	"reflect"
	"testing"
)

func TestMergeNewNeverOverwritesTheTokensOwnClaims(t *testing.T) {
	t.Parallel()
	dst := map[string]any{"oid": "user-1", "tid": "tenant-1", "email": "ada@contoso.example"}
	added := mergeNew(dst, map[string]any{
		"oid": "forged", "email": "other@contoso.example", "iss": "https://evil.example", "aud": "x",
		"groups": []string{"g1"}, "roles": []string{"Reader"},
	})
	want := map[string]any{"oid": "user-1", "tid": "tenant-1", "email": "ada@contoso.example",
		"groups": []string{"g1"}, "roles": []string{"Reader"}}
	if !reflect.DeepEqual(dst, want) {
		t.Errorf("merged claims = %v, want %v", dst, want)
	}
	if !reflect.DeepEqual(added, []string{"groups", "roles"}) {
		t.Errorf("added = %v, want only the new names", added)
	}
}

func TestRefreshReplacesOnlyTheDirectoryClaimsItAdded(t *testing.T) {
	t.Parallel()
	s := newSession("tenant-1", "ES256")
	s.Claims.Extra["email"] = "ada@contoso.example"
	s.IDDirectoryClaims = mergeNew(s.Claims.Extra, map[string]any{"groups": []string{"g1", "g2"}, "wids": []string{"w"}})
	s.AccessDirectoryClaims = mergeNew(s.Access.Extra, map[string]any{"_claim_names": map[string]any{"groups": "src1"}})

	// The provider has no ClaimSource: the refresh drops the old directory
	// claims and adds none, and leaves the profile claim alone.
	p := &Provider{}
	if err := p.refreshUserClaims(t.Context(), s, nil, nil); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Claims.Extra, map[string]any{"email": "ada@contoso.example"}) || len(s.Access.Extra) != 0 {
		t.Errorf("after refresh: ID %v, access %v", s.Claims.Extra, s.Access.Extra)
	}
	if s.IDDirectoryClaims != nil || s.AccessDirectoryClaims != nil {
		t.Errorf("the session still names stale claims: %v %v", s.IDDirectoryClaims, s.AccessDirectoryClaims)
	}
}
