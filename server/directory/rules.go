package directory

import (
	"net/mail"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits on directory fields, in characters.
const (
	maxDisplayNameLength = 256
	maxNamePartLength    = 64 // given name, surname
	maxDomainLength      = 253
	maxLabelLength       = 63
	maxLocalPartLength   = 64
	maxMailLength        = 254
)

// checkDomain returns why name (already lower-cased) is not an acceptable DNS
// domain for a tenant, or "" when it is: at least two labels of letters,
// digits and inner hyphens, each at most 63 characters, at most 253 in all, and
// a top-level label that is not numeric (so an IP address is refused).
func checkDomain(name string) string {
	switch {
	case name == "":
		return "is required"
	case len(name) > maxDomainLength:
		return "must be at most 253 characters"
	case !isASCII(name):
		return "must be ASCII; write an internationalized domain in its punycode (xn--) form"
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return "must have at least two labels, like contoso.com"
	}
	for _, label := range labels {
		if msg := checkLabel(label); msg != "" {
			return msg
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return "must not end in a numeric label (IP addresses are not domains)"
	}
	return ""
}

func checkLabel(label string) string {
	switch {
	case label == "":
		return "must not contain empty labels (leading, trailing or doubled dots)"
	case len(label) > maxLabelLength:
		return "must not contain a label longer than 63 characters"
	case label[0] == '-' || label[len(label)-1] == '-':
		return "labels must not start or end with a hyphen"
	}
	for _, c := range label {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return "may contain only letters, digits, hyphens and dots"
		}
	}
	return ""
}

// checkLocalPart returns why the part of a user principal name before the @ is
// not acceptable, or "" when it is. The rules are Entra's: letters, digits and
// ' . - _ ! # ^ ~, at most 64 characters, no dot first, last or doubled.
func checkLocalPart(local string) string {
	switch {
	case local == "":
		return "must have a name before the @"
	case len(local) > maxLocalPartLength:
		return "must have at most 64 characters before the @"
	case local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, ".."):
		return "must not start or end with a dot or contain two dots in a row before the @"
	}
	for _, c := range local {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("'.-_!#^~", c)) {
			return "may contain only letters, digits and ' . - _ ! # ^ ~ before the @"
		}
	}
	return ""
}

// checkText returns why a free-text field is unacceptable, or "" when it is
// fine: at most max characters, valid UTF-8, no control characters.
func checkText(value string, max int) string {
	switch {
	case !utf8.ValidString(value):
		return "must be valid UTF-8 text"
	case utf8.RuneCountInString(value) > max:
		return "must be at most " + strconv.Itoa(max) + " characters"
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		return "must not contain control characters"
	}
	return ""
}

// checkMail returns why value is not a bare e-mail address, or "" when it is.
func checkMail(value string) string {
	if len(value) > maxMailLength {
		return "must be at most 254 characters"
	}
	addr, err := mail.ParseAddress(value)
	if err != nil || addr.Address != value || addr.Name != "" {
		return "must be an e-mail address like alex@contoso.com"
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
