package main

import (
	"context"
	"fmt"
	"os"

	"github.com/sigil-idp/sigil/server/config"
)

var migrateCommands = []command{
	{"up", "apply every pending migration", runMigrateUp},
	{"status", "list migrations and whether each is applied", runMigrateStatus},
}

func runMigrate(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil migrate", migrateCommands, args)
}

// loadStorageConfig parses a storage-only command line and validates it.
func (c *cli) loadStorageConfig(name, about string, args []string) (config.Config, *outputFlag, error) {
	fs := c.newFlags("sigil "+name, "[flags]", about)
	flags := config.Bind(fs, config.StorageSettings)
	out := bindOutput(fs)
	if err := parse(fs, args); err != nil {
		return config.Config{}, nil, err
	}
	cfg, err := flags.Load(c.lookupEnv)
	if err != nil {
		return config.Config{}, nil, err
	}
	if err := cfg.ValidateStorage(); err != nil {
		return config.Config{}, nil, err
	}
	return cfg, out, nil
}

func runMigrateUp(ctx context.Context, c *cli, args []string) error {
	cfg, out, err := c.loadStorageConfig("migrate up", "Apply every pending database migration.", args)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg, newLogger(cfg, c.stderr), true)
	if err != nil {
		return err
	}
	defer store.Close()
	version, err := store.Version(ctx)
	if err != nil {
		return err
	}
	return out.write(c.stdout, map[string]any{"version": version},
		fmt.Sprintf("database is at migration version %d\n", version))
}

func runMigrateStatus(ctx context.Context, c *cli, args []string) error {
	cfg, out, err := c.loadStorageConfig("migrate status", "List migrations and whether each is applied.", args)
	if err != nil {
		return err
	}
	if cfg.UsesEmbeddedDatabase() {
		if _, statErr := os.Stat(cfg.DatabaseDSN()); os.IsNotExist(statErr) && cfg.Database == "" {
			return fmt.Errorf("no database at %s yet; run `sigil migrate up`", cfg.DatabaseDSN())
		}
	}
	store, err := openStore(ctx, cfg, newLogger(cfg, c.stderr), false)
	if err != nil {
		return err
	}
	defer store.Close()
	states, err := store.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	rows := make([]migrationJSON, 0, len(states))
	for _, s := range states {
		rows = append(rows, migrationJSON{Version: s.Version, Name: s.Name, Applied: s.Applied})
	}
	return out.writeTable(c.stdout, rows, len(rows), []string{"VERSION", "APPLIED", "NAME"}, func(i int) []string {
		return []string{fmt.Sprint(rows[i].Version), fmt.Sprint(rows[i].Applied), rows[i].Name}
	})
}

// migrationJSON is the stable JSON shape of one migration.
type migrationJSON struct {
	Version int64  `json:"version"`
	Name    string `json:"name"`
	Applied bool   `json:"applied"`
}
