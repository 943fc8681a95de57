package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sigil-idp/sigil/server"
	"github.com/sigil-idp/sigil/storage"
	"github.com/sigil-idp/sigil/storage/gormstore/gormstoretest"
)

func TestJanitorKeepsAuditRecordsForTheRetentionPeriod(t *testing.T) {
	store := gormstoretest.SQLite(t)
	ctx := context.Background()
	tenant := &storage.Tenant{ID: uuid.NewString(), DisplayName: "T"}
	must(t, store.CreateTenant(ctx, tenant, []storage.Domain{{Name: "t.test", TenantID: tenant.ID, Verified: true}}))
	now := time.Now().UTC()
	for activity, at := range map[string]time.Time{"old": now.Add(-31 * 24 * time.Hour), "recent": now.Add(-29 * 24 * time.Hour)} {
		must(t, store.AppendAuditRecord(ctx, &storage.AuditRecord{ID: uuid.NewString(), TenantID: tenant.ID, ActivityDateTime: at,
			Category: "UserManagement", Activity: activity, OperationType: storage.AuditUpdate, Result: storage.AuditSuccess,
			ActorType: storage.AuditActorSystem, TargetType: "User", TargetID: "u"}))
	}
	(&server.Janitor{Store: store}).Sweep(ctx)
	if left, _ := store.ListAuditRecords(ctx, tenant.ID, storage.AuditFilter{}, 0, 10); len(left) != 2 {
		t.Fatalf("without a retention the janitor deleted records: %d left", len(left))
	}
	(&server.Janitor{Store: store, AuditRetention: 30 * 24 * time.Hour}).Sweep(ctx)
	left, err := store.ListAuditRecords(ctx, tenant.ID, storage.AuditFilter{}, 0, 10)
	must(t, err)
	if len(left) != 1 || left[0].Activity != "recent" {
		t.Errorf("after the sweep: %+v, want only the recent record", left)
	}
}

func TestJanitorKeepsSignInsForTheRetentionPeriod(t *testing.T) {
	store := gormstoretest.SQLite(t)
	ctx := context.Background()
	tenant := &storage.Tenant{ID: uuid.NewString(), DisplayName: "T"}
	must(t, store.CreateTenant(ctx, tenant, []storage.Domain{{Name: "t.test", TenantID: tenant.ID, Verified: true}}))
	now := time.Now().UTC()
	for user, at := range map[string]time.Time{"old": now.Add(-31 * 24 * time.Hour), "recent": now.Add(-29 * 24 * time.Hour)} {
		must(t, store.InsertSignIn(ctx, &storage.SignIn{ID: uuid.NewString(), TenantID: tenant.ID, CreatedAt: at, UserID: user}))
	}
	(&server.Janitor{Store: store}).Sweep(ctx)
	if left, _ := store.ListSignIns(ctx, tenant.ID, storage.SignInFilter{}, 10); len(left) != 2 {
		t.Fatalf("without a retention the janitor deleted sign-ins: %d left", len(left))
	}
	(&server.Janitor{Store: store, SignInRetention: 30 * 24 * time.Hour}).Sweep(ctx)
	left, err := store.ListSignIns(ctx, tenant.ID, storage.SignInFilter{}, 10)
	must(t, err)
	if len(left) != 1 || left[0].UserID != "recent" {
		t.Errorf("after the sweep: %+v, want only the recent sign-in", left)
	}
}
