package httpserver

import (
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"

	"github.com/sigil-idp/sigil/server/page"
	"github.com/sigil-idp/sigil/server/requestid"
)

// RequestIDHeader carries the request ID in both directions.
const RequestIDHeader = "X-Request-Id"

// DefaultContentSecurityPolicy is sent unless the handler sets its own
// Content-Security-Policy with Header().Set (sign-in pages widen form-action
// to the application's origin; the form_post page sets its own).
var DefaultContentSecurityPolicy = page.ContentSecurityPolicy()

// hstsValue is two years, as the HSTS preload list expects.
const hstsValue = "max-age=63072000; includeSubDomains"

// Options configure the middleware and the operations endpoints.
type Options struct {
	// Logger receives the access log and recovered panics. Required.
	Logger *slog.Logger
	// HSTS sends Strict-Transport-Security; set it when browsers reach Sigil over
	// HTTPS (config.Config.PublicHTTPS).
	HSTS bool
	// Health serves /healthz and /readyz.
	Health Health
	// Metrics, when not nil, counts requests and serves /metrics.
	Metrics *Metrics
}

// Handler assembles the process's handler: the operations endpoints beside app,
// all behind Wrap's middleware. app should be a ServeMux (or pass the request it
// receives to one unchanged) so metrics can label requests by route pattern.
func Handler(app http.Handler, opts Options) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", opts.Health.Live)
	mux.HandleFunc("GET /readyz", opts.Health.Ready)
	if opts.Metrics != nil {
		mux.Handle("GET /metrics", opts.Metrics.Handler())
	}
	mux.Handle("/", app)
	return Wrap(mux, opts)
}

// Wrap puts h behind the middleware chain, outermost first: request ID, access
// log and metrics, security headers, panic recovery.
func Wrap(h http.Handler, opts Options) http.Handler {
	h = recoverPanics(h, opts.Logger)
	h = securityHeaders(h, opts.HSTS)
	h = observe(h, opts.Logger, opts.Metrics)
	return withRequestID(h)
}

// safeRequestID bounds what an incoming X-Request-Id may be before it reaches logs
// and response headers.
var safeRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestID adopts the caller's X-Request-Id when it is a short safe token,
// otherwise makes a new one; it puts the ID in the context and on the response.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !safeRequestID.MatchString(id) {
			id = requestid.New()
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(requestid.With(r.Context(), id)))
	})
}

// securityHeaders sets the headers every response carries before the handler
// runs, so a handler may replace one (Content-Security-Policy) with Header().Set.
func securityHeaders(next http.Handler, hsts bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", DefaultContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if hsts {
			h.Set("Strict-Transport-Security", hstsValue)
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a handler panic into a logged stack trace and a plain 500
// that reveals nothing but the request ID. http.ErrAbortHandler passes through, as
// net/http expects.
func recoverPanics(next http.Handler, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &headerTracker{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			id := requestid.From(r.Context())
			logger.ErrorContext(r.Context(), "panic serving request",
				"request_id", id, "method", r.Method, "path", r.URL.Path,
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if tw.wroteHeader {
				panic(http.ErrAbortHandler) // too late for a clean answer: drop the connection
			}
			writePlainError(w, http.StatusInternalServerError, id)
		}()
		next.ServeHTTP(tw, r)
	})
}

// writePlainError answers with a bare text page: no template can fail here.
func writePlainError(w http.ResponseWriter, status int, id string) {
	h := w.Header()
	for _, k := range []string{"Content-Encoding", "Content-Length", "Content-Disposition", "Location", "Set-Cookie"} {
		h.Del(k)
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", DefaultContentSecurityPolicy)
	w.WriteHeader(status)
	fmt.Fprintf(w, "%d %s\nRequest ID: %s\n", status, http.StatusText(status), id)
}

// headerTracker notes whether the response status has been sent.
type headerTracker struct {
	http.ResponseWriter
	wroteHeader bool
}

func (t *headerTracker) WriteHeader(code int) {
	t.wroteHeader = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *headerTracker) Write(b []byte) (int, error) {
	t.wroteHeader = true
	return t.ResponseWriter.Write(b)
}

// Flush sends buffered data, for handlers that stream.
func (t *headerTracker) Flush() {
	t.wroteHeader = true
	_ = http.NewResponseController(t.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (t *headerTracker) Unwrap() http.ResponseWriter { return t.ResponseWriter }
