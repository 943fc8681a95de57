package httpserver

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// certCheckInterval is how often the certificate files are checked for renewal.
const certCheckInterval = time.Minute

// certReloader serves the certificate from disk and picks up a renewed one
// (certbot, cert-manager) without a restart. A renewal that fails to load is
// logged and the previous certificate stays in use.
type certReloader struct {
	certFile, keyFile string
	logger            *slog.Logger

	mu        sync.Mutex
	cert      *tls.Certificate
	modified  time.Time
	checkedAt time.Time
}

func newCertReloader(certFile, keyFile string, logger *slog.Logger) (*certReloader, error) {
	c := &certReloader{certFile: certFile, keyFile: keyFile, logger: logger}
	modified, err := c.lastModified()
	if err != nil {
		return nil, err
	}
	if err := c.load(modified); err != nil {
		return nil, err
	}
	return c, nil
}

// GetCertificate is the tls.Config hook.
func (c *certReloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checkedAt) >= certCheckInterval {
		c.checkedAt = time.Now()
		modified, err := c.lastModified()
		if err == nil && modified.After(c.modified) {
			err = c.load(modified)
		}
		if err != nil {
			c.logger.Error("TLS certificate reload failed; keeping the current one", "error", err)
		}
	}
	return c.cert, nil
}

// lastModified is the newer of the two files' modification times.
func (c *certReloader) lastModified() (time.Time, error) {
	var latest time.Time
	for _, path := range []string{c.certFile, c.keyFile} {
		info, err := os.Stat(path)
		if err != nil {
			return time.Time{}, fmt.Errorf("TLS: %w", err)
		}
		if info.ModTime().After(latest) {
			latest = info.ModTime()
		}
	}
	return latest, nil
}

func (c *certReloader) load(modified time.Time) error {
	cert, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		return fmt.Errorf("TLS: load certificate and key: %w", err)
	}
	c.cert, c.modified, c.checkedAt = &cert, modified, time.Now()
	return nil
}
