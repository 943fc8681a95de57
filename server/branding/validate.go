package branding

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sigil-idp/sigil/server/branding/markup"
	"github.com/sigil-idp/sigil/server/directory"
)

// Text limits in Unicode characters. Only the sign-in page text's comes from
// the seed (H-22); the others are Sigil's, sized for one line of the page.
const (
	maxTitle       = 100
	maxDescription = 256
	maxHint        = 64
	maxLinkText    = 64
	maxURL         = 2048
)

var (
	colourPattern = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
	assetPattern  = regexp.MustCompile(`^[0-9a-f]{64}\.(?:png|jpg|css)$`)
	localePattern = regexp.MustCompile(`^[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,3}$`)
)

// problems collects what is wrong with an input.
type problems []directory.Problem

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, directory.Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &directory.ValidationError{Problems: p}
}

// Validate reports every problem with e at once as a
// *directory.ValidationError, fields named as in the Graph shape.
func Validate(e Elements) error {
	var p problems
	if c := e.BackgroundColor; c != nil && !colourPattern.MatchString(*c) {
		p.add("backgroundColor", "use a hex colour such as #0067b8 or #fff")
	}
	if l := e.LoginPageLayoutConfiguration; l != nil && l.LayoutTemplateType != nil {
		if t := *l.LayoutTemplateType; t != TemplateFullScreen && t != TemplateVerticalSplit {
			p.add("loginPageLayoutConfiguration.layoutTemplateType", "use %q (full-screen background) or %q (partial-screen background)", TemplateFullScreen, TemplateVerticalSplit)
		}
	}
	if t := e.SignInPageText; t != nil {
		if err := markup.Validate(*t); err != nil {
			p.add("signInPageText", "%v", err)
		}
	}
	texts := []struct {
		field string
		value *string
		max   int
	}{
		{"signInPageTitle", e.SignInPageTitle, maxTitle},
		{"signInPageDescription", e.SignInPageDescription, maxDescription},
		{"usernameHintText", e.UsernameHintText, maxHint},
		{"customPrivacyAndCookiesText", e.CustomPrivacyAndCookiesText, maxLinkText},
		{"customTermsOfUseText", e.CustomTermsOfUseText, maxLinkText},
		{"customCannotAccessYourAccountText", e.CustomCannotAccessYourAccountText, maxDescription},
		{"customForgotMyPasswordText", e.CustomForgotMyPasswordText, maxDescription},
	}
	for _, t := range texts {
		if t.value != nil {
			checkLine(&p, t.field, *t.value, t.max)
		}
	}
	for field, u := range map[string]*string{
		"customPrivacyAndCookiesUrl":       e.CustomPrivacyAndCookiesURL,
		"customTermsOfUseUrl":              e.CustomTermsOfUseURL,
		"customAccountResetCredentialsUrl": e.CustomAccountResetCredentialsURL,
	} {
		if u != nil {
			checkURL(&p, field, *u)
		}
	}
	for field, a := range e.assetFields() {
		if a != nil && !assetPattern.MatchString(*a) {
			p.add(field, "is set by uploading the file, not by a value")
		}
	}
	return p.err()
}

// checkLine accepts one line of Unicode text of at most max characters.
func checkLine(p *problems, field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		p.add(field, "must be valid Unicode (UTF-8)")
	case utf8.RuneCountInString(s) > max:
		p.add(field, "has %d characters; it can't exceed %d", utf8.RuneCountInString(s), max)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		p.add(field, "must be a single line without control characters")
	}
}

// checkURL accepts an absolute https URL. It is shown as text, never as a
// link (H-06), but must still be a URL a person can copy.
func checkURL(p *problems, field, raw string) {
	u, err := url.Parse(raw)
	switch {
	case len(raw) > maxURL:
		p.add(field, "is longer than %d characters", maxURL)
	case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil:
		p.add(field, "must be an absolute https:// URL, for example https://contoso.com/privacy")
	case strings.ContainsFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		p.add(field, "must not contain spaces or control characters")
	}
}

// ValidLocale reports whether tag is a lower-case BCP 47 language tag such as
// "de" or "pt-br", the key of a per-language localization.
func ValidLocale(tag string) bool { return localePattern.MatchString(tag) }

func (e Elements) assetFields() map[string]*string {
	return map[string]*string{
		"backgroundImageRelativeUrl": e.BackgroundImageRelativeURL,
		"bannerLogoRelativeUrl":      e.BannerLogoRelativeURL,
		"headerLogoRelativeUrl":      e.HeaderLogoRelativeURL,
		"faviconRelativeUrl":         e.FaviconRelativeURL,
		"squareLogoRelativeUrl":      e.SquareLogoRelativeURL,
		"squareLogoDarkRelativeUrl":  e.SquareLogoDarkRelativeURL,
		"customCSSRelativeUrl":       e.CustomCSSRelativeURL,
	}
}
