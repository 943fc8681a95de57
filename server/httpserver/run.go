package httpserver

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/sigil-idp/sigil/server/config"
)

// Limits of every connection. Sigil's pages and token responses are small; none
// needs a long write or a large header.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
	MaxHeaderBytes    = 64 << 10
)

// NewServer returns an http.Server with Sigil's timeouts and limits, TLS 1.2 as
// the floor (E-29), and net/http's own errors sent to logger.
func NewServer(cfg config.Config, handler http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              cfg.Listen,
		Handler:           handler,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// Run listens on cfg.Listen and serves handler until ctx is done; see Serve.
func Run(ctx context.Context, cfg config.Config, handler http.Handler, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	return Serve(ctx, ln, cfg, handler, logger)
}

// Serve serves handler on ln (over TLS when cfg names a certificate and key)
// until ctx is done, then shuts down gracefully: it stops accepting, lets
// in-flight requests finish for up to cfg.ShutdownTimeout, and then closes what
// remains. It returns nil after a clean shutdown. Serve closes ln.
func Serve(ctx context.Context, ln net.Listener, cfg config.Config, handler http.Handler, logger *slog.Logger) error {
	srv := NewServer(cfg, handler, logger)
	serve := func() error { return srv.Serve(ln) }
	scheme := "http"
	if cfg.TLSEnabled() {
		certs, err := newCertReloader(cfg.TLSCertFile, cfg.TLSKeyFile, logger)
		if err != nil {
			return errors.Join(err, ln.Close())
		}
		srv.TLSConfig.GetCertificate = certs.GetCertificate
		serve = func() error { return srv.ServeTLS(ln, "", "") }
		scheme = "https"
	}
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	logger.Info("serving", "address", ln.Addr().String(), "scheme", scheme, "public_url", cfg.PublicURL)

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return errors.Join(fmt.Errorf("graceful shutdown: %w", err), srv.Close())
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}
