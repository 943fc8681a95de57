package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/server/config"
)

// harness runs sigil commands in-process against one temporary data directory.
type harness struct {
	t   *testing.T
	env map[string]string
	// servedCfg is the configuration of the last command that served, and
	// probes its answers to the operations endpoints, asked while it served.
	servedCfg config.Config
	probes    map[string]*httptest.ResponseRecorder
}

// operationsPaths are probed on every command that serves.
var operationsPaths = []string{"/healthz", "/readyz", "/metrics"}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return &harness{t: t, env: map[string]string{
		"SIGIL_DATA_DIR":      filepath.Join(t.TempDir(), "data"),
		"SIGIL_MASTER_SECRET": base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)),
		"SIGIL_LOG_LEVEL":     "warn",
	}}
}

type result struct {
	stdout, stderr string
	code           int
}

// run executes one command line with stdin; the HTTP server is replaced by a
// recorder so serve and demo return at once.
func (h *harness) runWithInput(stdin string, args ...string) result {
	h.t.Helper()
	var stdout, stderr bytes.Buffer
	c := &cli{
		stdin:  strings.NewReader(stdin),
		stdout: &stdout,
		stderr: &stderr,
		lookupEnv: func(k string) (string, bool) {
			v, ok := h.env[k]
			return v, ok
		},
		serve: func(_ context.Context, cfg config.Config, handler http.Handler, _ *slog.Logger) error {
			h.servedCfg, h.probes = cfg, map[string]*httptest.ResponseRecorder{}
			for _, path := range operationsPaths {
				h.probes[path] = serveRequest(handler, http.MethodGet, path)
			}
			return nil
		},
	}
	code := c.run(context.Background(), args)
	return result{stdout.String(), stderr.String(), code}
}

func (h *harness) run(args ...string) result {
	h.t.Helper()
	return h.runWithInput("", args...)
}

// mustRun runs a command that must succeed.
func (h *harness) mustRun(args ...string) string {
	h.t.Helper()
	r := h.run(args...)
	if r.code != exitOK {
		h.t.Fatalf("sigil %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// mustJSON runs a command with --output json and decodes its output into v.
func (h *harness) mustJSON(v any, args ...string) {
	h.t.Helper()
	out := h.mustRun(append(args, "--output", "json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		h.t.Fatalf("sigil %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func TestUsageErrorsExitWithTwo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantStderr []string
	}{
		{"no command prints the command list", nil, []string{"usage: sigil <command>", "tenant"}},
		{"an unknown command prints the command list", []string{"frobnicate"}, []string{`unknown command "sigil frobnicate"`, "usage:"}},
		{"an unknown subcommand prints its group", []string{"tenant", "rename"}, []string{`unknown command "sigil tenant rename"`, "create"}},
		{"an unknown flag prints the command's usage", []string{"tenant", "list", "--colour"}, []string{"flag provided but not defined: -colour", "usage: sigil tenant list"}},
		{"missing required flags are listed together", []string{"app", "create"}, []string{"missing required flag(s): --name, --tenant"}},
		{"an unknown output format is refused", []string{"tenant", "list", "--output", "yaml"}, []string{"must be text or json"}},
		{"a stray argument is refused", []string{"tenant", "list", "extra"}, []string{`unexpected argument "extra"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newHarness(t).run(tt.args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d", r.code, exitUsage)
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
		})
	}
}

func TestHelpExitsWithZero(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, args := range [][]string{{"help"}, {"--help"}, {"user", "help"}, {"serve", "-h"}, {"app", "create", "-h"}} {
		if r := h.run(args...); r.code != exitOK {
			t.Errorf("sigil %s: exit %d", strings.Join(args, " "), r.code)
		}
	}
	if r := h.run("app", "create", "-h"); !strings.Contains(r.stderr, "--redirect-uri") && !strings.Contains(r.stderr, "-redirect-uri") {
		t.Errorf("app create usage lacks its flags:\n%s", r.stderr)
	}
}

func TestServeListsEveryConfigurationProblem(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	delete(h.env, "SIGIL_MASTER_SECRET")
	h.env["SIGIL_PUBLIC_URL"] = "example.com"
	r := h.run("serve", "--listen", "8080", "--log-format", "xml")
	if r.code != exitError {
		t.Fatalf("exit %d, want %d", r.code, exitError)
	}
	for _, want := range []string{"listen:", "public_url:", "log_format:", "master_secret:"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if h.probes != nil {
		t.Error("serve started despite an invalid configuration")
	}
}

func TestServeServesWithOperationsEndpoints(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun("serve", "--listen", "127.0.0.1:0")
	if h.probes == nil {
		t.Fatal("serve did not start the server")
	}
	for path, rec := range h.probes {
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d", path, rec.Code)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s lacks the security headers", path)
		}
	}
}

func TestVersionPrintsAVersion(t *testing.T) {
	t.Parallel()
	out := newHarness(t).mustRun("version")
	if !strings.HasPrefix(out, "sigil ") {
		t.Errorf("version printed %q", out)
	}
}

func serveRequest(h http.Handler, method, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}
