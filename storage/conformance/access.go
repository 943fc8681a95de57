package conformance

import (
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("conditional_access", testAccess) }

func testAccess(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"keeps, replaces, lists and deletes policies per tenant (G-05)", accessPolicies},
		{"keeps named locations per tenant (G-13)", accessLocations},
		{"records terms-of-use acceptances per version, idempotently (G-25)", accessTerms},
		{"keeps user risk (G-12)", accessUserRisk},
		{"appends sign-ins and lists them newest first, filtered and paged (G-29)", accessSignIns},
		{"finds the last successful interactive sign-in and purges old rows", accessLastSignIn},
	})
}

func accessPolicies(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a, b := seedTenant(t, s, "contoso"), seedTenant(t, s, "fabrikam")
	first := &storage.ConditionalAccessPolicy{ID: newID(), TenantID: a.ID, DisplayName: "MFA", State: "enabled",
		Document: []byte(`{"displayName":"MFA"}`), CreatedAt: time.Now().Add(-time.Minute)}
	second := &storage.ConditionalAccessPolicy{ID: newID(), TenantID: a.ID, DisplayName: "Block", State: "disabled", Document: []byte(`{}`)}
	for _, p := range []*storage.ConditionalAccessPolicy{first, second} {
		mustNil(t, s.SaveConditionalAccessPolicy(ctx, p), "SaveConditionalAccessPolicy")
	}
	first.State, first.Document, first.ModifiedAt = "enabledForReportingButNotEnforced", []byte(`{"displayName":"MFA","v":2}`), time.Now()
	mustNil(t, s.SaveConditionalAccessPolicy(ctx, first), "replace")
	got, err := s.ListConditionalAccessPolicies(ctx, a.ID)
	mustNil(t, err, "ListConditionalAccessPolicies")
	if len(got) != 2 || got[0].ID != first.ID || got[0].State != first.State || string(got[0].Document) != string(first.Document) {
		t.Fatalf("list = %+v", got)
	}
	stolen := *first
	stolen.TenantID = b.ID
	mustIs(t, s.SaveConditionalAccessPolicy(ctx, &stolen), storage.ErrConflict, "save another tenant's policy ID")
	_, err = s.GetConditionalAccessPolicy(ctx, b.ID, first.ID)
	mustIs(t, err, storage.ErrNotFound, "get from another tenant")
	mustIs(t, s.DeleteConditionalAccessPolicy(ctx, b.ID, first.ID), storage.ErrNotFound, "delete from another tenant")
	mustNil(t, s.DeleteConditionalAccessPolicy(ctx, a.ID, first.ID), "DeleteConditionalAccessPolicy")
	_, err = s.GetConditionalAccessPolicy(ctx, a.ID, first.ID)
	mustIs(t, err, storage.ErrNotFound, "get after delete")
}

func accessLocations(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	a, b := seedTenant(t, s, "contoso"), seedTenant(t, s, "fabrikam")
	l := &storage.NamedLocation{ID: newID(), TenantID: a.ID, DisplayName: "Office", Document: []byte(`{"ipRanges":[]}`)}
	mustNil(t, s.SaveNamedLocation(ctx, l), "SaveNamedLocation")
	l.DisplayName = "HQ"
	mustNil(t, s.SaveNamedLocation(ctx, l), "rename")
	got, err := s.GetNamedLocation(ctx, a.ID, l.ID)
	mustNil(t, err, "GetNamedLocation")
	if got.DisplayName != "HQ" || string(got.Document) != string(l.Document) {
		t.Errorf("got %+v", got)
	}
	list, err := s.ListNamedLocations(ctx, b.ID)
	mustNil(t, err, "ListNamedLocations")
	if len(list) != 0 {
		t.Errorf("another tenant lists %d locations", len(list))
	}
	mustNil(t, s.DeleteNamedLocation(ctx, a.ID, l.ID), "DeleteNamedLocation")
	mustIs(t, s.DeleteNamedLocation(ctx, a.ID, l.ID), storage.ErrNotFound, "delete twice")
}

func accessTerms(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	terms := &storage.TermsOfUse{ID: newID(), TenantID: tenant.ID, DisplayName: "Acceptable use", Content: "Be kind.", Version: 1}
	mustNil(t, s.SaveTermsOfUse(ctx, terms), "SaveTermsOfUse")
	accept := storage.TermsAcceptance{TenantID: tenant.ID, UserID: ann.ID, TermsID: terms.ID, Version: 1}
	mustNil(t, s.AcceptTerms(ctx, accept), "AcceptTerms")
	mustNil(t, s.AcceptTerms(ctx, accept), "AcceptTerms again")
	terms.Content, terms.Version = "Be kind. Be brief.", 2
	mustNil(t, s.SaveTermsOfUse(ctx, terms), "new version")
	got, err := s.GetTermsOfUse(ctx, tenant.ID, terms.ID)
	mustNil(t, err, "GetTermsOfUse")
	if got.Version != 2 || got.Content != terms.Content {
		t.Errorf("got %+v", got)
	}
	accepted, err := s.ListTermsAcceptances(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "ListTermsAcceptances")
	if len(accepted) != 1 || accepted[0].Version != 1 || accepted[0].AcceptedAt.IsZero() {
		t.Errorf("acceptances = %+v, want version 1 once", accepted)
	}
	mustNil(t, s.DeleteTermsOfUse(ctx, tenant.ID, terms.ID), "DeleteTermsOfUse")
	accepted, err = s.ListTermsAcceptances(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "ListTermsAcceptances after delete")
	if len(accepted) != 0 {
		t.Errorf("acceptances outlive their terms: %+v", accepted)
	}
}

func accessUserRisk(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	ann := seedUser(t, s, tenant.ID, "ann@contoso.example")
	bob := seedUser(t, s, tenant.ID, "bob@contoso.example")
	_, err := s.GetUserRisk(ctx, tenant.ID, ann.ID)
	mustIs(t, err, storage.ErrNotFound, "GetUserRisk before any")
	mustNil(t, s.SaveUserRisk(ctx, &storage.UserRisk{TenantID: tenant.ID, UserID: ann.ID, Level: "high", State: "atRisk", UpdatedBy: "admin"}), "SaveUserRisk")
	mustNil(t, s.SaveUserRisk(ctx, &storage.UserRisk{TenantID: tenant.ID, UserID: bob.ID, Level: "none", State: "dismissed"}), "SaveUserRisk bob")
	got, err := s.GetUserRisk(ctx, tenant.ID, ann.ID)
	mustNil(t, err, "GetUserRisk")
	if got.Level != "high" || got.State != "atRisk" || got.UpdatedBy != "admin" {
		t.Errorf("got %+v", got)
	}
	risky, err := s.ListRiskyUsers(ctx, tenant.ID)
	mustNil(t, err, "ListRiskyUsers")
	if len(risky) != 1 || risky[0].UserID != ann.ID {
		t.Errorf("risky = %+v, want ann only", risky)
	}
	mustNil(t, s.SaveUserRisk(ctx, &storage.UserRisk{TenantID: tenant.ID, UserID: ann.ID, Level: "none", State: "remediated"}), "remediate")
	risky, err = s.ListRiskyUsers(ctx, tenant.ID)
	mustNil(t, err, "ListRiskyUsers after remediation")
	if len(risky) != 0 {
		t.Errorf("risky after remediation = %+v", risky)
	}
}

func newSignIn(tenantID, userID string, at time.Time, code int) *storage.SignIn {
	return &storage.SignIn{ID: newID(), TenantID: tenantID, CreatedAt: at, CorrelationID: "flow-" + newID(), RequestID: "req",
		UserID: userID, UserPrincipal: "ann@contoso.example", AppID: "app", AppName: "Payroll", IPAddress: "192.0.2.7",
		ClientAppType: "browser", Interactive: true, AuthRequirement: "multiFactorAuthentication", AuthMethods: []string{"pwd", "otp"},
		ErrorCode: code, ConditionalAccessStatus: "success", AppliedPolicies: []byte(`[{"id":"p","result":"success"}]`),
		RiskLevel: "low", RiskDetections: []string{"unfamiliarFeatures"}}
}

func accessSignIns(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant, other := seedTenant(t, s, "contoso"), seedTenant(t, s, "fabrikam")
	base := time.Now().Add(-time.Hour).In(farOffZone)
	var rows []*storage.SignIn
	for i := range 5 {
		code := 0
		if i%2 == 1 {
			code = 50126
		}
		r := newSignIn(tenant.ID, "ann", base.Add(time.Duration(i)*time.Minute), code)
		mustNil(t, s.InsertSignIn(ctx, r), "InsertSignIn")
		rows = append(rows, r)
	}
	mustNil(t, s.InsertSignIn(ctx, newSignIn(other.ID, "eve", base, 0)), "InsertSignIn other tenant")
	got, err := s.ListSignIns(ctx, tenant.ID, storage.SignInFilter{}, 3)
	mustNil(t, err, "ListSignIns")
	if len(got) != 3 || got[0].ID != rows[4].ID || got[2].ID != rows[2].ID {
		t.Fatalf("first page = %v", ids(got))
	}
	sameStrings(t, got[0].AuthMethods, []string{"pwd", "otp"}, "AuthMethods")
	if string(got[0].AppliedPolicies) != `[{"id":"p","result":"success"}]` || !got[0].Interactive || got[0].RiskLevel != "low" {
		t.Errorf("row = %+v", got[0])
	}
	sameTime(t, got[0].CreatedAt, rows[4].CreatedAt, "CreatedAt")
	last := got[len(got)-1]
	next, err := s.ListSignIns(ctx, tenant.ID, storage.SignInFilter{BeforeTime: last.CreatedAt, BeforeID: last.ID}, 3)
	mustNil(t, err, "ListSignIns next page")
	if len(next) != 2 || next[0].ID != rows[1].ID {
		t.Errorf("next page = %v", ids(next))
	}
	failures, err := s.ListSignIns(ctx, tenant.ID, storage.SignInFilter{Status: "failure"}, 10)
	mustNil(t, err, "ListSignIns failures")
	if len(failures) != 2 || failures[0].ErrorCode != 50126 {
		t.Errorf("failures = %v", ids(failures))
	}
	byCorrelation, err := s.ListSignIns(ctx, tenant.ID, storage.SignInFilter{CorrelationID: rows[3].CorrelationID}, 10)
	mustNil(t, err, "ListSignIns by correlation")
	if len(byCorrelation) != 1 || byCorrelation[0].ID != rows[3].ID {
		t.Errorf("by correlation = %v", ids(byCorrelation))
	}
}

func ids(rows []storage.SignIn) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

func accessLastSignIn(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	_, err := s.LastSuccessfulSignIn(ctx, tenant.ID, "ann")
	mustIs(t, err, storage.ErrNotFound, "LastSuccessfulSignIn before any")
	old := newSignIn(tenant.ID, "ann", time.Now().Add(-40*24*time.Hour), 0)
	recent := newSignIn(tenant.ID, "ann", time.Now().Add(-time.Hour), 0)
	failed := newSignIn(tenant.ID, "ann", time.Now().Add(-time.Minute), 50126)
	token := newSignIn(tenant.ID, "ann", time.Now(), 0)
	token.Interactive = false
	for _, r := range []*storage.SignIn{old, recent, failed, token} {
		mustNil(t, s.InsertSignIn(ctx, r), "InsertSignIn")
	}
	got, err := s.LastSuccessfulSignIn(ctx, tenant.ID, "ann")
	mustNil(t, err, "LastSuccessfulSignIn")
	if got.ID != recent.ID {
		t.Errorf("last = %s, want the recent interactive success", got.ID)
	}
	n, err := s.PurgeSignInsBefore(ctx, time.Now().Add(-30*24*time.Hour))
	mustNil(t, err, "PurgeSignInsBefore")
	if n != 1 {
		t.Errorf("purged %d, want 1", n)
	}
}
