package fositestore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/ory/fosite"
)

// storedRequest is the JSON form of a fosite request kept in OAuthRecord.Data.
// The client is stored by ID and reloaded on every read, so a deleted
// application's grants stop working at once.
type storedRequest struct {
	ID                string          `json:"id"`
	RequestedAt       time.Time       `json:"requested_at"`
	ClientID          string          `json:"client_id"`
	RequestedScope    []string        `json:"requested_scope,omitempty"`
	GrantedScope      []string        `json:"granted_scope,omitempty"`
	Form              url.Values      `json:"form,omitempty"`
	RequestedAudience []string        `json:"requested_audience,omitempty"`
	GrantedAudience   []string        `json:"granted_audience,omitempty"`
	Lang              string          `json:"lang,omitempty"`
	Session           json.RawMessage `json:"session,omitempty"`
}

// errNoSession is returned when a stored request is read without a session to
// hydrate: fosite always passes one, so this is a programming error.
var errNoSession = errors.New("fositestore: a session is required to read a stored request")

// marshalRequest serializes the request fields fosite reads back plus the
// session. fosite has already reduced the form to what may be stored.
func marshalRequest(req fosite.Requester) ([]byte, error) {
	stored := storedRequest{
		ID:                req.GetID(),
		RequestedAt:       req.GetRequestedAt().UTC(),
		ClientID:          req.GetClient().GetID(),
		RequestedScope:    req.GetRequestedScopes(),
		GrantedScope:      req.GetGrantedScopes(),
		Form:              req.GetRequestForm(),
		RequestedAudience: req.GetRequestedAudience(),
		GrantedAudience:   req.GetGrantedAudience(),
	}
	if g, ok := req.(fosite.G11NContext); ok {
		if lang, err := g.GetLang().MarshalText(); err == nil && string(lang) != "und" {
			stored.Lang = string(lang)
		}
	}
	if session := req.GetSession(); session != nil {
		raw, err := json.Marshal(session)
		if err != nil {
			return nil, fmt.Errorf("marshal session: %w", err)
		}
		stored.Session = raw
	}
	return json.Marshal(stored)
}

// hydrate rebuilds a *fosite.Request from data. The stored session is decoded
// into session (which must be a pointer, as every fosite session is) and the
// client is reloaded through GetClient.
func (s *Store) hydrate(ctx context.Context, data []byte, session fosite.Session) (*fosite.Request, error) {
	if session == nil && s.NewSession != nil {
		session = s.NewSession()
	}
	if session == nil {
		return nil, errNoSession
	}
	var stored storedRequest
	if err := json.Unmarshal(data, &stored); err != nil {
		return nil, fmt.Errorf("decode stored request: %w", err)
	}
	if len(stored.Session) > 0 {
		if err := json.Unmarshal(stored.Session, session); err != nil {
			return nil, fmt.Errorf("decode stored session into %T: %w", session, err)
		}
	}
	client, err := s.GetClient(ctx, stored.ClientID)
	if err != nil {
		return nil, err
	}
	req := &fosite.Request{
		ID:                stored.ID,
		RequestedAt:       stored.RequestedAt,
		Client:            client,
		RequestedScope:    fosite.Arguments(stored.RequestedScope),
		GrantedScope:      fosite.Arguments(stored.GrantedScope),
		Form:              stored.Form,
		Session:           session,
		RequestedAudience: fosite.Arguments(stored.RequestedAudience),
		GrantedAudience:   fosite.Arguments(stored.GrantedAudience),
	}
	if req.Form == nil {
		req.Form = url.Values{}
	}
	if stored.Lang != "" {
		if err := req.Lang.UnmarshalText([]byte(stored.Lang)); err != nil {
			return nil, fmt.Errorf("decode stored language %q: %w", stored.Lang, err)
		}
	}
	return req, nil
}
