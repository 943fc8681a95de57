package server

import (
	"log/slog"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/admin"
	"github.com/sigil-idp/sigil/server/branding"
	"github.com/sigil-idp/sigil/server/bulk"
	"github.com/sigil-idp/sigil/server/directory"
)

// purposeAdminSkipToken derives the key that signs the admin API's skip tokens.
const purposeAdminSkipToken = "sigil admin api skip token v1"

// adminAPI builds the Graph-shaped admin API (/v1.0) over the directory.
func adminAPI(d Deps, masters [][]byte, baseURL string, logger *slog.Logger, evaluator *access.Service) (*admin.Handler, error) {
	secret, err := derive(masters[0], purposeAdminSkipToken, 32)
	if err != nil {
		return nil, err
	}
	roles := &directory.Roles{Store: d.Store, Groups: directory.StoreGroups{Store: d.Store}}
	dir := &directory.Service{Store: d.Store, Keys: d.Keys}
	return &admin.Handler{
		Directory: dir, Bulk: &bulk.Service{Store: d.Store, Directory: dir},
		Roles: roles,
		Store: d.Store, Keys: d.Keys, BaseURL: baseURL, Secret: secret, Logger: logger,
		Access: &access.Admin{Store: d.Store, Roles: roles}, Evaluator: evaluator, Branding: &branding.Service{Store: d.Store},
	}, nil
}
