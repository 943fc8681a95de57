package storage

import (
	"context"
	"time"
)

// Audit record results (Graph's operationResult).
const (
	AuditSuccess = "success"
	AuditFailure = "failure"
)

// Audit operation types (Graph's directoryAudit operationType).
const (
	AuditAdd    = "Add"
	AuditUpdate = "Update"
	AuditDelete = "Delete"
	AuditAssign = "Assign"
)

// Audit actor types: who initiated a change.
const (
	AuditActorUser   = "user"
	AuditActorApp    = "app"
	AuditActorSystem = "system" // the operator's CLI, bootstrap and background jobs
)

// AuditRecord is one directory audit entry (K-10): who changed what, when,
// with which result, under which correlation ID. Records are insert-only: the
// store offers no update, and the database refuses one.
type AuditRecord struct {
	ID               string
	TenantID         string
	ActivityDateTime time.Time
	Category         string // UserManagement, GroupManagement, RoleManagement, ApplicationManagement, Policy, ...
	Activity         string // activityDisplayName, e.g. "Add user"
	OperationType    string // AuditAdd, AuditUpdate, AuditDelete, AuditAssign
	Result           string // AuditSuccess or AuditFailure
	ResultReason     string
	CorrelationID    string // the request ID of the change
	ActorType        string // AuditActorUser, AuditActorApp or AuditActorSystem
	ActorID          string // user object ID or client ID
	ActorName        string // UPN or app display name
	TargetType       string // User, Group, Role, Application, Tenant, Policy
	TargetID         string
	TargetName       string
	Modified         []ModifiedProperty
}

// ModifiedProperty is one property a change touched, with its value before
// and after (JSON text, "" when absent). Secrets are never recorded.
type ModifiedProperty struct {
	Name     string
	OldValue string
	NewValue string
}

// AuditFilter narrows ListAuditRecords; empty fields match everything.
type AuditFilter struct {
	Since         time.Time // activityDateTime >= Since
	Until         time.Time // activityDateTime < Until
	Category      string
	Activity      string
	TargetID      string
	ActorID       string
	CorrelationID string
}

// AuditStore keeps directory audit records.
type AuditStore interface {
	// AppendAuditRecord inserts a record; it joins the context's transaction,
	// so the record commits or rolls back with the change it describes.
	AppendAuditRecord(ctx context.Context, r *AuditRecord) error
	// ListAuditRecords returns up to limit matching records of the tenant,
	// newest first, skipping the first offset.
	ListAuditRecords(ctx context.Context, tenantID string, f AuditFilter, offset, limit int) ([]AuditRecord, error)
	// DeleteAuditRecordsBefore removes records older than before (retention);
	// tenantID "" applies to every tenant. It is the only way records leave.
	DeleteAuditRecordsBefore(ctx context.Context, tenantID string, before time.Time) (int64, error)
}
