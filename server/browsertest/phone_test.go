package browsertest

import (
	"testing"

	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// layout is what a phone user sees of a page's width.
type layout struct {
	InnerWidth  float64 `json:"innerWidth"`
	ScrollWidth float64 `json:"scrollWidth"`
	BoxLeft     float64 `json:"boxLeft"`
	BoxRight    float64 `json:"boxRight"`
}

const measureLayout = `(() => {
	const box = document.querySelector(".ext-sign-in-box").getBoundingClientRect();
	return {innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
		boxLeft: box.left, boxRight: box.right};
})()`

// TestPagesFitAPhone loads every sign-in page at 390×844 with mobile
// emulation, where a page without a working meta viewport would be laid out
// 980 pixels wide, and checks that the sign-in box fits the screen and the page
// does not scroll sideways.
func TestPagesFitAPhone(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	t.Run("pages are usable on a phone without horizontal scrolling", func(t *testing.T) {
		t.Parallel()
		env := servertest.New(t, gormstoretest.SQLite(t), servertest.Options{})
		tb := b.newTab(t, env, phone)

		tb.open(errorPageURL(env))
		tb.checkFitsPhone("error")
		tb.open(env.OAuth2(env.ThirdParty, env.ThirdSecret).AuthCodeURL("state-phone", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		tb.checkFitsPhone("username")
		tb.signInUsername(env.User.UserPrincipalName)
		tb.checkFitsPhone("password")
		tb.signInPassword("not the password")
		tb.checkFitsPhone("password with an error")
		tb.signInPassword(servertest.Password)
		tb.expectConsent()
		tb.checkFitsPhone("consent")
	})
}

func (tb *tab) checkFitsPhone(pageName string) {
	tb.t.Helper()
	l := evaluate[layout](tb, measureLayout)
	if l.InnerWidth != float64(tb.vp.width) {
		tb.t.Errorf("%s page: the layout viewport is %v px wide on a %d px phone (meta viewport missing or ignored)", pageName, l.InnerWidth, tb.vp.width)
	}
	if l.ScrollWidth > l.InnerWidth {
		tb.t.Errorf("%s page scrolls sideways: content %v px wide in a %v px window", pageName, l.ScrollWidth, l.InnerWidth)
	}
	if l.BoxLeft < 0 || l.BoxRight > l.InnerWidth {
		tb.t.Errorf("%s page: the sign-in box spans %v–%v px, outside the %v px window", pageName, l.BoxLeft, l.BoxRight, l.InnerWidth)
	}
}
