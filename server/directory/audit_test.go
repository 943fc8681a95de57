package directory

import (
	"context"
	"errors"
	"testing"

	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/storage"
)

// failingAudit is the real store whose audit insert fails, to show that a
// change without its audit record does not happen.
type failingAudit struct{ storage.Storage }

func (failingAudit) AppendAuditRecord(context.Context, *storage.AuditRecord) error {
	return errors.New("audit log unavailable")
}

func TestAuditRecordCommitsAndRollsBackWithTheChange(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Service) {
		ctx := context.Background()
		tenantID := mustTenant(t, s, "contoso.test")
		u, err := s.CreateUser(ctx, tenantID, NewUser{UserPrincipalName: "adele@contoso.test", Password: "Pr0mpt-Tulip-Garden!"})
		if err != nil {
			t.Fatal(err)
		}
		admin := Actor{System: true}
		t.Run("a change writes one record with actor, correlation ID and old and new values (K-10)", func(t *testing.T) {
			ctx := WithAuditActor(requestid.With(ctx, "req-42"), AuditActor{Type: storage.AuditActorUser, ID: "admin-1", Name: "admin@contoso.test"})
			name := "Adele Vance"
			if _, err := s.UpdateUser(ctx, admin, tenantID, u.ID, UserChange{DisplayName: &name}); err != nil {
				t.Fatal(err)
			}
			recs := mustAudit(t, s, tenantID, storage.AuditFilter{CorrelationID: "req-42"})
			if len(recs) != 1 {
				t.Fatalf("got %d records for the request, want 1", len(recs))
			}
			r := recs[0]
			want := storage.ModifiedProperty{Name: "displayName", OldValue: `"adele"`, NewValue: `"Adele Vance"`}
			if r.Activity != "Update user" || r.ActorName != "admin@contoso.test" || r.TargetID != u.ID ||
				len(r.Modified) != 1 || r.Modified[0] != want {
				t.Errorf("record = %+v", r)
			}
		})
		t.Run("an outer transaction that fails rolls back the change and its record", func(t *testing.T) {
			boom := errors.New("later step failed")
			name := "Rolled Back"
			err := s.Store.InTx(requestid.With(ctx, "req-rollback"), func(ctx context.Context) error {
				if _, err := s.UpdateUser(ctx, admin, tenantID, u.ID, UserChange{DisplayName: &name}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx = %v", err)
			}
			got, _ := s.GetUser(ctx, tenantID, u.ID)
			if got.DisplayName == name || len(mustAudit(t, s, tenantID, storage.AuditFilter{CorrelationID: "req-rollback"})) != 0 {
				t.Errorf("the change (%q) or its record survived a rollback", got.DisplayName)
			}
		})
		t.Run("a change whose record cannot be written does not happen", func(t *testing.T) {
			broken := &Service{Store: failingAudit{s.Store}, Keys: s.Keys, Now: s.Now}
			if err := broken.DeleteUser(ctx, tenantID, u.ID); err == nil {
				t.Fatal("DeleteUser succeeded without its audit record")
			}
			if _, err := s.GetUser(ctx, tenantID, u.ID); err != nil {
				t.Errorf("the user is gone although the audit record failed: %v", err)
			}
		})
		t.Run("a refused change writes no record", func(t *testing.T) {
			before := len(mustAudit(t, s, tenantID, storage.AuditFilter{}))
			bad := "Alien"
			if _, err := s.UpdateUser(ctx, admin, tenantID, u.ID, UserChange{UserType: &bad}); err == nil {
				t.Fatal("an invalid userType was accepted")
			}
			if after := len(mustAudit(t, s, tenantID, storage.AuditFilter{})); after != before {
				t.Errorf("records went from %d to %d", before, after)
			}
		})
	})
}

func mustAudit(t *testing.T, s *Service, tenantID string, f storage.AuditFilter) []storage.AuditRecord {
	t.Helper()
	recs, err := s.Store.ListAuditRecords(context.Background(), tenantID, f, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
