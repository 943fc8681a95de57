package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/sigil-idp/sigil/server/config"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/storage/gormstore"
)

// adminFlags is the command line every admin command shares: the storage
// settings (--database, --config, ...) and --output.
type adminFlags struct {
	fs     *flag.FlagSet
	config *config.Flags
	output *outputFlag
}

func (c *cli) adminFlags(name, synopsis, about string) *adminFlags {
	fs := c.newFlags("sigil "+name, synopsis, about)
	return &adminFlags{fs: fs, config: config.Bind(fs, config.StorageSettings), output: bindOutput(fs)}
}

// admin is an open directory for one admin command.
type admin struct {
	cfg    config.Config
	logger *slog.Logger
	store  *gormstore.Store
	keys   *keys.Manager
	dir    *directory.Service
	out    *outputFlag
	stdout io.Writer
}

// open parses args, validates the configuration and opens the directory.
// checkArgs runs after parsing, to report missing command flags first.
func (f *adminFlags) open(ctx context.Context, c *cli, args []string, checkArgs func() error) (*admin, error) {
	if err := parse(f.fs, args); err != nil {
		return nil, err
	}
	if checkArgs != nil {
		if err := checkArgs(); err != nil {
			return nil, err
		}
	}
	cfg, err := f.config.Load(c.lookupEnv)
	if err != nil {
		return nil, err
	}
	if err := cfg.ValidateAdmin(); err != nil {
		return nil, err
	}
	logger := newLogger(cfg, c.stderr)
	store, km, err := openDirectory(ctx, cfg, logger, cfg.MigrateOnStart)
	if err != nil {
		return nil, err
	}
	return &admin{
		cfg: cfg, logger: logger, store: store, keys: km,
		dir: &directory.Service{Store: store, Keys: km},
		out: f.output, stdout: c.stdout,
	}, nil
}

func (a *admin) close() { _ = a.store.Close() }

// openDirectory opens the store (migrating it when asked) and the key manager.
func openDirectory(ctx context.Context, cfg config.Config, logger *slog.Logger, migrate bool) (*gormstore.Store, *keys.Manager, error) {
	masters, err := cfg.MasterSecrets()
	if err != nil {
		return nil, nil, err
	}
	store, err := openStore(ctx, cfg, logger, migrate)
	if err != nil {
		return nil, nil, err
	}
	km, err := keys.NewManager(store, masters, keys.Options{Logger: logger})
	if err != nil {
		return nil, nil, errors.Join(err, store.Close())
	}
	return store, km, nil
}

// tenantID resolves --tenant (an ID or a verified domain) to the tenant ID.
func (a *admin) tenantID(ctx context.Context, idOrDomain string) (string, error) {
	t, err := a.dir.GetTenant(ctx, idOrDomain)
	if err != nil {
		return "", fmt.Errorf("tenant %q: %w", idOrDomain, err)
	}
	return t.ID, nil
}

// openTenant is open for a tenant-scoped command: --tenant and the other named
// flags must be set. It returns the open directory and the tenant's ID.
func (f *adminFlags) openTenant(ctx context.Context, c *cli, args []string, tenant *string, others map[string]*string) (*admin, string, error) {
	a, err := f.open(ctx, c, args, func() error {
		flags := map[string]string{"tenant": *tenant}
		for name, value := range others {
			flags[name] = *value
		}
		return required(f.fs, flags)
	})
	if err != nil {
		return nil, "", err
	}
	id, err := a.tenantID(ctx, *tenant)
	if err != nil {
		a.close()
		return nil, "", err
	}
	return a, id, nil
}
