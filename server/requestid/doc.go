// Package requestid carries the ID of the HTTP request being served in its
// context, so that logs, error pages and response headers name the same request.
//
// It owns only the ID's format (New) and the context key. It must not read or
// write HTTP headers: the HTTP middleware decides whether to adopt an incoming
// X-Request-Id or mint one.
package requestid
