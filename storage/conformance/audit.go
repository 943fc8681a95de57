package conformance

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("audit", testAudit) }

func testAudit(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"keeps an audit record with its modified properties (K-10)", auditRoundTrip},
		{"rolls an audit record back with its transaction", auditRollback},
		{"lists audit records newest first, filtered and paged", auditListFilter},
		{"removes only records older than the retention cut-off", auditRetention},
		{"answers the default authorization policy until one is saved (I-01)", authorizationPolicyDefault},
		{"grants, lists and revokes application permissions", appPermissionGrants},
	})
}

func newAuditRecord(tenantID, activity string, at time.Time) *storage.AuditRecord {
	return &storage.AuditRecord{
		ID: newID(), TenantID: tenantID, ActivityDateTime: at, Category: "UserManagement", Activity: activity,
		OperationType: storage.AuditUpdate, Result: storage.AuditSuccess, CorrelationID: "req-" + activity,
		ActorType: storage.AuditActorUser, ActorID: "actor-1", ActorName: "admin@contoso.test",
		TargetType: "User", TargetID: "user-1", TargetName: "adele@contoso.test",
		Modified: []storage.ModifiedProperty{{Name: "displayName", OldValue: `"Adele"`, NewValue: `"Adele Vance"`}},
	}
}

func auditRoundTrip(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	in := newAuditRecord(tenant.ID, "Update user", time.Now().In(farOffZone))
	mustNil(t, s.AppendAuditRecord(ctx, in), "AppendAuditRecord")
	got, err := s.ListAuditRecords(ctx, tenant.ID, storage.AuditFilter{}, 0, 10)
	mustNil(t, err, "ListAuditRecords")
	if len(got) != 1 {
		t.Fatalf("got %d records, want 1", len(got))
	}
	r := got[0]
	sameTime(t, r.ActivityDateTime, in.ActivityDateTime, "ActivityDateTime")
	if r.Activity != in.Activity || r.CorrelationID != in.CorrelationID || r.ActorName != in.ActorName || r.TargetID != in.TargetID {
		t.Errorf("got %+v, want %+v", r, in)
	}
	if len(r.Modified) != 1 || r.Modified[0] != in.Modified[0] {
		t.Errorf("Modified = %+v, want %+v", r.Modified, in.Modified)
	}
	other := seedTenant(t, s, "fabrikam")
	if got, _ := s.ListAuditRecords(ctx, other.ID, storage.AuditFilter{}, 0, 10); len(got) != 0 {
		t.Errorf("another tenant sees %d records, want 0 (A-02)", len(got))
	}
}

func auditRollback(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	boom := errors.New("the change failed")
	err := s.InTx(ctx, func(ctx context.Context) error {
		mustNil(t, s.AppendAuditRecord(ctx, newAuditRecord(tenant.ID, "Update user", time.Now())), "AppendAuditRecord")
		return boom
	})
	mustIs(t, err, boom, "InTx")
	got, err := s.ListAuditRecords(ctx, tenant.ID, storage.AuditFilter{}, 0, 10)
	mustNil(t, err, "ListAuditRecords")
	if len(got) != 0 {
		t.Errorf("a rolled-back record survived: %+v", got)
	}
}

func auditListFilter(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	base := time.Now().UTC().Add(-time.Hour)
	for i, activity := range []string{"Add user", "Update user", "Delete user", "Add group"} {
		r := newAuditRecord(tenant.ID, activity, base.Add(time.Duration(i)*time.Minute))
		mustNil(t, s.AppendAuditRecord(ctx, r), "AppendAuditRecord")
	}
	page, err := s.ListAuditRecords(ctx, tenant.ID, storage.AuditFilter{}, 1, 2)
	mustNil(t, err, "ListAuditRecords")
	if len(page) != 2 || page[0].Activity != "Delete user" || page[1].Activity != "Update user" {
		t.Errorf("page 2 of 2 = %v, want Delete user, Update user", activities(page))
	}
	one, err := s.ListAuditRecords(ctx, tenant.ID, storage.AuditFilter{Activity: "Add group"}, 0, 10)
	mustNil(t, err, "ListAuditRecords by activity")
	if len(one) != 1 {
		t.Errorf("filter by activity = %v, want [Add group]", activities(one))
	}
	recent, err := s.ListAuditRecords(ctx, tenant.ID, storage.AuditFilter{Since: base.Add(90 * time.Second)}, 0, 10)
	mustNil(t, err, "ListAuditRecords since")
	if len(recent) != 2 {
		t.Errorf("since filter = %v, want the last two", activities(recent))
	}
}

func activities(rs []storage.AuditRecord) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Activity)
	}
	return out
}

func auditRetention(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	now := time.Now().UTC()
	mustNil(t, s.AppendAuditRecord(ctx, newAuditRecord(tenant.ID, "old", now.Add(-40*24*time.Hour))), "append old")
	mustNil(t, s.AppendAuditRecord(ctx, newAuditRecord(tenant.ID, "new", now)), "append new")
	n, err := s.DeleteAuditRecordsBefore(ctx, "", now.Add(-30*24*time.Hour))
	mustNil(t, err, "DeleteAuditRecordsBefore")
	left, _ := s.ListAuditRecords(ctx, tenant.ID, storage.AuditFilter{}, 0, 10)
	if n != 1 || len(left) != 1 || left[0].Activity != "new" {
		t.Errorf("deleted %d, left %v; want 1 deleted and [new] left", n, activities(left))
	}
}

func authorizationPolicyDefault(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	got, err := s.GetAuthorizationPolicy(ctx, tenant.ID)
	mustNil(t, err, "GetAuthorizationPolicy")
	want := storage.DefaultAuthorizationPolicy(tenant.ID)
	if *got != want {
		t.Errorf("default policy = %+v, want %+v", got, want)
	}
	got.AllowedToCreateApps = false
	got.GuestAccess = storage.GuestAccessRestricted
	mustNil(t, s.SaveAuthorizationPolicy(ctx, got), "SaveAuthorizationPolicy")
	got.AllowInvitesFrom = storage.InvitesFromNone
	got.UpdatedAt = time.Time{}
	mustNil(t, s.SaveAuthorizationPolicy(ctx, got), "SaveAuthorizationPolicy again")
	back, err := s.GetAuthorizationPolicy(ctx, tenant.ID)
	mustNil(t, err, "GetAuthorizationPolicy after save")
	if back.AllowedToCreateApps || back.GuestAccess != storage.GuestAccessRestricted || back.AllowInvitesFrom != storage.InvitesFromNone {
		t.Errorf("saved policy reads back as %+v", back)
	}
	_, err = s.GetAuthorizationPolicy(ctx, newID())
	mustIs(t, err, storage.ErrNotFound, "policy of an unknown tenant")
}

func appPermissionGrants(t *testing.T, s storage.Storage) {
	ctx := ctxFor(t)
	tenant := seedTenant(t, s, "contoso")
	app := seedApp(t, s, tenant.ID)
	for _, p := range []string{"User.Read.All", "Group.ReadWrite.All"} {
		mustNil(t, s.GrantAppPermission(ctx, &storage.AppPermissionGrant{TenantID: tenant.ID, ClientID: app.ID, Permission: p}), "grant "+p)
	}
	err := s.GrantAppPermission(ctx, &storage.AppPermissionGrant{TenantID: tenant.ID, ClientID: app.ID, Permission: "User.Read.All"})
	mustIs(t, err, storage.ErrAlreadyExists, "second grant")
	got, err := s.ListAppPermissions(ctx, tenant.ID, app.ID)
	mustNil(t, err, "ListAppPermissions")
	sameStrings(t, got, []string{"Group.ReadWrite.All", "User.Read.All"}, "permissions")
	mustNil(t, s.RevokeAppPermission(ctx, tenant.ID, app.ID, "User.Read.All"), "revoke")
	mustIs(t, s.RevokeAppPermission(ctx, tenant.ID, app.ID, "User.Read.All"), storage.ErrNotFound, "revoke twice")
}
