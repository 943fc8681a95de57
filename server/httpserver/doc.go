// Package httpserver is the HTTP shell around Sigil's router: the middleware every
// response passes through (request ID, panic recovery, security headers, access
// log, Prometheus metrics), the operations endpoints (/healthz, /readyz,
// /metrics), and the run loop (timeouts, TLS 1.2+, graceful shutdown).
//
// It owns no routes of the product and knows nothing of OAuth, tenants or
// storage: readiness is a Ping function handed in. It must never log request
// headers, bodies or query strings (authorization codes and tokens travel there).
package httpserver
