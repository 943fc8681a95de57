package main

import (
	"strings"
	"testing"
)

func createTenant(t *testing.T, h *harness, domain string) tenantJSON {
	t.Helper()
	var tenant tenantJSON
	h.mustJSON(&tenant, "tenant", "create", "--name", "Contoso", "--domain", domain)
	return tenant
}

func TestTenantCreateListDelete(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	created := createTenant(t, h, "contoso.example")
	if created.ID == "" || created.DisplayName != "Contoso" || len(created.Domains) != 1 || created.Domains[0] != "contoso.example" {
		t.Fatalf("created %+v", created)
	}

	var listed []tenantJSON
	h.mustJSON(&listed, "tenant", "list")
	if len(listed) != 1 || listed[0].ID != created.ID {
		t.Fatalf("listed %+v", listed)
	}
	if text := h.mustRun("tenant", "list"); !strings.Contains(text, "contoso.example") || !strings.Contains(text, "ID") {
		t.Errorf("text listing: %q", text)
	}

	if r := h.run("tenant", "create", "--name", "Again", "--domain", "contoso.example"); r.code != exitError ||
		!strings.Contains(r.stderr, "already used") {
		t.Errorf("duplicate domain: exit %d, stderr %q", r.code, r.stderr)
	}

	h.mustRun("tenant", "delete", "--tenant", "contoso.example")
	h.mustJSON(&listed, "tenant", "list")
	if len(listed) != 0 {
		t.Errorf("tenant still listed after delete: %+v", listed)
	}
	if r := h.run("tenant", "delete", "--tenant", created.ID); r.code != exitError || !strings.Contains(r.stderr, "not found") {
		t.Errorf("deleting a missing tenant: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestUserCreateWithAGeneratedPasswordShowsItOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var user userJSON
	h.mustJSON(&user, "user", "create", "--tenant", "contoso.example", "--upn", "alice@contoso.example", "--display-name", "Alice")
	if user.ID == "" || user.UserPrincipalName != "alice@contoso.example" || !user.AccountEnabled {
		t.Fatalf("created %+v", user)
	}
	if len(user.Password) < 12 {
		t.Errorf("generated password %q not returned once", user.Password)
	}
	var listed []userJSON
	h.mustJSON(&listed, "user", "list", "--tenant", "contoso.example")
	if len(listed) != 1 || listed[0].Password != "" {
		t.Errorf("listing %+v; it must never carry a password", listed)
	}
}

func TestUserCreateReadsThePasswordFromStdin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	r := h.runWithInput("Correct-Horse-Battery-9\n", "user", "create", "--tenant", "contoso.example",
		"--upn", "bob@contoso.example", "--password-stdin")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "Correct-Horse") || strings.Contains(r.stdout, "password") {
		t.Errorf("a password given on stdin was echoed: %q", r.stdout)
	}
	r = h.runWithInput("", "user", "set-password", "--tenant", "contoso.example", "--user", "bob@contoso.example", "--password-stdin")
	if r.code != exitError || !strings.Contains(r.stderr, "no password on standard input") {
		t.Errorf("empty stdin: exit %d, stderr %q", r.code, r.stderr)
	}
	out := h.mustRun("user", "set-password", "--tenant", "contoso.example", "--user", "bob@contoso.example")
	if !strings.Contains(out, "Generated password (shown only now") {
		t.Errorf("set-password without stdin must show the generated password once: %q", out)
	}
	h.mustRun("user", "delete", "--tenant", "contoso.example", "--user", "bob@contoso.example")
	if r := h.run("user", "delete", "--tenant", "contoso.example", "--user", "bob@contoso.example"); r.code != exitError {
		t.Errorf("deleting a deleted user: exit %d", r.code)
	}
}

func TestAppCreateJSONCarriesTheSecretOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var app appJSON
	h.mustJSON(&app, "app", "create", "--tenant", "contoso.example", "--name", "Payroll",
		"--redirect-uri", "https://payroll.example/callback", "--redirect-uri", "https://payroll.example/cb2",
		"--post-logout-redirect-uri", "https://payroll.example/", "--signing-alg", "RS256", "--first-party")
	if app.ClientID == "" || app.ClientSecret == "" || app.SigningAlg != "RS256" || !app.FirstParty ||
		len(app.RedirectURIs) != 2 || app.TokenEndpointAuthMethod != "client_secret_basic" {
		t.Fatalf("created %+v", app)
	}
	var listed []appJSON
	h.mustJSON(&listed, "app", "list", "--tenant", "contoso.example")
	if len(listed) != 1 || listed[0].ClientSecret != "" || len(listed[0].SecretHints) != 1 {
		t.Fatalf("listing %+v; it must show hints, never secrets", listed)
	}
	var added map[string]string
	h.mustJSON(&added, "app", "add-secret", "--tenant", "contoso.example", "--client-id", app.ClientID)
	if added["clientSecret"] == "" || added["clientSecret"] == app.ClientSecret {
		t.Errorf("add-secret returned %v", added)
	}
	h.mustRun("app", "delete", "--tenant", "contoso.example", "--client-id", app.ClientID)
	h.mustJSON(&listed, "app", "list", "--tenant", "contoso.example")
	if len(listed) != 0 {
		t.Errorf("application still listed after delete")
	}
}

func TestAppCreatePublicClientHasNoSecret(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var app appJSON
	h.mustJSON(&app, "app", "create", "--tenant", "contoso.example", "--name", "SPA", "--public",
		"--redirect-uri", "http://localhost:3000/callback")
	if app.ClientSecret != "" || app.TokenEndpointAuthMethod != "none" || !app.Public {
		t.Errorf("public app %+v", app)
	}
	if text := h.mustRun("app", "list", "--tenant", "contoso.example"); strings.Contains(text, "secret") {
		t.Errorf("text listing mentions a secret: %q", text)
	}
}

func TestAppCreateListsEveryInputProblem(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	r := h.run("app", "create", "--tenant", "contoso.example", "--name", "Bad",
		"--redirect-uri", "not a url", "--signing-alg", "HS256", "--auth-method", "private_key_jwt")
	if r.code != exitError {
		t.Fatalf("exit %d, want %d; stdout %q", r.code, exitError, r.stdout)
	}
	lines := 0
	for _, line := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(line, "  - ") {
			lines++
		}
	}
	if lines < 3 || !strings.Contains(r.stderr, "signingAlg") || !strings.Contains(r.stderr, "redirectUris") {
		t.Errorf("want every problem on its own line, got:\n%s", r.stderr)
	}
}

func TestAdminCommandsRefuseAnUnknownTenant(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, args := range [][]string{
		{"user", "list", "--tenant", "nowhere.example"},
		{"app", "list", "--tenant", "nowhere.example"},
		{"keys", "rotate", "--tenant", "nowhere.example"},
	} {
		r := h.run(args...)
		if r.code != exitError || !strings.Contains(r.stderr, "tenant not found") {
			t.Errorf("sigil %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

func TestKeysRotateActivatesTheNextKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var first, second []rotationJSON
	h.mustJSON(&first, "keys", "rotate", "--tenant", "contoso.example")
	h.mustJSON(&second, "keys", "rotate", "--tenant", "contoso.example")
	if len(first) == 0 || len(first) != len(second) {
		t.Fatalf("rotations %+v then %+v", first, second)
	}
	for i := range first {
		if second[i].Activated != first[i].Next {
			t.Errorf("%s: second rotation activated %s, want the key published by the first, %s",
				first[i].Algorithm, second[i].Activated, first[i].Next)
		}
		if len(second[i].Retired) == 0 || second[i].Retired[0] != first[i].Activated {
			t.Errorf("%s: second rotation retired %v, want %s", first[i].Algorithm, second[i].Retired, first[i].Activated)
		}
	}
}

func TestAdminCommandsNeedTheMasterSecret(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	delete(h.env, "SIGIL_MASTER_SECRET")
	r := h.run("tenant", "list")
	if r.code != exitError || !strings.Contains(r.stderr, "master_secret: required") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestMigrateUpThenStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	delete(h.env, "SIGIL_MASTER_SECRET") // migrate needs only the database
	if r := h.run("migrate", "status"); r.code != exitError || !strings.Contains(r.stderr, "migrate up") {
		t.Errorf("status before any migration: exit %d, stderr %q", r.code, r.stderr)
	}
	var up map[string]int64
	h.mustJSON(&up, "migrate", "up")
	if up["version"] < 1 {
		t.Errorf("migrate up reports version %d", up["version"])
	}
	var status []migrationJSON
	h.mustJSON(&status, "migrate", "status")
	if len(status) == 0 {
		t.Fatal("no migrations listed")
	}
	for _, m := range status {
		if !m.Applied {
			t.Errorf("migration %d not applied after migrate up", m.Version)
		}
	}
}

func TestTenantLifetimesShowChangeAndRefuse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	createTenant(t, h, "contoso.example")
	var got lifetimesJSON
	h.mustJSON(&got, "tenant", "lifetimes", "--tenant", "contoso.example")
	if got.AccessToken != "1h0m0s" || got.Session != "24h0m0s" {
		t.Errorf("defaults: %+v", got)
	}
	h.mustJSON(&got, "tenant", "lifetimes", "--tenant", "contoso.example", "--access-token", "30m", "--session", "8h")
	if got.AccessToken != "30m0s" || got.Session != "8h0m0s" || got.RefreshToken != "2160h0m0s" {
		t.Errorf("after change: %+v", got)
	}
	r := h.run("tenant", "lifetimes", "--tenant", "contoso.example", "--access-token", "1m", "--auth-code", "1h")
	if r.code != exitError || !strings.Contains(r.stderr, "accessTokenLifetime") || !strings.Contains(r.stderr, "authCodeLifetime") {
		t.Errorf("out of range: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := h.run("tenant", "lifetimes", "--tenant", "contoso.example", "--session", "soon"); r.code == 0 {
		t.Errorf("a malformed duration was accepted: %q", r.stdout)
	}
}
