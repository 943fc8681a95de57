package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/sigil-idp/sigil/server/access"
	"github.com/sigil-idp/sigil/server/directory"
	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/server/servertest"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

// accessEnv is a running Sigil with the Conditional Access administration
// of its tenant.
type accessEnv struct {
	*servertest.Env
	t     *testing.T
	admin *access.Admin
	roles *directory.Roles
}

func newAccessEnv(t *testing.T, backend gormstoretest.Backend, opts servertest.Options) *accessEnv {
	env := servertest.New(t, backend.Open(t), opts)
	roles := &directory.Roles{Store: env.Store, Groups: directory.StoreGroups{Store: env.Store}}
	return &accessEnv{Env: env, t: t, admin: &access.Admin{Store: env.Store, Roles: roles}, roles: roles}
}

func (e *accessEnv) tenant() *storage.Tenant {
	e.t.Helper()
	tn, err := e.Store.GetTenant(context.Background(), e.Tenant.ID)
	must(e.t, err)
	return tn
}

// createPolicy stores an enabled (or given state) policy for all users and
// applications, with the conditions and controls set by change.
func (e *accessEnv) createPolicy(name, state string, change func(p *policy.Policy)) policy.Policy {
	e.t.Helper()
	p := policy.Policy{DisplayName: name, State: state, Conditions: policy.Conditions{
		Users:        &policy.UsersCondition{IncludeUsers: []string{policy.All}},
		Applications: &policy.ApplicationsCondition{IncludeApplications: []string{policy.All}}}}
	change(&p)
	out, err := e.admin.CreatePolicy(context.Background(), e.tenant(), p, false)
	must(e.t, err)
	return out
}

func (e *accessEnv) user(local string) *storage.User {
	e.t.Helper()
	u, err := e.Directory.CreateUser(context.Background(), e.Tenant.ID, directory.NewUser{
		UserPrincipalName: local + "@" + e.Domain, DisplayName: local, Password: servertest.Password})
	must(e.t, err)
	return u
}

// signIns returns the user's sign-in log, newest first.
func (e *accessEnv) signIns(userID string) []storage.SignIn {
	e.t.Helper()
	rows, err := e.Store.ListSignIns(context.Background(), e.Tenant.ID, storage.SignInFilter{UserID: userID}, 50)
	must(e.t, err)
	return rows
}

// appliedResult reads one policy's result from a sign-in row's trace.
func appliedResult(t *testing.T, row storage.SignIn, policyID string) string {
	t.Helper()
	var applied []policy.Result
	must(t, json.Unmarshal(row.AppliedPolicies, &applied))
	for _, r := range applied {
		if r.PolicyID == policyID {
			return r.Outcome
		}
	}
	t.Fatalf("policy %s is not in the sign-in's trace %s", policyID, row.AppliedPolicies)
	return ""
}

// TestSecurityDefaultsAtSignIn: with security defaults on (F-14), a user
// without a method registers one at the first sign-in with no grace period
// (F-04); an administrator — Global Administrator through a role-assignable
// group (F-05, C-17) — does MFA at every sign-in, while a registered member
// signing in again from a familiar network does not (F-06). The sign-in log
// records the security defaults' result.
func TestSecurityDefaultsAtSignIn(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := newAccessEnv(t, backend, servertest.Options{SecurityDefaults: true})
			ctx := context.Background()
			tier0, err := env.Directory.CreateGroup(ctx, system, env.Tenant.ID, directory.NewGroup{DisplayName: "Tier 0", IsAssignableToRole: true})
			must(t, err)
			must(t, env.Directory.AddGroupMember(ctx, system, env.Tenant.ID, tier0.ID, storage.GroupMember{ID: env.User.ID, Type: storage.MemberTypeUser}))
			_, err = env.roles.AssignRole(ctx, system, env.Tenant.ID, directory.NewRoleAssignment{
				RoleID: directory.RoleGlobalAdministrator, PrincipalID: tier0.ID, PrincipalType: storage.PrincipalGroup})
			must(t, err)
			member := env.user("megan")

			for _, u := range []*storage.User{env.User, member} {
				client := newMFAClient(env.Env)
				authURL, verifier := client.authURL(nil)
				b := env.NewBrowser()
				page := walkToMFA(t, b, authURL, u.UserPrincipalName)
				secret := registeredSecret(t, page) // F-04: registration, no "skip for now"
				if strings.Contains(page.Body, "Skip") {
					t.Errorf("%s: the registration page offers a way around it", u.UserPrincipalName)
				}
				first := client.exchange(t, callbackQuery(t, submitCode(t, b, page, codeAt(t, secret, time.Now()))), verifier)
				if first.ACR != mfa.ACRMFA {
					t.Errorf("%s: first sign-in acr %q, want %s", u.UserPrincipalName, first.ACR, mfa.ACRMFA)
				}
				again := walkToMFA(t, env.NewBrowser(), authURL, u.UserPrincipalName)
				isAdmin := u.ID == env.User.ID
				if asked := hasField(again, "code"); asked != isAdmin {
					t.Errorf("%s: second sign-in asked for a code = %v, want %v (admin: every sign-in; member: familiar network)",
						u.UserPrincipalName, asked, isAdmin)
				}
				rows := env.signIns(u.ID)
				if len(rows) == 0 || rows[0].ConditionalAccessStatus != policy.OutcomeSuccess || appliedResult(t, rows[0], policy.SecurityDefaultsID) != policy.OutcomeSuccess {
					t.Errorf("%s: sign-in log %+v, want a success under security defaults", u.UserPrincipalName, rows)
				}
			}
		})
	}
}

// TestBlockByNamedLocation: a policy blocking an IP named location ends the
// sign-in after the password on a branded page naming the policy, with the
// request ID; the sign-in log has the failure, its code and the policy's
// result (G-07, G-13, G-29).
func TestBlockByNamedLocation(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := newAccessEnv(t, backend, servertest.Options{})
			loc, err := env.admin.SaveLocation(context.Background(), env.Tenant.ID, policy.NamedLocation{DisplayName: "Lab network",
				Kind: policy.LocationIP, IPRanges: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
			must(t, err)
			p := env.createPolicy("Block the lab network", policy.StateEnabled, func(p *policy.Policy) {
				p.Conditions.Users.ExcludeUsers = []string{"emergency-access"}
				p.Conditions.Locations = &policy.LocationsCondition{IncludeLocations: []string{loc.ID}}
				p.GrantControls = &policy.GrantControls{Operator: "OR", BuiltInControls: []string{policy.ControlBlock}}
			})
			authURL, _ := newMFAClient(env.Env).authURL(nil)
			page := walkToMFA(t, env.NewBrowser(), authURL, env.User.UserPrincipalName)
			if page.Status != http.StatusForbidden || !strings.Contains(page.Body, "Block the lab network") ||
				!strings.Contains(page.Body, "Request ID") {
				t.Fatalf("blocked sign-in: status %d, body %.800s", page.Status, page.Body)
			}
			rows := env.signIns(env.User.ID)
			if len(rows) != 1 || rows[0].ErrorCode != access.CodeBlocked || rows[0].ConditionalAccessStatus != policy.OutcomeFailure ||
				appliedResult(t, rows[0], p.ID) != policy.OutcomeFailure || rows[0].IPAddress != "127.0.0.1" || !rows[0].Interactive {
				t.Errorf("sign-in log %+v", rows)
			}
		})
	}
}

// TestReportOnlyPolicyIsLoggedNotEnforced: a report-only policy requiring
// MFA does not stop a password sign-in; the log records
// reportOnlyInterrupted for it and no Conditional Access result (G-05).
func TestReportOnlyPolicyIsLoggedNotEnforced(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := newAccessEnv(t, backend, servertest.Options{})
			p := env.createPolicy("MFA for everyone (report-only)", policy.StateReportOnly, func(p *policy.Policy) {
				p.GrantControls = &policy.GrantControls{Operator: "OR", BuiltInControls: []string{policy.ControlMFA}}
			})
			authURL, _ := newMFAClient(env.Env).authURL(nil)
			callbackQuery(t, walkToMFA(t, env.NewBrowser(), authURL, env.User.UserPrincipalName))
			rows := env.signIns(env.User.ID)
			if len(rows) != 1 || rows[0].ErrorCode != 0 || rows[0].ConditionalAccessStatus != policy.OutcomeNotApplied ||
				appliedResult(t, rows[0], p.ID) != policy.OutcomeReportOnlyInterrupted {
				t.Errorf("sign-in log %+v", rows)
			}
		})
	}
}

// TestTermsOfUseAcceptedOnce: a policy requiring terms of use shows them
// once; accepting is recorded and the next sign-in goes straight through; a
// new version is shown again (G-25).
func TestTermsOfUseAcceptedOnce(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := newAccessEnv(t, backend, servertest.Options{})
			ctx := context.Background()
			terms, err := env.admin.SaveTerms(ctx, env.Tenant.ID, storage.TermsOfUse{DisplayName: "Acceptable use", Content: "Be kind.\nNo sharing of accounts."})
			must(t, err)
			env.createPolicy("Accept the terms", policy.StateEnabled, func(p *policy.Policy) {
				p.GrantControls = &policy.GrantControls{Operator: "OR", TermsOfUse: []string{terms.ID}}
			})
			client := newMFAClient(env.Env)
			authURL, verifier := client.authURL(nil)
			b := env.NewBrowser()
			page := walkToMFA(t, b, authURL, env.User.UserPrincipalName)
			if !strings.Contains(page.URL.Path, "/login/terms") || !strings.Contains(page.Body, "No sharing of accounts.") {
				t.Fatalf("expected the terms page, got %s (%d): %.600s", page.URL, page.Status, page.Body)
			}
			f, err := page.FormWith("version")
			must(t, err)
			stale, err := b.Submit(page, f, url.Values{"decision": {"accept"}, "version": {terms.ID + ":0"}})
			must(t, err)
			if stale.Status != http.StatusConflict {
				t.Errorf("accepting a version not shown: status %d", stale.Status)
			}
			f, err = stale.FormWith("version")
			must(t, err)
			done, err := b.Submit(stale, f, url.Values{"decision": {"accept"}})
			must(t, err)
			client.exchange(t, callbackQuery(t, done), verifier)

			callbackQuery(t, walkToMFA(t, env.NewBrowser(), authURL, env.User.UserPrincipalName))

			terms.Content += "\nNew: report phishing."
			_, err = env.admin.SaveTerms(ctx, env.Tenant.ID, terms)
			must(t, err)
			page = walkToMFA(t, env.NewBrowser(), authURL, env.User.UserPrincipalName)
			if !strings.Contains(page.Body, "report phishing") {
				t.Errorf("a new version was not shown: %s (%d)", page.URL, page.Status)
			}
			f, err = page.FormWith("version")
			must(t, err)
			declined, err := env.NewBrowser().Submit(page, f, url.Values{"decision": {"decline"}})
			must(t, err)
			if declined.Status == http.StatusOK {
				t.Errorf("declining went on: %s", declined.URL)
			}
		})
	}
}

// TestRefreshRefusedWhenUserJoinsBlockedGroup: a refresh is a sign-in too: a
// user added after sign-in to a group a policy blocks gets invalid_grant
// naming the policy at the next refresh, and the non-interactive sign-in is
// logged (issue 5, G-03).
func TestRefreshRefusedWhenUserJoinsBlockedGroup(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := newAccessEnv(t, backend, servertest.Options{})
			ctx := context.Background()
			blocked, err := env.Directory.CreateGroup(ctx, system, env.Tenant.ID, directory.NewGroup{DisplayName: "Suspended contractors"})
			must(t, err)
			env.createPolicy("Block suspended contractors", policy.StateEnabled, func(p *policy.Policy) {
				p.Conditions.Users = &policy.UsersCondition{IncludeGroups: []string{blocked.ID}}
				p.GrantControls = &policy.GrantControls{Operator: "OR", BuiltInControls: []string{policy.ControlBlock}}
			})
			conf := env.OAuth2(env.Web, env.WebSecret)
			verifier := oauth2.GenerateVerifier()
			callback, err := env.NewBrowser().SignIn(conf.AuthCodeURL("state-refresh-1", oauth2.S256ChallengeOption(verifier)), env.User.UserPrincipalName, servertest.Password)
			must(t, err)
			cctx := env.ClientContext(ctx)
			tok, err := conf.Exchange(cctx, callback.Get("code"), oauth2.VerifierOption(verifier))
			must(t, err)
			refreshed, err := conf.TokenSource(cctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Minute)}).Token()
			must(t, err)

			must(t, env.Directory.AddGroupMember(ctx, system, env.Tenant.ID, blocked.ID, storage.GroupMember{ID: env.User.ID, Type: storage.MemberTypeUser}))
			_, err = conf.TokenSource(cctx, &oauth2.Token{RefreshToken: refreshed.RefreshToken, Expiry: time.Now().Add(-time.Minute)}).Token()
			var rerr *oauth2.RetrieveError
			if !errors.As(err, &rerr) || rerr.ErrorCode != "invalid_grant" || !strings.Contains(rerr.ErrorDescription, "Block suspended contractors") {
				t.Fatalf("refresh after joining the blocked group: %v", err)
			}
			rows := env.signIns(env.User.ID)
			if len(rows) != 3 || rows[0].Interactive || rows[0].ErrorCode != access.CodeBlocked || rows[1].Interactive || rows[1].ErrorCode != 0 {
				t.Errorf("sign-in log: %d rows %+v; want the interactive sign-in, a refreshed and a refused non-interactive one", len(rows), rows)
			}
		})
	}
}

// TestWorkloadPolicyAndLegacyAuthentication: a workload policy blocks an
// application's client-credentials tokens from a named location (G-26) with
// unauthorized_client naming the policy; a password grant — legacy
// authentication, which cannot do MFA — is refused and logged with client
// app type "other" (F-07, F-35). Both appear in the sign-in log.
func TestWorkloadPolicyAndLegacyAuthentication(t *testing.T) {
	for _, backend := range gormstoretest.Backends() {
		t.Run(backend.Name, func(t *testing.T) {
			env := newAccessEnv(t, backend, servertest.Options{})
			ctx := context.Background()
			loc, err := env.admin.SaveLocation(ctx, env.Tenant.ID, policy.NamedLocation{DisplayName: "Untrusted hosting",
				Kind: policy.LocationIP, IPRanges: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
			must(t, err)
			_, err = env.admin.CreatePolicy(ctx, env.tenant(), policy.Policy{DisplayName: "Block workloads from hosting", State: policy.StateEnabled,
				Conditions: policy.Conditions{
					ClientApplications: &policy.ClientApplicationsCondition{IncludeServicePrincipals: []string{policy.ServicePrincipalsInMyTenant}},
					Locations:          &policy.LocationsCondition{IncludeLocations: []string{loc.ID}}},
				GrantControls: &policy.GrantControls{Operator: "OR", BuiltInControls: []string{policy.ControlBlock}}}, false)
			must(t, err)
			conf := clientcredentials.Config{ClientID: env.Web.ID, ClientSecret: env.WebSecret, TokenURL: env.OAuth2(env.Web, env.WebSecret).Endpoint.TokenURL,
				AuthStyle: oauth2.AuthStyleInHeader}
			_, err = conf.Token(env.ClientContext(ctx))
			var rerr *oauth2.RetrieveError
			if !errors.As(err, &rerr) || rerr.ErrorCode != "unauthorized_client" || !strings.Contains(rerr.ErrorDescription, "Block workloads from hosting") {
				t.Fatalf("client credentials from a blocked location: %v", err)
			}

			form := url.Values{"grant_type": {"password"}, "username": {env.User.UserPrincipalName}, "password": {servertest.Password}, "scope": {"openid"}}
			req, err := http.NewRequest("POST", conf.TokenURL, strings.NewReader(form.Encode()))
			must(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(env.Web.ID, env.WebSecret)
			resp, err := env.Server.Client().Do(req)
			must(t, err)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("password grant: status %d", resp.StatusCode)
			}

			rows, err := env.Store.ListSignIns(ctx, env.Tenant.ID, storage.SignInFilter{AppID: env.Web.ID}, 10)
			must(t, err)
			if len(rows) != 2 {
				t.Fatalf("sign-in log has %d rows for the app, want 2: %+v", len(rows), rows)
			}
			legacy, workload := rows[0], rows[1]
			if legacy.ClientAppType != policy.ClientOther || legacy.ErrorCode != access.CodeLegacyAuthentication ||
				legacy.UserPrincipal != env.User.UserPrincipalName || legacy.Interactive {
				t.Errorf("legacy row %+v", legacy)
			}
			if workload.UserID != "" || workload.ErrorCode != access.CodeBlocked || workload.ConditionalAccessStatus != policy.OutcomeFailure {
				t.Errorf("workload row %+v", workload)
			}
		})
	}
}
