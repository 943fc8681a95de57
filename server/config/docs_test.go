package config

import (
	"os"
	"strings"
	"testing"
)

// TestReferenceDocumentsEverySetting keeps docs/configuration.md in step with the
// settings table: each row names the key, variable, flag and default.
func TestReferenceDocumentsEverySetting(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	for _, s := range Settings() {
		def := "—"
		if v := s.DefaultText(d); v != "" {
			def = "`" + v + "`"
		}
		row := "| `" + s.Key + "` | `" + s.Env + "` | `--" + s.Flag + "` | " + def + " |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/configuration.md lacks the row for %s:\n%s", s.Key, row)
		}
	}
}
