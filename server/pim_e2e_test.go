package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// TestPIMActivationPage: a user eligible for Global Reader (C-20) activates
// it on /account/roles after a sign-in with MFA (C-22, C-27), with a
// justification and a duration up to the maximum; the next token carries
// the role in `wids` until the window ends (C-22, automatic expiry). A role
// that needs approval waits and stays out of `wids` (C-25). Bad input gets
// a clear message on the page; the request is audited. On SQLite and Postgres.
func TestPIMActivationPage(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := servertest.New(t, backend.Open(t), servertest.Options{})
			ctx := context.Background()
			requireMFA(t, env)
			secret, _ := registerTOTP(t, env, nil)
			roles := &directory.Roles{Store: env.Store, Groups: directory.StoreGroups{Store: env.Store}}
			reader, err := roles.MakeEligible(ctx, system, env.Tenant.ID, directory.NewEligibility{MaxDuration: 2 * time.Hour,
				NewRoleAssignment: directory.NewRoleAssignment{RoleID: directory.RoleGlobalReader, PrincipalID: env.User.ID, PrincipalType: storage.PrincipalUser}})
			must(t, err)
			security, err := roles.MakeEligible(ctx, system, env.Tenant.ID, directory.NewEligibility{MaxDuration: time.Hour, ApprovalRequired: true,
				NewRoleAssignment: directory.NewRoleAssignment{RoleID: directory.RoleSecurityAdministrator, PrincipalID: env.User.ID, PrincipalType: storage.PrincipalUser}})
			must(t, err)
			gmc := "DirectoryRole"
			_, err = env.Directory.SetClaimSettings(ctx, env.Tenant.ID, env.Web.ID, directory.ClaimSettingsChange{GroupMembershipClaims: &gmc})
			must(t, err)

			b := env.NewBrowser()
			rolesURL := env.Server.URL + "/" + env.Domain + "/account/roles"
			page := walkToMFA(t, b, rolesURL, env.User.UserPrincipalName)
			page = submitCode(t, b, page, codeAt(t, secret, time.Now().Add(30*time.Second)))
			if page.URL.Path != "/"+env.Domain+"/account/roles" || !strings.Contains(page.Body, "Global Reader") ||
				!strings.Contains(page.Body, "Security Administrator") || !strings.Contains(page.Body, "Needs approval") {
				t.Fatalf("roles page: %s (%d): %.800s", page.URL, page.Status, page.Body)
			}

			activate := func(p *servertest.Page, eligibility, justification, minutes string) *servertest.Page {
				t.Helper()
				for _, f := range p.Forms() {
					if f.Fields.Get("eligibility") == eligibility {
						next, err := b.Submit(p, f, url.Values{"justification": {justification}, "duration": {minutes}})
						must(t, err)
						return next
					}
				}
				t.Fatalf("no activation form for %s on %s", eligibility, p.URL)
				return nil
			}
			if r := activate(page, reader.ID, "  ", "60"); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "justification") {
				t.Errorf("no justification: %d %.300s", r.Status, r.Body)
			}
			if r := activate(page, reader.ID, "Quarterly access review", "480"); r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "duration") {
				t.Errorf("longer than the maximum: %d %.300s", r.Status, r.Body)
			}
			if r := activate(page, reader.ID, "Quarterly access review", "soon"); r.Status != http.StatusBadRequest {
				t.Errorf("unreadable duration: %d", r.Status)
			}
			done := activate(page, reader.ID, "Quarterly access review", "60")
			if !strings.Contains(done.URL.RawQuery, "done=active") || !strings.Contains(done.Body, "Active until") {
				t.Fatalf("after activating: %s (%d): %.600s", done.URL, done.Status, done.Body)
			}
			pending := activate(done, security.ID, "Incident 4711", "60")
			if !strings.Contains(pending.URL.RawQuery, "done=pending") || !strings.Contains(pending.Body, "Waiting for approval") {
				t.Fatalf("after requesting approval: %s (%d): %.600s", pending.URL, pending.Status, pending.Body)
			}

			if wids := tokenWIDs(t, env, b); !slices.Equal(wids, []string{directory.RoleGlobalReader}) {
				t.Errorf("wids while active = %v, want Global Reader only (Security Administrator awaits approval)", wids)
			}
			acts, err := env.Store.ListRoleActivations(ctx, env.Tenant.ID, env.User.ID, storage.ActivationActive)
			must(t, err)
			if len(acts) != 1 {
				t.Fatalf("%d active activations", len(acts))
			}
			ended := time.Now().Add(-time.Second)
			acts[0].EndAt = &ended // the window has passed
			must(t, env.Store.UpdateRoleActivation(ctx, &acts[0], storage.ActivationActive))
			if wids := tokenWIDs(t, env, b); len(wids) != 0 {
				t.Errorf("wids after the window = %v, want none", wids)
			}
			audits, err := env.Store.ListAuditRecords(ctx, env.Tenant.ID, storage.AuditFilter{Activity: "Add member to role requested (PIM activation)"}, 0, 10)
			must(t, err)
			if len(audits) != 2 || audits[0].ActorID != env.User.ID {
				t.Errorf("audit records = %+v, want two by the user", audits)
			}
		})
	}
}

// tokenWIDs signs in to the web app with the browser's session and returns
// the access token's wids, verified with go-oidc.
func tokenWIDs(t *testing.T, env *servertest.Env, b *servertest.Browser) []string {
	t.Helper()
	conf := env.OAuth2(env.Web, env.WebSecret)
	verifier := oauth2.GenerateVerifier()
	q, err := b.SignIn(conf.AuthCodeURL("state-pim-wids", oauth2.S256ChallengeOption(verifier)), env.User.UserPrincipalName, servertest.Password)
	must(t, err)
	ctx := env.ClientContext(context.Background())
	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	must(t, err)
	at, err := oidc.NewVerifier(env.Issuer, oidc.NewRemoteKeySet(ctx, env.Server.URL+"/"+env.Tenant.ID+"/discovery/v2.0/keys"),
		&oidc.Config{ClientID: env.Web.ID, SupportedSigningAlgs: []string{"ES256"}, SkipClientIDCheck: true}).Verify(ctx, tok.AccessToken)
	must(t, err)
	var claims struct {
		WIDs []string `json:"wids"`
	}
	must(t, at.Claims(&claims))
	return claims.WIDs
}
