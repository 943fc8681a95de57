package fositestore

import (
	"context"
	"errors"
	"fmt"

	"github.com/ory/fosite"

	"github.com/sigil-idp/sigil/storage"
)

// CreateAuthorizeCodeSession stores the authorize request under the code's
// signature (oauth2.AuthorizeCodeStorage).
func (s *Store) CreateAuthorizeCodeSession(ctx context.Context, code string, req fosite.Requester) error {
	return s.create(ctx, storage.KindAuthorizeCode, code, "", req)
}

// GetAuthorizeCodeSession hydrates the authorize request of a code. For a code
// already used it returns the request together with
// fosite.ErrInvalidatedAuthorizeCode, so that fosite can revoke every token
// issued from it (RFC 6749 §4.1.2).
func (s *Store) GetAuthorizeCodeSession(ctx context.Context, code string, session fosite.Session) (fosite.Requester, error) {
	return s.get(ctx, storage.KindAuthorizeCode, code, session, fosite.ErrInvalidatedAuthorizeCode)
}

// InvalidateAuthorizeCodeSession marks a code used. Of two concurrent
// exchanges of one code exactly one invalidates it; the other gets
// fosite.ErrInvalidatedAuthorizeCode.
func (s *Store) InvalidateAuthorizeCodeSession(ctx context.Context, code string) error {
	err := s.store.DeactivateOAuthRecord(ctx, storage.KindAuthorizeCode, Digest(code))
	if errors.Is(err, storage.ErrConflict) {
		return fmt.Errorf("fositestore: invalidate authorize code: %w: %w", fosite.ErrInvalidatedAuthorizeCode, err)
	}
	if err != nil {
		return fositeError("invalidate authorize code", err)
	}
	return nil
}

// CreateAccessTokenSession stores the request under the access token's
// signature (oauth2.AccessTokenStorage).
func (s *Store) CreateAccessTokenSession(ctx context.Context, signature string, req fosite.Requester) error {
	return s.create(ctx, storage.KindAccessToken, signature, "", req)
}

// GetAccessTokenSession hydrates the request of an access token. A revoked
// token comes back with its request and fosite.ErrInactiveToken, so
// introspection reports it inactive; an unknown one is fosite.ErrNotFound.
func (s *Store) GetAccessTokenSession(ctx context.Context, signature string, session fosite.Session) (fosite.Requester, error) {
	return s.get(ctx, storage.KindAccessToken, signature, session, inactiveToken())
}

// DeleteAccessTokenSession removes an access token.
func (s *Store) DeleteAccessTokenSession(ctx context.Context, signature string) error {
	return s.delete(ctx, storage.KindAccessToken, signature)
}

// CreateRefreshTokenSession stores the request under the refresh token's
// signature, remembering the access token issued with it.
func (s *Store) CreateRefreshTokenSession(ctx context.Context, signature, accessSignature string, req fosite.Requester) error {
	return s.create(ctx, storage.KindRefreshToken, signature, accessSignature, req)
}

// GetRefreshTokenSession hydrates the request of a refresh token. A rotated or
// revoked token comes back with its request and fosite.ErrInactiveToken: fosite
// treats that as reuse and revokes the whole grant family (RFC 6819 §5.2.2.3,
// RFC 9700 §4.14.2). An unknown token is fosite.ErrNotFound.
func (s *Store) GetRefreshTokenSession(ctx context.Context, signature string, session fosite.Session) (fosite.Requester, error) {
	return s.get(ctx, storage.KindRefreshToken, signature, session, inactiveToken())
}

// DeleteRefreshTokenSession removes a refresh token.
func (s *Store) DeleteRefreshTokenSession(ctx context.Context, signature string) error {
	return s.delete(ctx, storage.KindRefreshToken, signature)
}

// RotateRefreshToken retires a refresh token that is being exchanged: it
// deactivates the token and the access tokens of its request, atomically. When
// a concurrent request rotated the same token first, it returns
// fosite.ErrSerializationFailure and fosite asks the client to retry, so of two
// concurrent refreshes of one token exactly one wins.
func (s *Store) RotateRefreshToken(ctx context.Context, requestID, signature string) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		err := s.store.DeactivateOAuthRecord(ctx, storage.KindRefreshToken, Digest(signature))
		if err != nil {
			return fositeError("rotate refresh token", err)
		}
		err = s.store.DeactivateOAuthRecordsByRequest(ctx, storage.KindAccessToken, requestID)
		if err != nil {
			return fositeError("rotate refresh token: revoke access tokens", err)
		}
		return nil
	})
}

// RevokeRefreshToken deactivates every refresh token issued under the request
// (RFC 7009 §2.1).
func (s *Store) RevokeRefreshToken(ctx context.Context, requestID string) error {
	return s.revokeRequest(ctx, storage.KindRefreshToken, requestID)
}

// RevokeAccessToken deactivates every access token issued under the request
// (RFC 7009 §2.1).
func (s *Store) RevokeAccessToken(ctx context.Context, requestID string) error {
	return s.revokeRequest(ctx, storage.KindAccessToken, requestID)
}

func (s *Store) revokeRequest(ctx context.Context, kind, requestID string) error {
	if err := s.store.DeactivateOAuthRecordsByRequest(ctx, kind, requestID); err != nil {
		return fositeError("revoke "+kind, err)
	}
	return nil
}

// CreatePKCERequestSession stores the PKCE challenge of a code
// (pkce.PKCERequestStorage).
func (s *Store) CreatePKCERequestSession(ctx context.Context, signature string, req fosite.Requester) error {
	return s.create(ctx, storage.KindPKCE, signature, "", req)
}

// GetPKCERequestSession hydrates the PKCE request of a code.
func (s *Store) GetPKCERequestSession(ctx context.Context, signature string, session fosite.Session) (fosite.Requester, error) {
	return s.get(ctx, storage.KindPKCE, signature, session, inactiveToken())
}

// DeletePKCERequestSession removes the PKCE request of a code.
func (s *Store) DeletePKCERequestSession(ctx context.Context, signature string) error {
	return s.delete(ctx, storage.KindPKCE, signature)
}

// CreateOpenIDConnectSession stores the OpenID Connect request of a code
// (openid.OpenIDConnectRequestStorage). fosite passes the raw code here; like
// every other key it is stored only as a digest.
func (s *Store) CreateOpenIDConnectSession(ctx context.Context, code string, req fosite.Requester) error {
	return s.create(ctx, storage.KindOIDC, code, "", req)
}

// GetOpenIDConnectSession hydrates the OpenID Connect request of a code into
// the session of requester; an unknown code is fosite.ErrNotFound
// (openid.ErrNoSessionFound).
func (s *Store) GetOpenIDConnectSession(ctx context.Context, code string, requester fosite.Requester) (fosite.Requester, error) {
	if requester == nil {
		return nil, fmt.Errorf("fositestore: get %s: %w", storage.KindOIDC, errNoSession)
	}
	return s.get(ctx, storage.KindOIDC, code, requester.GetSession(), inactiveToken())
}

// DeleteOpenIDConnectSession removes the OpenID Connect request of a code.
func (s *Store) DeleteOpenIDConnectSession(ctx context.Context, code string) error {
	return s.delete(ctx, storage.KindOIDC, code)
}

// inactiveToken is a fresh copy of fosite.ErrInactiveToken.
func inactiveToken() error {
	return fosite.ErrInactiveToken.WithHint("The token was rotated or revoked.")
}
