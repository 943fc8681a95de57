package server

import (
	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/geoip"
)

// accessService builds security defaults and Conditional Access over the
// store, with the GeoIP database when one is configured (loaded once, at
// start: a missing or malformed file stops the server).
func accessService(d Deps, roles *directory.Roles) (*access.Service, access.StoreConfig, error) {
	var db *geoip.DB
	if path := d.Config.GeoIPDatabase; path != "" {
		var err error
		if db, err = geoip.Open(path); err != nil {
			return nil, access.StoreConfig{}, err
		}
		d.Logger.Info("GeoIP database loaded", "path", path, "ranges", db.Len())
	}
	cfg := access.StoreConfig{Store: d.Store}
	return &access.Service{Store: d.Store, Roles: roles, GeoIP: db, Config: cfg}, cfg, nil
}
