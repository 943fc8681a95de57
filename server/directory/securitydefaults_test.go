package directory

import (
	"context"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// TestSecurityDefaults: new tenants start with security defaults on (F-14)
// unless created without; only a Conditional Access Administrator, Security
// Administrator or Global Administrator may change them (F-15); the change
// is audited and enabling can end every user sign-in (F-18).
func TestSecurityDefaults(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *Service) {
		ctx := context.Background()
		id := mustTenant(t, s, "contoso.example")
		tenant, err := s.Store.GetTenant(ctx, id)
		mustOK(t, err, "GetTenant")
		if !tenant.Settings.SecurityDefaults {
			t.Fatal("a new tenant starts without security defaults")
		}
		off, err := s.CreateTenant(ctx, NewTenant{DisplayName: "Fabrikam", Domain: "fabrikam.example", WithoutSecurityDefaults: true})
		mustOK(t, err, "CreateTenant without security defaults")
		if off.Settings.SecurityDefaults {
			t.Error("WithoutSecurityDefaults was ignored")
		}

		for _, roles := range [][]string{nil, {RoleUserAdministrator}, {RoleGlobalReader}} {
			_, err := s.SetSecurityDefaults(ctx, Actor{UserID: "u", RoleTemplateIDs: roles}, id, SecurityDefaultsChange{Enabled: false})
			assertRoleRequired(t, err)
		}
		for _, role := range []string{RoleConditionalAccessAdministrator, RoleSecurityAdministrator, RoleGlobalAdministrator} {
			res, err := s.SetSecurityDefaults(ctx, Actor{UserID: "admin", RoleTemplateIDs: []string{role}}, id, SecurityDefaultsChange{Enabled: false})
			mustOK(t, err, "SetSecurityDefaults off as "+role)
			if res.Tenant.Settings.SecurityDefaults {
				t.Errorf("%s: still enabled", role)
			}
		}
		user, err := s.CreateUser(ctx, id, NewUser{UserPrincipalName: "ann@contoso.example", DisplayName: "Ann", Password: "correct horse battery staple"})
		mustOK(t, err, "CreateUser")
		sess := &storage.BrowserSession{ID: newID(), TenantID: id, UserID: user.ID, CreatedAt: testNow, AuthTime: testNow, ExpiresAt: testNow.Add(time.Hour)}
		mustOK(t, s.Store.CreateBrowserSession(ctx, sess), "CreateBrowserSession")
		res, err := s.SetSecurityDefaults(ctx, Actor{UserID: "admin", RoleTemplateIDs: []string{RoleConditionalAccessAdministrator}}, id,
			SecurityDefaultsChange{Enabled: true, RevokeSessions: true})
		mustOK(t, err, "SetSecurityDefaults on")
		if !res.Tenant.Settings.SecurityDefaults {
			t.Error("not enabled")
		}
		got, err := s.Store.GetBrowserSession(ctx, sess.ID)
		mustOK(t, err, "GetBrowserSession")
		if got.RevokedAt == nil {
			t.Error("enabling with RevokeSessions left a session alive")
		}
		records, err := s.Store.ListAuditRecords(ctx, id, storage.AuditFilter{Activity: "Update security defaults"}, 0, 10)
		mustOK(t, err, "ListAuditRecords")
		if len(records) != 4 {
			t.Errorf("%d audit records of the change, want 4 (three off, one on)", len(records))
		}
	})
}
