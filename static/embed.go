// Package static holds the stylesheets and other assets of Sigil's browser
// pages, embedded in the binary and served by server/page under /_/static/.
package static

import "embed"

// FS holds the static assets (flat: no sub-directories).
//
//go:embed *.css *.js
var FS embed.FS
