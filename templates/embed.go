// Package templates holds the HTML templates of Sigil's browser pages, embedded
// in the binary. server/page parses them; an operator may replace any of them
// with a file of the same name in the override directory.
package templates

import "embed"

// FS holds every page template (*.html). base.html defines the layout; each
// other file defines the blocks "title" and "content" of one page.
//
//go:embed *.html
var FS embed.FS
