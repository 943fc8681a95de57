package httpserver

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/sigil-idp/sigil/server/requestid"
)

// logBuffer is a goroutine-safe log sink.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// testApp is a small router standing in for Sigil's.
func testApp() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello/{name}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello "+r.PathValue("name")+" "+requestid.From(r.Context()))
	})
	mux.HandleFunc("GET /form-post", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'sha256-abc'")
		_, _ = io.WriteString(w, "<form>")
	})
	mux.HandleFunc("GET /panic", func(http.ResponseWriter, *http.Request) {
		panic("secret database password in panic value")
	})
	return mux
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	logger, _ := newLogger()
	h := Handler(testApp(), Options{Logger: logger})
	for _, path := range []string{"/hello/x", "/missing", "/panic", "/healthz"} {
		rec := serve(h, httptest.NewRequest(http.MethodGet, path, nil))
		want := map[string]string{
			"Content-Security-Policy":    DefaultContentSecurityPolicy,
			"X-Content-Type-Options":     "nosniff",
			"Referrer-Policy":            "no-referrer",
			"X-Frame-Options":            "DENY",
			"Cross-Origin-Opener-Policy": "same-origin",
		}
		for k, v := range want {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", path, k, got, v)
			}
		}
		if got := rec.Header().Get("Strict-Transport-Security"); got != "" {
			t.Errorf("%s: HSTS sent over plain HTTP: %q", path, got)
		}
	}
}

func TestHandlerMayReplaceTheContentSecurityPolicy(t *testing.T) {
	t.Parallel()
	logger, _ := newLogger()
	rec := serve(Handler(testApp(), Options{Logger: logger}), httptest.NewRequest(http.MethodGet, "/form-post", nil))
	if got := rec.Header().Values("Content-Security-Policy"); len(got) != 1 || !strings.Contains(got[0], "sha256-abc") {
		t.Errorf("Content-Security-Policy = %q, want only the handler's", got)
	}
}

func TestHSTSWhenServedOverHTTPS(t *testing.T) {
	t.Parallel()
	logger, _ := newLogger()
	rec := serve(Handler(testApp(), Options{Logger: logger, HSTS: true}), httptest.NewRequest(http.MethodGet, "/hello/x", nil))
	if got := rec.Header().Get("Strict-Transport-Security"); got != "max-age=63072000; includeSubDomains" {
		t.Errorf("Strict-Transport-Security = %q", got)
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		incoming string
		kept     bool
	}{
		{"echoes a safe incoming ID", "abc-123_DEF.4", true},
		{"makes one when none is sent", "", false},
		{"replaces an ID with unsafe characters", "abc\"><script>", false},
		{"replaces an ID with spaces", "a b", false},
		{"replaces an overlong ID", strings.Repeat("a", 65), false},
	}
	logger, _ := newLogger()
	h := Handler(testApp(), Options{Logger: logger})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/hello/x", nil)
			if tt.incoming != "" {
				req.Header.Set(RequestIDHeader, tt.incoming)
			}
			rec := serve(h, req)
			got := rec.Header().Get(RequestIDHeader)
			if tt.kept != (got == tt.incoming) {
				t.Errorf("response request ID %q for incoming %q", got, tt.incoming)
			}
			if !safeRequestID.MatchString(got) {
				t.Errorf("response request ID %q is not a safe token", got)
			}
			if !strings.HasSuffix(rec.Body.String(), " "+got) {
				t.Errorf("handler saw %q, response header says %q", rec.Body.String(), got)
			}
		})
	}
}

func TestRecoverAnswersAPlain500AndLogsTheStack(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	req := httptest.NewRequest(http.MethodGet, "/panic", nil)
	req.Header.Set(RequestIDHeader, "req-42")
	rec := serve(Handler(testApp(), Options{Logger: logger}), req)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	if strings.Contains(body, "password") || strings.Contains(body, "goroutine") {
		t.Errorf("500 page reveals details: %q", body)
	}
	if !strings.Contains(body, "req-42") {
		t.Errorf("500 page lacks the request ID: %q", body)
	}
	out := logs.String()
	for _, want := range []string{"panic serving request", "secret database password in panic value", "runtime/debug.Stack", `"request_id":"req-42"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestAccessLogOmitsQueryAndHeaders(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	req := httptest.NewRequest(http.MethodGet, "/hello/x?code=SECRETCODE&state=s", nil)
	req.Header.Set("Authorization", "Bearer SECRETTOKEN")
	req.Header.Set("Cookie", "sid=SECRETCOOKIE")
	rec := serve(Handler(testApp(), Options{Logger: logger}), req)
	out := logs.String()
	for _, leak := range []string{"SECRETCODE", "SECRETTOKEN", "SECRETCOOKIE", "state="} {
		if strings.Contains(out, leak) {
			t.Errorf("access log leaks %q:\n%s", leak, out)
		}
	}
	for _, want := range []string{`"method":"GET"`, `"path":"/hello/x"`, `"status":200`,
		`"bytes":` + strconv.Itoa(rec.Body.Len()), `"request_id":"` + rec.Header().Get(RequestIDHeader) + `"`, `"duration":`} {
		if !strings.Contains(out, want) {
			t.Errorf("access log lacks %s:\n%s", want, out)
		}
	}
}

func TestMetricsCountRequestsByRoutePatternAndStatusClass(t *testing.T) {
	t.Parallel()
	logger, _ := newLogger()
	h := Handler(testApp(), Options{Logger: logger, Metrics: NewMetrics()})
	serve(h, httptest.NewRequest(http.MethodGet, "/hello/alice", nil))
	serve(h, httptest.NewRequest(http.MethodGet, "/hello/bob", nil))
	serve(h, httptest.NewRequest(http.MethodGet, "/nowhere/at/all", nil))
	rec := serve(h, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	out := rec.Body.String()
	for _, want := range []string{
		`sigil_http_requests_total{method="GET",route="GET /hello/{name}",status="2xx"} 2`,
		`sigil_http_requests_total{method="GET",route="unmatched",status="4xx"} 1`,
		`sigil_http_request_duration_seconds_bucket{method="GET",route="GET /hello/{name}",status="2xx",le="+Inf"} 2`,
		"go_goroutines",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(out, "alice") {
		t.Error("metrics are labelled by raw path")
	}
}

func TestNoMetricsEndpointWhenDisabled(t *testing.T) {
	t.Parallel()
	logger, _ := newLogger()
	rec := serve(Handler(http.NotFoundHandler(), Options{Logger: logger}), httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("/metrics answered %d with metrics disabled", rec.Code)
	}
}
