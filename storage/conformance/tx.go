package conformance

import (
	"context"
	"errors"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

func init() { register("transactions", testTransactions) }

func testTransactions(t *testing.T, newStore NewStore) {
	runCases(t, newStore, []testCase{
		{"commits InTx work when fn returns nil", txCommits},
		{"rolls back InTx work when fn returns an error", txRollsBackOnError},
		{"rolls back InTx work on panic and re-panics", txRollsBackOnPanic},
		{"joins a nested InTx to the outer transaction", txNestedJoins},
		{"commits work done between BeginTx and Commit", txBeginCommit},
		{"discards work done between BeginTx and Rollback", txBeginRollback},
		{"reads its own uncommitted writes inside the transaction", txReadsOwnWrites},
	})
}

var errAbort = errors.New("abort the transaction")

// tenantExists reports whether the tenant is visible outside any transaction.
func tenantExists(t *testing.T, s storage.Storage, id string) bool {
	t.Helper()
	_, err := s.GetTenant(ctxFor(t), id)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("GetTenant: %v", err)
	}
	return err == nil
}

func createTenant(ctx context.Context, s storage.Storage) (string, error) {
	tenant := &storage.Tenant{ID: newID(), DisplayName: "In a transaction"}
	return tenant.ID, s.CreateTenant(ctx, tenant, nil)
}

func txCommits(t *testing.T, s storage.Storage) {
	var id string
	err := s.InTx(ctxFor(t), func(ctx context.Context) error {
		var err error
		id, err = createTenant(ctx, s)
		return err
	})
	mustNil(t, err, "InTx")
	if !tenantExists(t, s, id) {
		t.Error("committed tenant not found")
	}
}

func txRollsBackOnError(t *testing.T, s storage.Storage) {
	var id string
	err := s.InTx(ctxFor(t), func(ctx context.Context) error {
		var err error
		if id, err = createTenant(ctx, s); err != nil {
			return err
		}
		return errAbort
	})
	mustIs(t, err, errAbort, "InTx")
	if tenantExists(t, s, id) {
		t.Error("tenant of a failed transaction was committed")
	}
}

func txRollsBackOnPanic(t *testing.T, s storage.Storage) {
	var id string
	recovered := func() (r any) {
		defer func() { r = recover() }()
		_ = s.InTx(ctxFor(t), func(ctx context.Context) error {
			id, _ = createTenant(ctx, s)
			panic("boom")
		})
		return nil
	}()
	if recovered != "boom" {
		t.Fatalf("InTx did not re-panic with the original value: %v", recovered)
	}
	if id == "" || tenantExists(t, s, id) {
		t.Error("tenant of a panicking transaction was committed")
	}
}

func txNestedJoins(t *testing.T, s storage.Storage) {
	var outerID, innerID string
	err := s.InTx(ctxFor(t), func(ctx context.Context) error {
		var err error
		if outerID, err = createTenant(ctx, s); err != nil {
			return err
		}
		err = s.InTx(ctx, func(ctx context.Context) error {
			var err error
			innerID, err = createTenant(ctx, s)
			return err
		})
		if err != nil {
			return err
		}
		if tenantExists(t, s, innerID) {
			t.Error("nested InTx committed before the outer transaction")
		}
		return errAbort
	})
	mustIs(t, err, errAbort, "outer InTx")
	if tenantExists(t, s, outerID) || tenantExists(t, s, innerID) {
		t.Error("rolling back the outer transaction kept work from the nested one")
	}
}

func txBeginCommit(t *testing.T, s storage.Storage) {
	ctx, err := s.BeginTx(ctxFor(t))
	mustNil(t, err, "BeginTx")
	id, err := createTenant(ctx, s)
	mustNil(t, err, "CreateTenant in the transaction")
	if tenantExists(t, s, id) {
		t.Error("uncommitted tenant visible outside the transaction")
	}
	mustNil(t, s.Commit(ctx), "Commit")
	if !tenantExists(t, s, id) {
		t.Error("committed tenant not found")
	}
}

func txBeginRollback(t *testing.T, s storage.Storage) {
	ctx, err := s.BeginTx(ctxFor(t))
	mustNil(t, err, "BeginTx")
	id, err := createTenant(ctx, s)
	mustNil(t, err, "CreateTenant in the transaction")
	mustNil(t, s.Rollback(ctx), "Rollback")
	if tenantExists(t, s, id) {
		t.Error("rolled-back tenant was committed")
	}
}

func txReadsOwnWrites(t *testing.T, s storage.Storage) {
	err := s.InTx(ctxFor(t), func(ctx context.Context) error {
		id, err := createTenant(ctx, s)
		if err != nil {
			return err
		}
		_, err = s.GetTenant(ctx, id)
		return err
	})
	mustNil(t, err, "InTx reading its own write")
}
