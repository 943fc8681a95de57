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

func TestJanitorDeletesStaleLockoutCountersButKeepsRunningLockouts(t *testing.T) {
	store := gormstoretest.SQLite(t)
	ctx := context.Background()
	tenant := &storage.Tenant{ID: uuid.NewString(), DisplayName: "T"}
	must(t, store.CreateTenant(ctx, tenant, nil))
	now := time.Now().UTC()
	counters := map[string]func(c *storage.LockoutCounter){
		"quiet for two days": func(c *storage.LockoutCounter) { c.Failures, c.UpdatedAt = 3, now.Add(-48*time.Hour) },
		"failed an hour ago": func(c *storage.LockoutCounter) { c.Failures, c.UpdatedAt = 3, now.Add(-time.Hour) },
		"locked for longer": func(c *storage.LockoutCounter) {
			c.UpdatedAt, c.LockedUntil = now.Add(-48*time.Hour), now.Add(time.Hour)
		},
	}
	for key, set := range counters {
		_, err := store.UpdateLockoutCounter(ctx, tenant.ID, key, set)
		must(t, err)
	}
	(&server.Janitor{Store: store}).Sweep(ctx)
	for key, kept := range map[string]bool{"quiet for two days": false, "failed an hour ago": true, "locked for longer": true} {
		_, err := store.GetLockoutCounter(ctx, tenant.ID, key)
		if (err == nil) != kept {
			t.Errorf("%s: kept=%v, want %v (err %v)", key, err == nil, kept, err)
		}
	}
}
