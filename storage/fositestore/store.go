package fositestore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/handler/oauth2"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/handler/pkce"
	fositestorage "github.com/ory/fosite/storage"

	"github.com/sigil-idp/sigil/storage"
)

// Compile-time proof that Store offers every interface fosite's handlers need.
var (
	_ fosite.ClientManager               = (*Store)(nil)
	_ fosite.Storage                     = (*Store)(nil)
	_ oauth2.CoreStorage                 = (*Store)(nil)
	_ oauth2.TokenRevocationStorage      = (*Store)(nil)
	_ openid.OpenIDConnectRequestStorage = (*Store)(nil)
	_ pkce.PKCERequestStorage            = (*Store)(nil)
	_ fositestorage.Transactional        = (*Store)(nil)
	_ fosite.ClientWithSecretRotation    = (*Client)(nil)
	_ fosite.OpenIDConnectClient         = (*Client)(nil)
	_ fosite.ResponseModeClient          = (*Client)(nil)
	_ fosite.Hasher                      = SecretHasher{}
)

// safetyHorizon bounds the life of a record whose session sets no expiry, so that
// DeleteExpiredOAuthRecords eventually removes it.
const safetyHorizon = 24 * time.Hour

// SessionInfo is implemented by the server's fosite session (server/op) so that
// stored records can be indexed by tenant, user and browser session — for
// revocation at logout and for per-tenant cleanup. A session that does not
// implement it yields records with those fields empty.
type SessionInfo interface {
	// TenantID is the tenant that issued the grant.
	TenantID() string
	// UserID is the signed-in user's object ID; empty for client credentials.
	UserID() string
	// BrowserSessionID is the SSO session (`sid`) the grant came from, if any.
	BrowserSessionID() string
}

// Store implements fosite's storage interfaces over a storage.Storage. It keeps
// no state of its own and is safe for concurrent use.
type Store struct {
	store storage.Storage
	// NewSession makes the session a stored request is decoded into when fosite
	// asks without one (its revocation handler passes a nil session). Without
	// it such lookups fail, and revocation of that token does nothing.
	NewSession func() fosite.Session
}

// New returns a fosite store backed by store.
func New(store storage.Storage) *Store {
	return &Store{store: store}
}

// BeginTX starts a transaction and returns the context that carries it
// (fosite's storage.Transactional).
func (s *Store) BeginTX(ctx context.Context) (context.Context, error) {
	return s.store.BeginTx(ctx)
}

// Commit commits the transaction carried by ctx.
func (s *Store) Commit(ctx context.Context) error {
	return s.store.Commit(ctx)
}

// Rollback rolls back the transaction carried by ctx.
func (s *Store) Rollback(ctx context.Context) error {
	return s.store.Rollback(ctx)
}

// Digest is the storage key of a code, token signature or JTI: the hex SHA-256
// of the value fosite passes in. Storage never sees the raw value.
func Digest(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}

// record kinds and the session expiry that bounds each of them.
var expiryOf = map[string]fosite.TokenType{
	storage.KindAuthorizeCode: fosite.AuthorizeCode,
	storage.KindAccessToken:   fosite.AccessToken,
	storage.KindRefreshToken:  fosite.RefreshToken,
	storage.KindPKCE:          fosite.AuthorizeCode,
	storage.KindOIDC:          fosite.AuthorizeCode,
}

// create stores req under the digest of key. accessKey, for refresh tokens, is
// the signature of the access token issued alongside. Tenant, subject and
// browser session come from the session (SessionInfo); when the session names
// no tenant, the client's tenant owns the record.
func (s *Store) create(ctx context.Context, kind, key, accessKey string, req fosite.Requester) error {
	data, err := marshalRequest(req)
	if err != nil {
		return fmt.Errorf("fositestore: create %s: %w", kind, err)
	}
	rec := &storage.OAuthRecord{
		Kind:        kind,
		Signature:   Digest(key),
		RequestID:   req.GetID(),
		ClientID:    req.GetClient().GetID(),
		Active:      true,
		Data:        data,
		RequestedAt: req.GetRequestedAt().UTC(),
		ExpiresAt:   expiresAt(req.GetSession(), expiryOf[kind]),
	}
	if accessKey != "" {
		rec.AccessSignature = Digest(accessKey)
	}
	if info, ok := req.GetSession().(SessionInfo); ok {
		rec.TenantID = info.TenantID()
		rec.Subject = info.UserID()
		rec.SessionID = info.BrowserSessionID()
	}
	if client, ok := req.GetClient().(*Client); ok && rec.TenantID == "" {
		rec.TenantID = client.app.TenantID
	}
	if err := s.store.CreateOAuthRecord(ctx, rec); err != nil {
		return fmt.Errorf("fositestore: create %s: %w", kind, err)
	}
	return nil
}

// expiresAt is the session's expiry for the token type, or the safety horizon.
func expiresAt(session fosite.Session, tokenType fosite.TokenType) time.Time {
	if session != nil {
		if exp := session.GetExpiresAt(tokenType); !exp.IsZero() {
			return exp.UTC()
		}
	}
	return time.Now().UTC().Add(safetyHorizon)
}

// get loads the record of kind stored under the digest of key and hydrates it
// into session. An inactive record is returned together with inactiveErr (which
// must be a fresh error value); a missing one is fosite.ErrNotFound.
func (s *Store) get(ctx context.Context, kind, key string, session fosite.Session, inactiveErr error) (fosite.Requester, error) {
	rec, err := s.store.GetOAuthRecord(ctx, kind, Digest(key))
	if err != nil {
		return nil, fositeError("get "+kind, err)
	}
	req, err := s.hydrate(ctx, rec.Data, session)
	if err != nil {
		return nil, fmt.Errorf("fositestore: get %s: %w", kind, err)
	}
	if !rec.Active {
		return req, fmt.Errorf("fositestore: get %s: %w", kind, inactiveErr)
	}
	return req, nil
}

// delete removes the record of kind stored under the digest of key. Deleting a
// record that is already gone is not an error, as in fosite's reference store.
func (s *Store) delete(ctx context.Context, kind, key string) error {
	err := s.store.DeleteOAuthRecord(ctx, kind, Digest(key))
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("fositestore: delete %s: %w", kind, err)
	}
	return nil
}

// fositeError translates a storage sentinel into fosite's equivalent, keeping
// the storage error in the chain. fosite's sentinels are copied (WithWrap), never
// handed out, because some fosite paths mutate the error they are given.
func fositeError(op string, err error) error {
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return fmt.Errorf("fositestore: %s: %w", op, fosite.ErrNotFound.WithWrap(err))
	case errors.Is(err, storage.ErrConflict):
		return fmt.Errorf("fositestore: %s: %w", op, fosite.ErrSerializationFailure.WithWrap(err))
	default:
		return fmt.Errorf("fositestore: %s: %w", op, err)
	}
}
