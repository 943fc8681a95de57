package page

import (
	"fmt"
	"strings"
)

// catalogues are the translations of the page strings by language; English
// is the key itself.
var catalogues = map[string]map[string]string{
	"de": catalogueDE,
	"fr": catalogueFR,
	"es": catalogueES,
	"ar": catalogueAR,
	"he": catalogueHE,
}

// Languages of the catalogue, English first.
var supportedLanguages = []string{"en", "de", "fr", "es", "ar", "he"}

// SupportedLanguages lists the languages Sigil's own page strings are
// translated into.
func SupportedLanguages() []string { return append([]string(nil), supportedLanguages...) }

func hasCatalogue(lang string) bool {
	_, ok := catalogues[lang]
	return ok || lang == "en"
}

// translate looks msg up in lang's catalogue (English when missing) and
// formats args into it. Every verb in the catalogue is %s.
func translate(lang, msg string, args ...any) string {
	if tr, ok := catalogues[lang][msg]; ok {
		msg = tr
	}
	if len(args) == 0 || !strings.Contains(msg, "%") {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}
