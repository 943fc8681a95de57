package page

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// maxLanguageTags bounds how many preferences of a request are considered.
const maxLanguageTags = 16

// rtlLanguages are written right to left (H-29).
var rtlLanguages = map[string]bool{"ar": true, "he": true, "fa": true, "ur": true}

// Direction is the HTML dir attribute for a language tag: "rtl" for Arabic,
// Hebrew, Persian and Urdu, else "ltr".
func Direction(lang string) string {
	if rtlLanguages[baseLanguage(lang)] {
		return "rtl"
	}
	return "ltr"
}

// Languages lists the reader's preferred languages, most preferred first:
// the sign-in request's ui_locales (from WithUILocales, or the query of the
// request itself), then the Accept-Language header by quality. Tags are
// lower-cased; malformed ones are dropped.
func Languages(r *http.Request) []string {
	var out []string
	ui, _ := r.Context().Value(localesKey{}).(string)
	if ui == "" {
		ui = r.URL.Query().Get("ui_locales")
	}
	for _, tag := range strings.Fields(ui) {
		out = appendTag(out, tag)
	}
	for _, tag := range acceptLanguage(r.Header.Get("Accept-Language")) {
		out = appendTag(out, tag)
	}
	return out
}

// Pick returns the first of preferred whose exact tag or base language is in
// available, else fallback. Exact matches of a preference win over its base.
func Pick(preferred []string, available func(string) bool, fallback string) string {
	for _, tag := range preferred {
		if available(tag) {
			return tag
		}
		if base := baseLanguage(tag); available(base) {
			return base
		}
	}
	return fallback
}

func appendTag(out []string, tag string) []string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if len(out) >= maxLanguageTags || !validTag(tag) {
		return out
	}
	for _, have := range out {
		if have == tag {
			return out
		}
	}
	return append(out, tag)
}

// acceptLanguage parses an Accept-Language header (RFC 9110 §12.5.4) into
// tags by descending quality, dropping q=0 and the wildcard.
func acceptLanguage(header string) []string {
	type weighted struct {
		tag string
		q   float64
	}
	var tags []weighted
	for i, part := range strings.Split(header, ",") {
		if i >= maxLanguageTags {
			break
		}
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q <= 0 || tag == "*" {
			continue
		}
		tags = append(tags, weighted{tag, q})
	}
	sort.SliceStable(tags, func(i, j int) bool { return tags[i].q > tags[j].q })
	out := make([]string, len(tags))
	for i, w := range tags {
		out[i] = w.tag
	}
	return out
}

// validTag accepts BCP 47-shaped tags: 1-8 letter subtags of letters and
// digits joined by hyphens, at most 35 characters.
func validTag(tag string) bool {
	if tag == "" || len(tag) > 35 {
		return false
	}
	for _, sub := range strings.Split(tag, "-") {
		if sub == "" || len(sub) > 8 {
			return false
		}
		for _, c := range sub {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

func baseLanguage(tag string) string {
	base, _, _ := strings.Cut(tag, "-")
	return base
}
