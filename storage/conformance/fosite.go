package conformance

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/fositestore"
)

// RunFosite runs the fosite-semantics suite against a backend: the fosite
// adapter (storage/fositestore) over the storage that newStore returns, driven
// the way fosite drives it — partly through the store methods its handlers call,
// partly through fosite's real authorize, token and introspection endpoints, so
// that the assertions are what a client would see. newStore must return an
// empty, migrated store and close it in t.Cleanup; it is called once per
// subtest, and subtests run in parallel.
func RunFosite(t *testing.T, newStore func(t *testing.T) storage.Storage) {
	tests := []struct {
		name string
		run  func(t *testing.T, h *fositeHarness)
	}{
		{"stores codes and tokens only under a SHA-256 digest", testFositeDigestKeys},
		{"indexes records by tenant, client, user and browser session", testFositeRecordIndex},
		{"hydrates a stored request into the caller's session", testFositeHydrate},
		{"returns the requester with ErrInvalidatedAuthorizeCode for a used code", testFositeInvalidatedCode},
		{"reports unknown codes and tokens as ErrNotFound", testFositeMissing},
		{"returns the requester with ErrInactiveToken for a rotated refresh token", testFositeRotatedRefresh},
		{"revokes every token of a request and none of another", testFositeRevokeByRequest},
		{"lets exactly one of two concurrent rotations win", testFositeConcurrentRotation},
		{"commits and rolls back through fosite's Transactional", testFositeTransactional},
		{"creates, reads and deletes PKCE and OpenID Connect requests", testFositePKCEAndOIDC},
		{"rejects a replayed client assertion jti", testFositeJTIReplay},
		{"reports an unknown or deleted client as ErrNotFound", testFositeUnknownClient},
		{"exchanges a code, then a refresh token, through fosite", testFositeTokenFlow},
		{"rejects a replayed code with invalid_grant and revokes its tokens", testFositeCodeReplay},
		{"rejects a reused refresh token with invalid_grant and revokes the family", testFositeRefreshReuse},
		{"issues tokens to exactly one of two concurrent refreshes", testFositeConcurrentRefresh},
		{"rejects a wrong client secret with invalid_client", testFositeWrongSecret},
		{"authenticates a private_key_jwt client once per assertion jti", testFositePrivateKeyJWT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newFositeHarness(t, newStore(t)))
		})
	}
}

func testFositeDigestKeys(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	req := h.request(t)
	creates := []struct {
		kind   string
		create func(key string) error
	}{
		{storage.KindAuthorizeCode, func(k string) error { return h.adapter.CreateAuthorizeCodeSession(ctx, k, req) }},
		{storage.KindAccessToken, func(k string) error { return h.adapter.CreateAccessTokenSession(ctx, k, req) }},
		{storage.KindRefreshToken, func(k string) error { return h.adapter.CreateRefreshTokenSession(ctx, k, "at-sig", req) }},
		{storage.KindPKCE, func(k string) error { return h.adapter.CreatePKCERequestSession(ctx, k, req) }},
		{storage.KindOIDC, func(k string) error { return h.adapter.CreateOpenIDConnectSession(ctx, k, req) }},
	}
	for _, c := range creates {
		key := "raw-" + c.kind + "-" + uuid.NewString()
		if err := c.create(key); err != nil {
			t.Fatalf("create %s: %v", c.kind, err)
		}
		if _, err := h.store.GetOAuthRecord(ctx, c.kind, key); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("%s is stored under its raw value (lookup error %v)", c.kind, err)
		}
		rec, err := h.store.GetOAuthRecord(ctx, c.kind, fositestore.Digest(key))
		if err != nil {
			t.Fatalf("%s is not stored under the SHA-256 digest of its key: %v", c.kind, err)
		}
		if len(rec.Signature) != 64 {
			t.Errorf("%s signature %q is not a hex SHA-256 digest", c.kind, rec.Signature)
		}
		if c.kind == storage.KindRefreshToken && rec.AccessSignature != fositestore.Digest("at-sig") {
			t.Errorf("a refresh token keeps its access token signature as %q, want its digest", rec.AccessSignature)
		}
	}
}

func testFositeRecordIndex(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	req := h.request(t)
	session := req.Session.(*fositeSession)
	if err := h.adapter.CreateRefreshTokenSession(ctx, "rt", "at", req); err != nil {
		t.Fatalf("CreateRefreshTokenSession: %v", err)
	}
	rec, err := h.store.GetOAuthRecord(ctx, storage.KindRefreshToken, fositestore.Digest("rt"))
	if err != nil {
		t.Fatalf("GetOAuthRecord: %v", err)
	}
	want := storage.OAuthRecord{
		Kind: storage.KindRefreshToken, Signature: fositestore.Digest("rt"), RequestID: req.ID,
		TenantID: h.tenant.ID, ClientID: h.app.ID, Subject: session.User, SessionID: session.Browser,
		AccessSignature: fositestore.Digest("at"), Active: true,
	}
	got := *rec
	got.Data, got.RequestedAt, got.ExpiresAt = nil, time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("record = %+v, want %+v", got, want)
	}
	if exp := session.GetExpiresAt(fosite.RefreshToken); !rec.ExpiresAt.Equal(exp) {
		t.Errorf("ExpiresAt = %v, want the session's refresh expiry %v", rec.ExpiresAt, exp)
	}
	if !rec.RequestedAt.Equal(req.RequestedAt) {
		t.Errorf("RequestedAt = %v, want %v", rec.RequestedAt, req.RequestedAt)
	}
}

func testFositeHydrate(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	req := h.request(t)
	req.RequestedAudience = fosite.Arguments{h.app.ID}
	req.GrantedAudience = fosite.Arguments{h.app.ID}
	want := req.Session.(*fositeSession)
	if err := h.adapter.CreateAccessTokenSession(ctx, "at", req); err != nil {
		t.Fatalf("CreateAccessTokenSession: %v", err)
	}
	into := newFositeSession()
	got, err := h.adapter.GetAccessTokenSession(ctx, "at", into)
	if err != nil {
		t.Fatalf("GetAccessTokenSession: %v", err)
	}
	if got.GetSession() != fosite.Session(into) {
		t.Errorf("the returned request does not carry the caller's session")
	}
	if into.Tenant != want.Tenant || into.User != want.User || into.Browser != want.Browser ||
		into.Claims.Subject != want.Claims.Subject ||
		!into.GetExpiresAt(fosite.AccessToken).Equal(want.GetExpiresAt(fosite.AccessToken)) {
		t.Errorf("hydrated session = %+v, want %+v", into, want)
	}
	if got.GetID() != req.ID || got.GetClient().GetID() != h.app.ID || !got.GetRequestedAt().Equal(req.RequestedAt) ||
		!slices.Equal(got.GetRequestedScopes(), req.RequestedScope) || !slices.Equal(got.GetGrantedScopes(), req.GrantedScope) ||
		!slices.Equal(got.GetRequestedAudience(), req.RequestedAudience) ||
		!slices.Equal(got.GetGrantedAudience(), req.GrantedAudience) ||
		got.GetRequestForm().Get("redirect_uri") != fositeRedirectURI {
		t.Errorf("hydrated request = %+v, want the stored fields of %+v", got, req)
	}
	if _, ok := got.GetClient().(*fositestore.Client); !ok {
		t.Errorf("the hydrated client is %T, want the reloaded *fositestore.Client", got.GetClient())
	}
}

func testFositeInvalidatedCode(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	req := h.request(t)
	if err := h.adapter.CreateAuthorizeCodeSession(ctx, "code", req); err != nil {
		t.Fatalf("CreateAuthorizeCodeSession: %v", err)
	}
	if _, err := h.adapter.GetAuthorizeCodeSession(ctx, "code", newFositeSession()); err != nil {
		t.Fatalf("GetAuthorizeCodeSession of a fresh code: %v", err)
	}
	if err := h.adapter.InvalidateAuthorizeCodeSession(ctx, "code"); err != nil {
		t.Fatalf("InvalidateAuthorizeCodeSession: %v", err)
	}
	got, err := h.adapter.GetAuthorizeCodeSession(ctx, "code", newFositeSession())
	if !errors.Is(err, fosite.ErrInvalidatedAuthorizeCode) {
		t.Fatalf("GetAuthorizeCodeSession of a used code: %v, want ErrInvalidatedAuthorizeCode", err)
	}
	if got == nil || got.GetID() != req.ID {
		t.Fatalf("GetAuthorizeCodeSession of a used code returned no requester; fosite needs its ID to revoke tokens")
	}
	if err := h.adapter.InvalidateAuthorizeCodeSession(ctx, "code"); !errors.Is(err, fosite.ErrInvalidatedAuthorizeCode) {
		t.Errorf("invalidating a used code again: %v, want ErrInvalidatedAuthorizeCode", err)
	}
}

func testFositeMissing(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	s := newFositeSession()
	gets := map[string]func() (fosite.Requester, error){
		"code":    func() (fosite.Requester, error) { return h.adapter.GetAuthorizeCodeSession(ctx, "nope", s) },
		"access":  func() (fosite.Requester, error) { return h.adapter.GetAccessTokenSession(ctx, "nope", s) },
		"refresh": func() (fosite.Requester, error) { return h.adapter.GetRefreshTokenSession(ctx, "nope", s) },
		"pkce":    func() (fosite.Requester, error) { return h.adapter.GetPKCERequestSession(ctx, "nope", s) },
		"oidc": func() (fosite.Requester, error) {
			return h.adapter.GetOpenIDConnectSession(ctx, "nope", &fosite.Request{Session: s})
		},
	}
	for name, get := range gets {
		if _, err := get(); !errors.Is(err, fosite.ErrNotFound) {
			t.Errorf("unknown %s: %v, want fosite.ErrNotFound", name, err)
		}
	}
	if err := h.adapter.InvalidateAuthorizeCodeSession(ctx, "nope"); !errors.Is(err, fosite.ErrNotFound) {
		t.Errorf("invalidating an unknown code: %v, want fosite.ErrNotFound", err)
	}
	if err := h.adapter.RotateRefreshToken(ctx, uuid.NewString(), "nope"); !errors.Is(err, fosite.ErrNotFound) {
		t.Errorf("rotating an unknown refresh token: %v, want fosite.ErrNotFound", err)
	}
}

func testFositeRotatedRefresh(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	req := h.request(t)
	if err := h.adapter.CreateAccessTokenSession(ctx, "at", req); err != nil {
		t.Fatalf("CreateAccessTokenSession: %v", err)
	}
	if err := h.adapter.CreateRefreshTokenSession(ctx, "rt", "at", req); err != nil {
		t.Fatalf("CreateRefreshTokenSession: %v", err)
	}
	if err := h.adapter.RotateRefreshToken(ctx, req.ID, "rt"); err != nil {
		t.Fatalf("RotateRefreshToken: %v", err)
	}
	got, err := h.adapter.GetRefreshTokenSession(ctx, "rt", newFositeSession())
	if !errors.Is(err, fosite.ErrInactiveToken) {
		t.Fatalf("GetRefreshTokenSession of a rotated token: %v, want ErrInactiveToken", err)
	}
	if got == nil || got.GetID() != req.ID {
		t.Fatalf("GetRefreshTokenSession of a rotated token returned no requester; fosite needs it to revoke the family")
	}
	got, err = h.adapter.GetAccessTokenSession(ctx, "at", newFositeSession())
	if !errors.Is(err, fosite.ErrInactiveToken) || got == nil {
		t.Fatalf("GetAccessTokenSession after rotation: %v (requester %v), want ErrInactiveToken with requester", err, got)
	}
}
