package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func runVersion(_ context.Context, c *cli, args []string) error {
	fs := c.newFlags("sigil version", "", "Print the version of this binary.")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "sigil %s (%s)\n", buildVersion(), runtime.Version())
	return nil
}

// buildVersion is the linker-set version, else the module version or VCS
// revision recorded by the Go toolchain.
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}
