package main

import (
	"time"

	"context"
	"github.com/sigil-idp/sigil/server/bulk"
	"log/slog"

	"github.com/sigil-idp/sigil/server"
	"github.com/sigil-idp/sigil/server/config"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/httpserver"
	"github.com/sigil-idp/sigil/server/keys"
	"github.com/sigil-idp/sigil/storage/gormstore"
)

func runServe(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("sigil serve", "[flags]",
		"Run the identity provider until SIGINT or SIGTERM, then shut down gracefully.\n"+
			"Every setting can also come from SIGIL_* variables or a YAML file (--config).")
	flags := config.Bind(fs, config.AllSettings)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := flags.Load(c.lookupEnv)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	logger := newLogger(cfg, c.stderr)
	store, km, err := openDirectory(ctx, cfg, logger, cfg.MigrateOnStart)
	if err != nil {
		return err
	}
	defer store.Close()
	return c.serveDirectory(ctx, cfg, logger, store, km, nil)
}

// serveDirectory builds the router over the open store and serves it, with the
// operations endpoints and middleware, until ctx is done, while a janitor
// sweeps expired tokens and flows. demo, when set, mounts the built-in demo
// relying party.
func (c *cli) serveDirectory(ctx context.Context, cfg config.Config, logger *slog.Logger,
	store *gormstore.Store, km *keys.Manager, demo *directory.Demo) error {
	var metrics *httpserver.Metrics
	if cfg.Metrics {
		metrics = httpserver.NewMetrics()
	}
	app, err := server.New(ctx, server.Deps{
		Config:      cfg,
		Store:       store,
		Keys:        km,
		Logger:      logger,
		Demo:        demo,
		TemplateDir: cfg.TemplateDir,
	})
	if err != nil {
		return err
	}
	handler := httpserver.Handler(app, httpserver.Options{
		Logger:  logger,
		HSTS:    cfg.PublicHTTPS(),
		Health:  httpserver.Health{Ping: store.Ping, Logger: logger},
		Metrics: metrics,
	})
	sweepCtx, stopSweeping := context.WithCancel(ctx)
	swept := make(chan struct{})
	go func() {
		defer close(swept)
		(&server.Janitor{Store: store, Logger: logger, AuditRetention: cfg.AuditRetention, SignInRetention: cfg.SignInRetention}).Run(sweepCtx)
	}()
	worked := make(chan struct{})
	go func() {
		defer close(worked)
		(&bulk.Service{Store: store, Directory: &directory.Service{Store: store, Keys: km}}).Run(sweepCtx, 2*time.Second, logger)
	}()
	defer func() { stopSweeping(); <-swept; <-worked }() // the store closes after this returns
	return c.serve(ctx, cfg, handler, logger)
}
