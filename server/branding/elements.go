package branding

import (
	"reflect"
)

// Elements is one localization of the company branding, in the shape of
// Microsoft Graph's organizationalBranding (H-07, H-43). Every element is
// optional (H-03): a nil field is unset and falls back — in a per-language
// localization to the default branding, in the default branding to Sigil's
// own look. The *RelativeUrl fields name uploaded assets
// ("<sha256>.png|jpg|css"); they are set by SetImage and SetCustomCSS, never
// by a patch.
type Elements struct {
	BackgroundColor            *string `json:"backgroundColor,omitempty"`
	BackgroundImageRelativeURL *string `json:"backgroundImageRelativeUrl,omitempty"`
	BannerLogoRelativeURL      *string `json:"bannerLogoRelativeUrl,omitempty"`
	HeaderLogoRelativeURL      *string `json:"headerLogoRelativeUrl,omitempty"`
	FaviconRelativeURL         *string `json:"faviconRelativeUrl,omitempty"`
	SquareLogoRelativeURL      *string `json:"squareLogoRelativeUrl,omitempty"`
	SquareLogoDarkRelativeURL  *string `json:"squareLogoDarkRelativeUrl,omitempty"`
	CustomCSSRelativeURL       *string `json:"customCSSRelativeUrl,omitempty"`

	// SignInPageTitle and SignInPageDescription are the larger text below
	// the banner logo and the text describing the page (elements 7 and 8).
	SignInPageTitle       *string `json:"signInPageTitle,omitempty"`
	SignInPageDescription *string `json:"signInPageDescription,omitempty"`
	UsernameHintText      *string `json:"usernameHintText,omitempty"`
	SignInPageText        *string `json:"signInPageText,omitempty"`

	CustomPrivacyAndCookiesText *string `json:"customPrivacyAndCookiesText,omitempty"`
	CustomPrivacyAndCookiesURL  *string `json:"customPrivacyAndCookiesUrl,omitempty"`
	CustomTermsOfUseText        *string `json:"customTermsOfUseText,omitempty"`
	CustomTermsOfUseURL         *string `json:"customTermsOfUseUrl,omitempty"`

	// Self-service password reset (H-25): the common URL and the texts of
	// the username and password collection screens.
	CustomAccountResetCredentialsURL  *string `json:"customAccountResetCredentialsUrl,omitempty"`
	CustomCannotAccessYourAccountText *string `json:"customCannotAccessYourAccountText,omitempty"`
	CustomForgotMyPasswordText        *string `json:"customForgotMyPasswordText,omitempty"`

	LoginPageLayoutConfiguration    *LayoutConfiguration `json:"loginPageLayoutConfiguration,omitempty"`
	LoginPageTextVisibilitySettings *TextVisibility      `json:"loginPageTextVisibilitySettings,omitempty"`
}

// Layout templates (H-12).
const (
	TemplateFullScreen    = "default"       // full-screen background, box centred
	TemplateVerticalSplit = "verticalSplit" // partial-screen background
)

// LayoutConfiguration is the Layout section: template, header and footer
// (H-12, H-13).
type LayoutConfiguration struct {
	LayoutTemplateType *string `json:"layoutTemplateType,omitempty"`
	IsHeaderShown      *bool   `json:"isHeaderShown,omitempty"`
	IsFooterShown      *bool   `json:"isFooterShown,omitempty"`
}

// TextVisibility hides the footer items and the SSPR line (H-16, H-17, H-25).
type TextVisibility struct {
	HidePrivacyAndCookies       *bool `json:"hidePrivacyAndCookies,omitempty"`
	HideTermsOfUse              *bool `json:"hideTermsOfUse,omitempty"`
	HideAccountResetCredentials *bool `json:"hideAccountResetCredentials,omitempty"`
}

// Merge returns the elements of loc with every unset element taken from
// base: the element-by-element fallback of a per-language localization to the
// default branding (H-28). Neither argument is modified.
func Merge(loc, base Elements) Elements {
	out := loc
	mergeStruct(reflect.ValueOf(&out).Elem(), reflect.ValueOf(base))
	return out
}

// mergeStruct fills the nil pointer fields of dst from src, merging nested
// structs field by field. Every field of Elements and its parts is a pointer.
func mergeStruct(dst, src reflect.Value) {
	for i := 0; i < dst.NumField(); i++ {
		d, s := dst.Field(i), src.Field(i)
		switch {
		case s.IsNil():
		case d.IsNil():
			d.Set(s)
		case d.Elem().Kind() == reflect.Struct:
			merged := reflect.New(d.Elem().Type())
			merged.Elem().Set(d.Elem())
			mergeStruct(merged.Elem(), s.Elem())
			d.Set(merged)
		}
	}
}

// assets lists the asset names the elements refer to.
func (e Elements) assets() []string {
	var names []string
	for _, p := range []*string{
		e.BackgroundImageRelativeURL, e.BannerLogoRelativeURL, e.HeaderLogoRelativeURL, e.FaviconRelativeURL,
		e.SquareLogoRelativeURL, e.SquareLogoDarkRelativeURL, e.CustomCSSRelativeURL,
	} {
		if p != nil && *p != "" {
			names = append(names, *p)
		}
	}
	return names
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func flag(p *bool, unset bool) bool {
	if p == nil {
		return unset
	}
	return *p
}
