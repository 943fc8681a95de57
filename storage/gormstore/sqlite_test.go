package gormstore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func TestSQLiteConnectionsCarryPragmas(t *testing.T) {
	t.Parallel()
	s := newSQLiteStore(t)
	ctx := context.Background()
	want := map[string]string{"foreign_keys": "1", "journal_mode": "wal", "busy_timeout": "10000"}
	// Hold several connections at once so that more than one is checked.
	err := s.InTx(ctx, func(ctx context.Context) error {
		for pragma, value := range want {
			var got string
			if err := s.db.WithContext(ctx).Raw("PRAGMA " + pragma).Scan(&got).Error; err != nil {
				return err
			}
			if got != value {
				t.Errorf("PRAGMA %s = %q, want %q", pragma, got, value)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSQLiteStoresTimesAsSortableUTCText(t *testing.T) {
	t.Parallel()
	s := newSQLiteStore(t)
	ctx := context.Background()
	at := time.Date(2030, 1, 2, 3, 4, 5, 600700800, time.FixedZone("UTC-7", -7*3600))
	tenant := &storage.Tenant{ID: "t1", DisplayName: "T", CreatedAt: at, UpdatedAt: at}
	if err := s.CreateTenant(ctx, tenant, nil); err != nil {
		t.Fatal(err)
	}
	var text string
	if err := s.db.Raw("SELECT CAST(created_at AS TEXT) FROM tenants").Scan(&text).Error; err != nil {
		t.Fatal(err)
	}
	if want := "2030-01-02 10:04:05.6007+00:00"; text != want {
		t.Errorf("created_at stored as %q, want %q", text, want)
	}
}

func TestSQLiteSerializesReadModifyWriteTransactions(t *testing.T) {
	t.Parallel()
	s := newSQLiteStore(t)
	ctx := context.Background()
	if err := s.CreateTenant(ctx, &storage.Tenant{ID: "t1"}, nil); err != nil {
		t.Fatal(err)
	}
	flow := &storage.Flow{ID: "f1", TenantID: "t1", ExpiresAt: time.Now().Add(time.Hour)}
	if err := s.CreateFlow(ctx, flow); err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for range workers {
		wg.Go(func() {
			for range rounds {
				errs <- s.InTx(ctx, func(ctx context.Context) error { return incrementFailures(ctx, s, "f1") })
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("read-modify-write transaction failed: %v", err)
		}
	}
	got, err := s.GetFlow(ctx, "f1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Failures != workers*rounds {
		t.Errorf("Failures = %d, want %d (lost updates)", got.Failures, workers*rounds)
	}
}

func incrementFailures(ctx context.Context, s *Store, id string) error {
	f, err := s.GetFlow(ctx, id)
	if err != nil {
		return err
	}
	prev := f.UpdatedAt
	f.Failures++
	return s.UpdateFlow(ctx, f, prev)
}

func TestTransactionMisuse(t *testing.T) {
	t.Parallel()
	s := newSQLiteStore(t)
	ctx := context.Background()
	if err := s.Commit(ctx); !errors.Is(err, ErrNoTransaction) {
		t.Errorf("Commit without a transaction: %v, want ErrNoTransaction", err)
	}
	if err := s.Rollback(ctx); !errors.Is(err, ErrNoTransaction) {
		t.Errorf("Rollback without a transaction: %v, want ErrNoTransaction", err)
	}
	txCtx, err := s.BeginTx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Rollback(txCtx) }()
	if _, err := s.BeginTx(txCtx); !errors.Is(err, ErrTransactionInProgress) {
		t.Errorf("nested BeginTx: %v, want ErrTransactionInProgress", err)
	}
	other := newSQLiteStore(t)
	if err := other.Commit(txCtx); !errors.Is(err, ErrNoTransaction) {
		t.Errorf("another store committed this store's transaction: %v", err)
	}
}

func TestQueryLogOmitsArgumentsAndExpectedFailures(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, nil))
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "sigil.db"), Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	ctx := context.Background()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	buf.Reset()
	mu.Unlock()

	const secret = "refresh-token-signature-value"
	if err := s.UseJTI(ctx, secret, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.UseJTI(ctx, secret, time.Now().Add(time.Hour)); !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("replayed jti: %v", err)
	}
	if _, err := s.GetOAuthRecord(ctx, storage.KindRefreshToken, secret); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing record: %v", err)
	}
	mu.Lock()
	quiet := buf.String()
	mu.Unlock()
	if quiet != "" {
		t.Errorf("expected outcomes were logged: %s", quiet)
	}

	err = s.conn(ctx).Exec("SELECT * FROM no_such_table WHERE secret = ?", secret).Error
	if err == nil {
		t.Fatal("query on a missing table succeeded")
	}
	mu.Lock()
	logged := buf.String()
	mu.Unlock()
	if !strings.Contains(logged, "query failed") {
		t.Errorf("failed query not logged: %q", logged)
	}
	if strings.Contains(logged, secret) {
		t.Errorf("query argument leaked into the log: %q", logged)
	}
}

// lockedWriter serializes writes from concurrent loggers.
type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
