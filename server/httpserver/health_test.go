package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHealthzAnswersOKWhileTheDatabaseIsDown(t *testing.T) {
	t.Parallel()
	logger, _ := newLogger()
	h := Handler(http.NotFoundHandler(), Options{Logger: logger,
		Health: Health{Ping: func(context.Context) error { return errors.New("down") }}})
	rec := serve(h, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != "ok" {
		t.Errorf("/healthz = %d %q", rec.Code, rec.Body.String())
	}
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		ping       func(ctx context.Context) error
		wantStatus int
		wantBody   string
	}{
		{"ready when the ping succeeds", func(context.Context) error { return nil }, http.StatusOK, "ready"},
		{"ready without a ping", nil, http.StatusOK, "ready"},
		{"unavailable when the ping fails", func(context.Context) error { return errors.New("connection refused to db.internal") },
			http.StatusServiceUnavailable, "unavailable"},
		{"unavailable when the ping hangs past the timeout", func(ctx context.Context) error {
			time.Sleep(time.Second) // ignores ctx, like a stuck driver
			return nil
		}, http.StatusServiceUnavailable, "unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logger, logs := newLogger()
			h := Handler(http.NotFoundHandler(), Options{Logger: logger,
				Health: Health{Ping: tt.ping, Timeout: 50 * time.Millisecond, Logger: logger}})
			start := time.Now()
			rec := serve(h, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if time.Since(start) > 500*time.Millisecond {
				t.Error("readiness waited past its timeout")
			}
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			var body readiness
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", rec.Body.String(), err)
			}
			if body.Status != tt.wantBody {
				t.Errorf("status field %q, want %q", body.Status, tt.wantBody)
			}
			if strings.Contains(rec.Body.String(), "db.internal") {
				t.Error("readiness body reveals the failure's cause")
			}
			if tt.wantStatus != http.StatusOK && !strings.Contains(logs.String(), "readiness check failed") {
				t.Error("failure cause not logged")
			}
		})
	}
}
