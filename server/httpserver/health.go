package httpserver

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// DefaultReadyTimeout bounds one readiness check.
const DefaultReadyTimeout = 2 * time.Second

// Health answers the liveness and readiness probes.
type Health struct {
	// Ping reports whether the dependencies answer (the database); nil means
	// always ready.
	Ping func(ctx context.Context) error
	// Timeout bounds Ping; zero means DefaultReadyTimeout.
	Timeout time.Duration
	// Logger receives the reason a readiness check failed; nil discards it.
	Logger *slog.Logger
}

// readiness is the /readyz body.
type readiness struct {
	Status string `json:"status"`
	Checks struct {
		Database string `json:"database"`
	} `json:"checks"`
}

// Live answers 200 "ok" for as long as the process serves requests (GET /healthz).
func (h Health) Live(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// Ready answers 200 when Ping succeeds within the timeout and 503 otherwise, with
// a JSON body (GET /readyz). The failure's cause is logged, not returned.
func (h Health) Ready(w http.ResponseWriter, r *http.Request) {
	var body readiness
	body.Status, body.Checks.Database = "ready", "ok"
	status := http.StatusOK
	if err := h.ping(r.Context()); err != nil {
		body.Status, body.Checks.Database = "unavailable", "unavailable"
		status = http.StatusServiceUnavailable
		if h.Logger != nil {
			h.Logger.WarnContext(r.Context(), "readiness check failed", "error", err)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func (h Health) ping(ctx context.Context) error {
	if h.Ping == nil {
		return nil
	}
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = DefaultReadyTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- h.Ping(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
