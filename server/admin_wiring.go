package server

import (
	"log/slog"

	"github.com/sigil-idp/sigil/server/admin"
	"github.com/sigil-idp/sigil/server/directory"
)

// purposeAdminSkipToken derives the key that signs the admin API's skip tokens.
const purposeAdminSkipToken = "sigil admin api skip token v1"

// adminAPI builds the Graph-shaped admin API (/v1.0) over the directory.
func adminAPI(d Deps, masters [][]byte, baseURL string, logger *slog.Logger) (*admin.Handler, error) {
	secret, err := derive(masters[0], purposeAdminSkipToken, 32)
	if err != nil {
		return nil, err
	}
	return &admin.Handler{
		Directory: &directory.Service{Store: d.Store, Keys: d.Keys},
		Roles:     &directory.Roles{Store: d.Store, Groups: directory.StoreGroups{Store: d.Store}},
		Store:     d.Store, Keys: d.Keys, BaseURL: baseURL, Secret: secret, Logger: logger,
	}, nil
}
