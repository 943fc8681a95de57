package browsertest

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// stepTimeout bounds one step: a page load, a key press and what it causes.
const stepTimeout = 15 * time.Second

// do runs actions with the step timeout and fails the test on an error.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v (the browser is at %s)", what, err, tb.location())
	}
}

// evaluate runs a JavaScript expression in the page and decodes its value.
func evaluate[T any](tb *tab, expression string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expression, err)
	}
	return v
}

func (tb *tab) location() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "an unknown page (" + err.Error() + ")"
	}
	return loc
}

// open loads u and waits for the page's load event.
func (tb *tab) open(u string) {
	tb.t.Helper()
	tb.do("open "+u, chromedp.Navigate(u))
}

// typeText types into whichever element has focus, one key at a time.
func (tb *tab) typeText(text string) {
	tb.t.Helper()
	tb.do("type", chromedp.KeyEvent(text))
}

// pressToLoad presses a key and waits for the page it leads to.
func (tb *tab) pressToLoad(key string) {
	tb.t.Helper()
	tb.do("press a key and wait for the next page", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(key))(ctx, t)
		return err
	}))
}

// press presses a key and does not wait for anything.
func (tb *tab) press(key string) {
	tb.t.Helper()
	tb.do("press a key", chromedp.KeyEvent(key))
}

// focusedID is the id of the element that has keyboard focus.
func (tb *tab) focusedID() string {
	tb.t.Helper()
	return evaluate[string](tb, `document.activeElement ? document.activeElement.id : ""`)
}

// alertText is the text of the page's role=alert element, or "" without one.
func (tb *tab) alertText() string {
	tb.t.Helper()
	return evaluate[string](tb, `(document.querySelector('[role="alert"]') || {textContent: ""}).textContent.trim()`)
}

// expectField waits for the page with the input id and checks it has focus.
func (tb *tab) expectField(id string) {
	tb.t.Helper()
	tb.do("wait for the "+id+" page", chromedp.WaitVisible(chromedp.ID(id)))
	// The browser applies autofocus in a rendering step after the element is
	// visible, so the check waits for it (briefly) instead of sampling once.
	got := tb.focusedID()
	for deadline := time.Now().Add(3 * time.Second); got != id && time.Now().Before(deadline); got = tb.focusedID() {
		time.Sleep(25 * time.Millisecond)
	}
	if got != id {
		tb.t.Fatalf("the %s page opened with focus on %q, want the %s field", id, got, id)
	}
}

// signInUsername expects the username page with the field focused, types the
// name and presses Enter.
func (tb *tab) signInUsername(username string) {
	tb.t.Helper()
	tb.expectField("username")
	tb.typeText(username)
	tb.pressToLoad(kb.Enter)
}

// signInPassword expects the password page with the field focused, types the
// password and presses Enter.
func (tb *tab) signInPassword(password string) {
	tb.t.Helper()
	tb.expectField("password")
	tb.typeText(password)
	tb.pressToLoad(kb.Enter)
}

// rpRequest is a request the browser sent to the relying party.
type rpRequest struct {
	Method string
	URL    *url.URL
	// Params are the query parameters of a GET or the form fields of a POST.
	Params url.Values
}

// awaitRP waits for the browser to send a request to the relying party,
// records it and fails it, as the relying party does not exist. whileHeld, if
// not nil, runs while the browser waits for the request, still showing the
// page that sent it.
func (tb *tab) awaitRP(whileHeld func()) rpRequest {
	tb.t.Helper()
	var ev *fetch.EventRequestPaused
	select {
	case ev = <-tb.toRP:
	case r := <-tb.blocked:
		tb.t.Fatalf("the browser refused to go on to %s: the submitted page's CSP form-action does not allow it, "+
			"and browsers apply form-action to the redirects after a form submission (%s); all reports: %v", rpOrigin, r, tb.recorded())
	case <-time.After(stepTimeout):
		tb.t.Fatalf("the browser sent nothing to %s; it is at %s; the pages reported %v", rpOrigin, tb.location(), tb.recorded())
	}
	if whileHeld != nil {
		whileHeld()
	}
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonAborted}); err != nil {
		tb.t.Fatalf("fail the request to the relying party: %v", err)
	}
	u, err := url.Parse(ev.Request.URL)
	if err != nil {
		tb.t.Fatalf("request to the relying party: %v", err)
	}
	req := rpRequest{Method: ev.Request.Method, URL: u, Params: u.Query()}
	if ev.Request.Method == "POST" {
		var body strings.Builder
		for _, e := range ev.Request.PostDataEntries {
			body.Write(e.Bytes)
		}
		if req.Params, err = url.ParseQuery(body.String()); err != nil {
			tb.t.Fatalf("form body sent to the relying party: %v", err)
		}
	}
	return req
}
