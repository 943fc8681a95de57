package main

import (
	"os"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/config"
)

// TestReadmeDocumentsEveryCommandAndSetting keeps the README's CLI reference and
// configuration table in step with the command tables and the settings.
func TestReadmeDocumentsEveryCommandAndSetting(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	groups := map[string][]command{
		"migrate": migrateCommands, "keys": keysCommands, "tenant": tenantCommands,
		"user": userCommands, "group": groupCommands, "app": appCommands, "branding": brandingCommands,
		"role": roleCommands, "approle": appRoleCommands, "password": passwordCommands,
		"audit": auditCommands, "api-permission": apiPermissionCommands, "bulk": bulkCommands,
	}
	for _, cmd := range commands {
		subs, isGroup := groups[cmd.name]
		if !isGroup {
			if !strings.Contains(readme, "`sigil "+cmd.name) {
				t.Errorf("README lacks `sigil %s`", cmd.name)
			}
			continue
		}
		for _, sub := range subs {
			if !strings.Contains(readme, "`sigil "+cmd.name+" "+sub.name) {
				t.Errorf("README lacks `sigil %s %s`", cmd.name, sub.name)
			}
		}
	}
	for _, s := range config.Settings() {
		if !strings.Contains(readme, "| `"+s.Env+"` | `--"+s.Flag+"` |") {
			t.Errorf("README's configuration table lacks %s", s.Env)
		}
	}
}
