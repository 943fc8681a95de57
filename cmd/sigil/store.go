package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/sigil-idp/sigil/server/config"
	"github.com/sigil-idp/sigil/storage/gormstore"
)

// openStore opens the configured database, creating the data directory for the
// embedded SQLite file, and applies pending migrations when migrate is true.
func openStore(ctx context.Context, cfg config.Config, logger *slog.Logger, migrate bool) (*gormstore.Store, error) {
	if cfg.UsesEmbeddedDatabase() && cfg.Database == "" {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	store, err := gormstore.Open(ctx, cfg.DatabaseDSN(), gormstore.Options{Logger: logger})
	if err != nil {
		return nil, err
	}
	if migrate {
		if err := store.Migrate(ctx); err != nil {
			_ = store.Close()
			return nil, err
		}
	}
	return store, nil
}
