package directory

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"time"

	"github.com/sigil-idp/sigil/server/requestid"
	"github.com/sigil-idp/sigil/storage"
)

// Audit categories (Graph's directoryAudit category).
const (
	CategoryUser        = "UserManagement"
	CategoryGroup       = "GroupManagement"
	CategoryRole        = "RoleManagement"
	CategoryApplication = "ApplicationManagement"
	CategoryDirectory   = "DirectoryManagement"
	CategoryPolicy      = "Policy"
)

// AuditActor is who makes a change, as the audit log names them. The admin
// API puts the caller into the request context with WithAuditActor; without
// one, a change is the operator's (the CLI, bootstrap, background jobs).
type AuditActor struct {
	Type string // storage.AuditActorUser, AuditActorApp or AuditActorSystem
	ID   string
	Name string
}

type auditActorKey struct{}

// WithAuditActor returns a context whose changes are recorded as a's.
func WithAuditActor(ctx context.Context, a AuditActor) context.Context {
	return context.WithValue(ctx, auditActorKey{}, a)
}

func auditActorFrom(ctx context.Context) AuditActor {
	if a, ok := ctx.Value(auditActorKey{}).(AuditActor); ok {
		return a
	}
	return AuditActor{Type: storage.AuditActorSystem, Name: "sigil"}
}

// Change describes one change to the directory for its audit record.
type Change struct {
	TenantID   string
	Category   string
	Activity   string // e.g. "Update user"
	Operation  string // storage.AuditAdd, AuditUpdate, AuditDelete, AuditAssign
	TargetType string
	TargetID   string
	TargetName string
	Modified   []storage.ModifiedProperty
}

// Record writes the audit record of a change (K-10). It is the one function
// every change of the directory calls, inside the transaction of the change,
// so the record commits or rolls back with it. The correlation ID is the
// request ID of the context (one is made for changes outside a request).
func Record(ctx context.Context, store storage.AuditStore, now time.Time, c Change) error {
	actor := auditActorFrom(ctx)
	correlation := requestid.From(ctx)
	if correlation == "" {
		correlation = newID()
	}
	return store.AppendAuditRecord(ctx, &storage.AuditRecord{
		ID: newID(), TenantID: c.TenantID, ActivityDateTime: now.UTC(), Category: c.Category,
		Activity: c.Activity, OperationType: c.Operation, Result: storage.AuditSuccess,
		CorrelationID: correlation, ActorType: actor.Type, ActorID: actor.ID, ActorName: actor.Name,
		TargetType: c.TargetType, TargetID: c.TargetID, TargetName: c.TargetName, Modified: c.Modified,
	})
}

// record is Record with the service's clock.
func (s *Service) record(ctx context.Context, c Change) error {
	return Record(ctx, s.Store, s.now(), c)
}

// Diff lists the properties whose values differ between before and after
// (maps from property name to value), in name order, with JSON values; a
// name missing on one side is "" there. Callers leave secrets out.
func Diff(before, after map[string]any) []storage.ModifiedProperty {
	names := make([]string, 0, len(after))
	for name := range after {
		names = append(names, name)
	}
	for name := range before {
		if _, ok := after[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var out []storage.ModifiedProperty
	for _, name := range names {
		old, had := before[name]
		cur, has := after[name]
		if had && has && reflect.DeepEqual(old, cur) {
			continue
		}
		out = append(out, storage.ModifiedProperty{Name: name, OldValue: jsonText(old, had), NewValue: jsonText(cur, has)})
	}
	return out
}

func jsonText(v any, present bool) string {
	if !present {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// userAuditProps are the audited properties of a user (never the password).
func userAuditProps(u *storage.User) map[string]any {
	if u == nil {
		return nil
	}
	return map[string]any{
		"userPrincipalName": u.UserPrincipalName, "displayName": u.DisplayName, "givenName": u.GivenName,
		"surname": u.Surname, "mail": u.Mail, "userType": u.UserType, "accountEnabled": u.AccountEnabled,
		"department": u.Department, "jobTitle": u.JobTitle, "companyName": u.CompanyName,
		"employeeId": u.EmployeeID, "city": u.City, "country": u.Country, "usageLocation": u.UsageLocation,
		"mobilePhone": u.MobilePhone, "otherMails": u.OtherMails,
	}
}

// userChangeRecord is the audit record of a change to a user.
func userChangeRecord(activity, op string, before, after *storage.User) Change {
	target := after
	if target == nil {
		target = before
	}
	return Change{TenantID: target.TenantID, Category: CategoryUser, Activity: activity, Operation: op,
		TargetType: "User", TargetID: target.ID, TargetName: target.UserPrincipalName,
		Modified: Diff(userAuditProps(before), userAuditProps(after))}
}

// groupAuditProps are the audited properties of a group.
func groupAuditProps(g *storage.Group) map[string]any {
	if g == nil {
		return nil
	}
	return map[string]any{
		"displayName": g.DisplayName, "description": g.Description, "mailNickname": g.MailNickname,
		"isAssignableToRole": g.IsAssignableToRole, "membershipRule": g.MembershipRule,
	}
}

func groupChangeRecord(activity, op string, before, after *storage.Group) Change {
	target := after
	if target == nil {
		target = before
	}
	return Change{TenantID: target.TenantID, Category: CategoryGroup, Activity: activity, Operation: op,
		TargetType: "Group", TargetID: target.ID, TargetName: target.DisplayName,
		Modified: Diff(groupAuditProps(before), groupAuditProps(after))}
}

// linkRecord is the audit record of adding or removing a member or owner.
func linkRecord(activity, op string, g *storage.Group, memberType, memberID, relation string) Change {
	link := map[string]any{"type": memberType, "id": memberID}
	var before, after map[string]any
	if op == storage.AuditDelete {
		before = map[string]any{relation: link}
	} else {
		after = map[string]any{relation: link}
	}
	return Change{TenantID: g.TenantID, Category: CategoryGroup, Activity: activity, Operation: op,
		TargetType: "Group", TargetID: g.ID, TargetName: g.DisplayName, Modified: Diff(before, after)}
}

// appAuditProps are the audited properties of an application: secrets only
// by ID and hint.
func appAuditProps(a *storage.Application) map[string]any {
	if a == nil {
		return nil
	}
	secrets := make([]string, 0, len(a.Secrets))
	for _, cs := range a.Secrets {
		secrets = append(secrets, cs.ID+" ("+cs.Hint+"…)")
	}
	return map[string]any{
		"displayName": a.DisplayName, "redirectUris": a.RedirectURIs, "public": a.Public,
		"groupMembershipClaims": a.GroupMembershipClaims, "passwordCredentials": secrets,
	}
}

func appChangeRecord(activity, op string, before, after *storage.Application) Change {
	target := after
	if target == nil {
		target = before
	}
	return Change{TenantID: target.TenantID, Category: CategoryApplication, Activity: activity, Operation: op,
		TargetType: "Application", TargetID: target.ID, TargetName: target.DisplayName,
		Modified: Diff(appAuditProps(before), appAuditProps(after))}
}

// roleAssignmentRecord is the audit record of a directory role assignment
// given or taken away; the target is the principal.
func roleAssignmentRecord(activity, op, roleName string, a *storage.RoleAssignment) Change {
	value := map[string]any{"roleDefinitionId": a.RoleDefinitionID, "role": roleName, "assignmentId": a.ID}
	var before, after map[string]any
	if op == storage.AuditDelete {
		before = map[string]any{"role": value}
	} else {
		after = map[string]any{"role": value}
	}
	return Change{TenantID: a.TenantID, Category: CategoryRole, Activity: activity, Operation: op,
		TargetType: a.PrincipalType, TargetID: a.PrincipalID, TargetName: roleName, Modified: Diff(before, after)}
}
