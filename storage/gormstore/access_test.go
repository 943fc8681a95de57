package gormstore

import (
	"context"
	"strings"
	"testing"

	"github.com/sigil-idp/sigil/storage"
)

// TestSignInLogIsInsertOnly: the database itself refuses to change a
// sign-in log row, on both backends (G-29).
func TestSignInLogIsInsertOnly(t *testing.T) {
	for name, open := range map[string]func(t *testing.T) *Store{
		"sqlite":   newSQLiteStore,
		"postgres": func(t *testing.T) *Store { return newPostgresStore(t, postgresDSN(t)) },
	} {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := context.Background()
			tenant := &storage.Tenant{ID: "t1", DisplayName: "T"}
			if err := s.CreateTenant(ctx, tenant, nil); err != nil {
				t.Fatal(err)
			}
			row := &storage.SignIn{ID: "s1", TenantID: "t1", UserID: "u1", ErrorCode: 50126, FailureReason: "wrong password"}
			if err := s.InsertSignIn(ctx, row); err != nil {
				t.Fatal(err)
			}
			err := s.db.Exec("UPDATE sign_in_logs SET error_code = 0 WHERE id = 's1'").Error
			if err == nil || !strings.Contains(err.Error(), "cannot be changed") {
				t.Errorf("UPDATE of a sign-in row: err = %v, want it refused", err)
			}
		})
	}
}
