// Package browsertest drives Sigil's sign-in pages in a real browser — Debian's
// headless Chromium at /usr/bin/chromium, through the Chrome DevTools Protocol
// (github.com/chromedp/chromedp) — against the complete server that
// server/servertest runs on an httptest TLS listener with a real SQLite store.
//
// The tests check what only a browser can: that a person signs in with the
// keyboard alone (autofocus, Enter submits, the consent page's Accept button
// has focus), that no page runs inline script or trips its
// Content-Security-Policy, that response_mode=form_post posts the response to
// the client by itself, and that the pages fit a phone's viewport without
// horizontal scrolling. Each test starts its own browser with a fresh profile
// directory and gives each subtest a tab in a browser context of its own (no
// shared cookies). The browser trusts only the test server's key and resolves
// no host name; the relying party's redirect URI is never reached: the
// browser's request to it is intercepted, recorded and failed.
//
// The tests skip when /usr/bin/chromium is missing, except in CI (CI=true),
// where they fail. They take screenshots of the pages at desktop (1280×800) and
// phone (390×844) sizes and check each is a PNG of the viewport's width under
// 200 KB; to refresh the committed copies in docs/screenshots, run
//
//	go test ./server/browsertest/ -args -screenshots=../../docs/screenshots
//
// The package holds tests only. It must not be imported, must not download a
// browser, and must not reach any host but the test server.
package browsertest
