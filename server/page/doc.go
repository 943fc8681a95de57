// Package page renders Sigil's branded browser pages (sign-in steps, consent,
// sign-out and the error page) from the embedded templates, and serves the
// static assets they link to.
//
// A Renderer parses every template once, at construction; an operator may
// replace any template or asset with a file of the same name in an override
// directory. Assets are addressed by content-hash URLs so they can be cached
// for a year and still change on upgrade.
//
// It owns the HTML and how it reaches the browser (status, content type,
// caching). It must not decide what a page says about a request: callers pass
// the data and the message, and it never reveals internal errors beyond the
// request ID (server/requestid) that the error page shows.
package page
