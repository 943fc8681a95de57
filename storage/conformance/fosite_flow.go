package conformance

import (
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/ory/fosite"
)

// These subtests drive fosite's real endpoints over the adapter and assert
// what a client would see (RFC 6749 §5.2 error codes) and what introspection
// would report.

func mustBeActive(t *testing.T, h *fositeHarness, what, token string, use fosite.TokenUse) {
	t.Helper()
	if err := h.introspect(t, token, use); err != nil {
		t.Errorf("%s: introspection says inactive (%v), want active", what, err)
	}
}

// mustBeInactive asserts that introspection rejects the token and that the
// store reports it inactive — not missing — so fosite can still find its family.
func mustBeInactive(t *testing.T, h *fositeHarness, what, token string, use fosite.TokenUse) {
	t.Helper()
	if err := h.introspect(t, token, use); err == nil {
		t.Errorf("%s: introspection says active, want inactive", what)
	}
	ctx := t.Context()
	if use == fosite.RefreshToken {
		if refreshTokenActive(t, h, h.strategy.RefreshTokenSignature(ctx, token)) {
			t.Errorf("%s: the store serves the refresh token as active", what)
		}
		return
	}
	if accessTokenActive(t, h, h.strategy.AccessTokenSignature(ctx, token)) {
		t.Errorf("%s: the store serves the access token as active", what)
	}
}

func mustRefuseToken(t *testing.T, what string, resp tokenResponse, status int, code string) {
	t.Helper()
	if resp.Status != status || resp.Error != code {
		t.Errorf("%s: status %d error %q (%s), want %d %s", what, resp.Status, resp.Error, resp.Description, status, code)
	}
}

func testFositeTokenFlow(t *testing.T, h *fositeHarness) {
	first := mustIssueTokens(t, "code exchange", h.exchangeCode(t, h.authorize(t)))
	mustBeActive(t, h, "the issued access token", first.AccessToken, fosite.AccessToken)
	mustBeActive(t, h, "the issued refresh token", first.RefreshToken, fosite.RefreshToken)

	second := mustIssueTokens(t, "refresh", h.refresh(t, first.RefreshToken))
	mustBeActive(t, h, "the refreshed access token", second.AccessToken, fosite.AccessToken)
	mustBeActive(t, h, "the rotated-in refresh token", second.RefreshToken, fosite.RefreshToken)
	mustBeInactive(t, h, "the access token issued before the refresh", first.AccessToken, fosite.AccessToken)
	mustBeInactive(t, h, "the rotated-out refresh token", first.RefreshToken, fosite.RefreshToken)
}

func testFositeCodeReplay(t *testing.T, h *fositeHarness) {
	code := h.authorize(t)
	first := mustIssueTokens(t, "first code exchange", h.exchangeCode(t, code))

	mustRefuseToken(t, "replayed code", h.exchangeCode(t, code), http.StatusBadRequest, "invalid_grant")
	// RFC 6749 §4.1.2: tokens issued from a replayed code should be revoked.
	mustBeInactive(t, h, "the access token issued from the replayed code", first.AccessToken, fosite.AccessToken)
	mustBeInactive(t, h, "the refresh token issued from the replayed code", first.RefreshToken, fosite.RefreshToken)
	mustRefuseToken(t, "refresh with a token from the replayed code", h.refresh(t, first.RefreshToken),
		http.StatusBadRequest, "invalid_grant")
}

func testFositeRefreshReuse(t *testing.T, h *fositeHarness) {
	first := mustIssueTokens(t, "code exchange", h.exchangeCode(t, h.authorize(t)))
	second := mustIssueTokens(t, "refresh", h.refresh(t, first.RefreshToken))

	mustRefuseToken(t, "reused refresh token", h.refresh(t, first.RefreshToken), http.StatusBadRequest, "invalid_grant")
	// RFC 9700 §4.14.2: reuse of a rotated refresh token revokes the family.
	mustBeInactive(t, h, "the access token of the family", second.AccessToken, fosite.AccessToken)
	mustBeInactive(t, h, "the newest refresh token of the family", second.RefreshToken, fosite.RefreshToken)
	mustRefuseToken(t, "refresh with the newest token after reuse", h.refresh(t, second.RefreshToken),
		http.StatusBadRequest, "invalid_grant")
}

func testFositeConcurrentRefresh(t *testing.T, h *fositeHarness) {
	first := mustIssueTokens(t, "code exchange", h.exchangeCode(t, h.authorize(t)))
	responses := make([]tokenResponse, 2)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range responses {
		wg.Go(func() {
			<-start
			responses[i] = h.refresh(t, first.RefreshToken)
		})
	}
	close(start)
	wg.Wait()
	issued := 0
	for _, resp := range responses {
		switch {
		case resp.Status == http.StatusOK:
			issued++
		case resp.Error != "invalid_request" && resp.Error != "invalid_grant":
			// The loser either lost the rotation race (invalid_request: retry)
			// or arrived after it and was treated as reuse (invalid_grant).
			t.Errorf("the losing refresh: status %d error %q (%s)", resp.Status, resp.Error, resp.Description)
		}
	}
	if issued != 1 {
		t.Fatalf("%d of 2 concurrent refreshes of one token got tokens, want exactly 1", issued)
	}
}

func testFositeWrongSecret(t *testing.T, h *fositeHarness) {
	code := h.authorize(t)
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {fositeRedirectURI}}

	mustRefuseToken(t, "a wrong client secret", h.token(t, form, h.secret+"x"), http.StatusUnauthorized, "invalid_client")
	mustRefuseToken(t, "an empty client secret", h.token(t, form, ""), http.StatusUnauthorized, "invalid_client")
	mustIssueTokens(t, "the right client secret", h.token(t, form, h.secret))
}
