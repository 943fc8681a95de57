package conformance

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/storage/fositestore"
)

// accessTokenActive reports whether the adapter serves the access token as active,
// failing the test on any answer other than active or ErrInactiveToken.
func accessTokenActive(t *testing.T, h *fositeHarness, signature string) bool {
	t.Helper()
	req, err := h.adapter.GetAccessTokenSession(t.Context(), signature, newFositeSession())
	return activeOrInactiveToken(t, "access token", req, err)
}

func refreshTokenActive(t *testing.T, h *fositeHarness, signature string) bool {
	t.Helper()
	req, err := h.adapter.GetRefreshTokenSession(t.Context(), signature, newFositeSession())
	return activeOrInactiveToken(t, "refresh token", req, err)
}

func activeOrInactiveToken(t *testing.T, what string, req fosite.Requester, err error) bool {
	t.Helper()
	switch {
	case err == nil:
		return true
	case errors.Is(err, fosite.ErrInactiveToken) && req != nil:
		return false
	default:
		t.Fatalf("%s: %v (requester %v), want active or ErrInactiveToken with the requester", what, err, req)
		return false
	}
}

func testFositeRevokeByRequest(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	a, b := h.request(t), h.request(t)
	for _, tok := range []struct {
		sig string
		req *fosite.Request
	}{{"a-at1", a}, {"a-at2", a}, {"b-at", b}} {
		if err := h.adapter.CreateAccessTokenSession(ctx, tok.sig, tok.req); err != nil {
			t.Fatalf("CreateAccessTokenSession: %v", err)
		}
	}
	for _, tok := range []struct {
		sig string
		req *fosite.Request
	}{{"a-rt1", a}, {"a-rt2", a}, {"b-rt", b}} {
		if err := h.adapter.CreateRefreshTokenSession(ctx, tok.sig, "", tok.req); err != nil {
			t.Fatalf("CreateRefreshTokenSession: %v", err)
		}
	}
	if err := h.adapter.RevokeAccessToken(ctx, a.ID); err != nil {
		t.Fatalf("RevokeAccessToken: %v", err)
	}
	if accessTokenActive(t, h, "a-at1") || accessTokenActive(t, h, "a-at2") {
		t.Errorf("RevokeAccessToken left an access token of the request active")
	}
	if !accessTokenActive(t, h, "b-at") || !refreshTokenActive(t, h, "a-rt1") {
		t.Errorf("RevokeAccessToken revoked a token of another request or kind")
	}
	if err := h.adapter.RevokeRefreshToken(ctx, a.ID); err != nil {
		t.Fatalf("RevokeRefreshToken: %v", err)
	}
	if refreshTokenActive(t, h, "a-rt1") || refreshTokenActive(t, h, "a-rt2") {
		t.Errorf("RevokeRefreshToken left a refresh token of the request active")
	}
	if !refreshTokenActive(t, h, "b-rt") {
		t.Errorf("RevokeRefreshToken revoked a refresh token of another request")
	}
	if err := h.adapter.RevokeRefreshToken(ctx, uuid.NewString()); err != nil {
		t.Errorf("revoking the tokens of an unknown request: %v, want nil", err)
	}
}

// rotateRefreshInTx rotates a refresh token the way fosite's refresh handler does:
// inside a transaction begun through fosite's storage.Transactional.
func rotateRefreshInTx(ctx context.Context, adapter *fositestore.Store, requestID, signature string) error {
	txCtx, err := adapter.BeginTX(ctx)
	if err != nil {
		return err
	}
	if err := adapter.RotateRefreshToken(txCtx, requestID, signature); err != nil {
		return errors.Join(err, adapter.Rollback(txCtx))
	}
	return adapter.Commit(txCtx)
}

func testFositeConcurrentRotation(t *testing.T, h *fositeHarness) {
	for round := range 3 {
		req := h.request(t)
		signature := fmt.Sprintf("rt-%d", round)
		if err := h.adapter.CreateRefreshTokenSession(t.Context(), signature, "", req); err != nil {
			t.Fatalf("CreateRefreshTokenSession: %v", err)
		}
		errs := make([]error, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() {
				<-start
				errs[i] = rotateRefreshInTx(t.Context(), h.adapter, req.ID, signature)
			})
		}
		close(start)
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, fosite.ErrSerializationFailure):
				t.Errorf("round %d: the losing rotation failed with %v, want ErrSerializationFailure", round, err)
			}
		}
		if wins != 1 {
			t.Fatalf("round %d: %d of 2 concurrent rotations succeeded, want exactly 1", round, wins)
		}
	}
}

func testFositeTransactional(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	req := h.request(t)
	txCtx, err := h.adapter.BeginTX(ctx)
	if err != nil {
		t.Fatalf("BeginTX: %v", err)
	}
	if err := h.adapter.CreateAccessTokenSession(txCtx, "rolled-back", req); err != nil {
		t.Fatalf("CreateAccessTokenSession in tx: %v", err)
	}
	if err := h.adapter.Rollback(txCtx); err != nil {
		t.Fatalf("Rollback: %v", err)
	}
	if _, err := h.adapter.GetAccessTokenSession(ctx, "rolled-back", newFositeSession()); !errors.Is(err, fosite.ErrNotFound) {
		t.Errorf("a token created in a rolled-back transaction: %v, want ErrNotFound", err)
	}

	if txCtx, err = h.adapter.BeginTX(ctx); err != nil {
		t.Fatalf("BeginTX: %v", err)
	}
	if err := h.adapter.CreateRefreshTokenSession(txCtx, "committed", "", req); err != nil {
		t.Fatalf("CreateRefreshTokenSession in tx: %v", err)
	}
	if err := h.adapter.Commit(txCtx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if !refreshTokenActive(t, h, "committed") {
		t.Fatalf("a token created in a committed transaction is not active")
	}

	// A rotation inside a transaction that rolls back must leave the token
	// usable: RotateRefreshToken joins the caller's transaction.
	if txCtx, err = h.adapter.BeginTX(ctx); err != nil {
		t.Fatalf("BeginTX: %v", err)
	}
	if err := h.adapter.RotateRefreshToken(txCtx, req.ID, "committed"); err != nil {
		t.Fatalf("RotateRefreshToken in tx: %v", err)
	}
	if err := h.adapter.Rollback(txCtx); err != nil {
		t.Fatalf("Rollback: %v", err)
	}
	if !refreshTokenActive(t, h, "committed") {
		t.Errorf("a rotation that was rolled back still deactivated the refresh token")
	}
}

func testFositePKCEAndOIDC(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	req := h.request(t)
	req.Form.Set("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
	req.Form.Set("code_challenge_method", "S256")
	subject := req.Session.(*fositeSession).Claims.Subject
	if err := h.adapter.CreatePKCERequestSession(ctx, "code-sig", req); err != nil {
		t.Fatalf("CreatePKCERequestSession: %v", err)
	}
	if err := h.adapter.CreateOpenIDConnectSession(ctx, "raw-code", req); err != nil {
		t.Fatalf("CreateOpenIDConnectSession: %v", err)
	}

	pkce, err := h.adapter.GetPKCERequestSession(ctx, "code-sig", newFositeSession())
	if err != nil || pkce.GetRequestForm().Get("code_challenge") != req.Form.Get("code_challenge") {
		t.Fatalf("GetPKCERequestSession = %v, %v; want the stored code challenge", pkce, err)
	}
	oidcSession := newFositeSession()
	oidc, err := h.adapter.GetOpenIDConnectSession(ctx, "raw-code", &fosite.Request{Session: oidcSession})
	if err != nil || oidc.GetID() != req.ID || oidcSession.Claims.Subject != subject {
		t.Fatalf("GetOpenIDConnectSession = %v, %v; want the request with its ID token claims", oidc, err)
	}

	if err := h.adapter.DeletePKCERequestSession(ctx, "code-sig"); err != nil {
		t.Fatalf("DeletePKCERequestSession: %v", err)
	}
	if err := h.adapter.DeleteOpenIDConnectSession(ctx, "raw-code"); err != nil {
		t.Fatalf("DeleteOpenIDConnectSession: %v", err)
	}
	if _, err := h.adapter.GetPKCERequestSession(ctx, "code-sig", newFositeSession()); !errors.Is(err, fosite.ErrNotFound) {
		t.Errorf("a deleted PKCE request: %v, want ErrNotFound", err)
	}
	_, err = h.adapter.GetOpenIDConnectSession(ctx, "raw-code", &fosite.Request{Session: newFositeSession()})
	if !errors.Is(err, fosite.ErrNotFound) {
		t.Errorf("a deleted OpenID Connect request: %v, want ErrNotFound", err)
	}
	if err := h.adapter.DeletePKCERequestSession(ctx, "code-sig"); err != nil {
		t.Errorf("deleting a PKCE request twice: %v, want nil as in fosite's reference store", err)
	}
}

func testFositeJTIReplay(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	jti := uuid.NewString()
	if err := h.adapter.ClientAssertionJWTValid(ctx, jti); err != nil {
		t.Fatalf("a fresh jti: %v, want valid", err)
	}
	if err := h.adapter.SetClientAssertionJWT(ctx, jti, time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("SetClientAssertionJWT: %v", err)
	}
	if err := h.adapter.ClientAssertionJWTValid(ctx, jti); !errors.Is(err, fosite.ErrJTIKnown) {
		t.Errorf("a used jti: %v, want ErrJTIKnown", err)
	}
	if err := h.adapter.SetClientAssertionJWT(ctx, jti, time.Now().Add(time.Hour)); !errors.Is(err, fosite.ErrJTIKnown) {
		t.Errorf("recording a used jti again: %v, want ErrJTIKnown", err)
	}

	expired := uuid.NewString()
	if err := h.adapter.SetClientAssertionJWT(ctx, expired, time.Now().Add(-time.Second)); err != nil {
		t.Fatalf("SetClientAssertionJWT of an expired assertion: %v", err)
	}
	if err := h.adapter.ClientAssertionJWTValid(ctx, expired); err != nil {
		t.Errorf("a jti whose assertion expired: %v, want valid", err)
	}
	if err := h.adapter.SetClientAssertionJWT(ctx, expired, time.Now().Add(time.Hour)); err != nil {
		t.Errorf("recording a jti whose earlier use expired: %v, want nil", err)
	}
}

func testFositeUnknownClient(t *testing.T, h *fositeHarness) {
	ctx := t.Context()
	if _, err := h.adapter.GetClient(ctx, uuid.NewString()); !errors.Is(err, fosite.ErrNotFound) {
		t.Errorf("an unknown client: %v, want fosite.ErrNotFound", err)
	}
	if err := h.adapter.CreateAccessTokenSession(ctx, "at", h.request(t)); err != nil {
		t.Fatalf("CreateAccessTokenSession: %v", err)
	}
	if err := h.store.DeleteApplication(ctx, h.tenant.ID, h.app.ID); err != nil {
		t.Fatalf("DeleteApplication: %v", err)
	}
	if _, err := h.adapter.GetClient(ctx, h.app.ID); !errors.Is(err, fosite.ErrNotFound) {
		t.Errorf("a deleted client: %v, want fosite.ErrNotFound", err)
	}
	if _, err := h.adapter.GetAccessTokenSession(ctx, "at", newFositeSession()); !errors.Is(err, fosite.ErrNotFound) {
		t.Errorf("a token of a deleted client: %v, want fosite.ErrNotFound", err)
	}
}
