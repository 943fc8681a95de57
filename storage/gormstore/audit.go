package gormstore

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

type auditRecordRow struct {
	ID               string       `gorm:"column:id;primaryKey"`
	TenantID         string       `gorm:"column:tenant_id"`
	ActivityDateTime time.Time    `gorm:"column:activity_date_time"`
	Category         string       `gorm:"column:category"`
	Activity         string       `gorm:"column:activity"`
	OperationType    string       `gorm:"column:operation_type"`
	Result           string       `gorm:"column:result"`
	ResultReason     string       `gorm:"column:result_reason"`
	CorrelationID    string       `gorm:"column:correlation_id"`
	ActorType        string       `gorm:"column:actor_type"`
	ActorID          string       `gorm:"column:actor_id"`
	ActorName        string       `gorm:"column:actor_name"`
	TargetType       string       `gorm:"column:target_type"`
	TargetID         string       `gorm:"column:target_id"`
	TargetName       string       `gorm:"column:target_name"`
	Modified         modifiedList `gorm:"column:modified"`
}

func (auditRecordRow) TableName() string { return "audit_records" }

func (r auditRecordRow) toStorage() storage.AuditRecord {
	return storage.AuditRecord{
		ID: r.ID, TenantID: r.TenantID, ActivityDateTime: normalize(r.ActivityDateTime), Category: r.Category,
		Activity: r.Activity, OperationType: r.OperationType, Result: r.Result, ResultReason: r.ResultReason,
		CorrelationID: r.CorrelationID, ActorType: r.ActorType, ActorID: r.ActorID, ActorName: r.ActorName,
		TargetType: r.TargetType, TargetID: r.TargetID, TargetName: r.TargetName, Modified: r.Modified,
	}
}

// modifiedList stores the modified properties as a JSON array.
type modifiedList []storage.ModifiedProperty

type modifiedJSON struct {
	Name string `json:"name"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Value implements driver.Valuer.
func (l modifiedList) Value() (driver.Value, error) {
	out := make([]modifiedJSON, 0, len(l))
	for _, p := range l {
		out = append(out, modifiedJSON{Name: p.Name, Old: p.OldValue, New: p.NewValue})
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// Scan implements sql.Scanner.
func (l *modifiedList) Scan(src any) error {
	var raw []byte
	switch v := src.(type) {
	case string:
		raw = []byte(v)
	case []byte:
		raw = v
	default:
		return fmt.Errorf("gormstore: cannot scan %T into modified properties", src)
	}
	var in []modifiedJSON
	if err := json.Unmarshal(raw, &in); err != nil {
		return fmt.Errorf("gormstore: modified properties: %w", err)
	}
	*l = nil
	for _, p := range in {
		*l = append(*l, storage.ModifiedProperty{Name: p.Name, OldValue: p.Old, NewValue: p.New})
	}
	return nil
}

// AppendAuditRecord inserts r in the context's transaction, if any.
func (s *Store) AppendAuditRecord(ctx context.Context, r *storage.AuditRecord) error {
	r.ActivityDateTime = orNow(r.ActivityDateTime, s.now())
	row := auditRecordRow{
		ID: r.ID, TenantID: r.TenantID, ActivityDateTime: r.ActivityDateTime, Category: r.Category,
		Activity: r.Activity, OperationType: r.OperationType, Result: r.Result, ResultReason: r.ResultReason,
		CorrelationID: r.CorrelationID, ActorType: r.ActorType, ActorID: r.ActorID, ActorName: r.ActorName,
		TargetType: r.TargetType, TargetID: r.TargetID, TargetName: r.TargetName, Modified: r.Modified,
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// ListAuditRecords returns matching records newest first.
func (s *Store) ListAuditRecords(ctx context.Context, tenantID string, f storage.AuditFilter, offset, limit int) ([]storage.AuditRecord, error) {
	q := s.conn(ctx).Where("tenant_id = ?", tenantID)
	if !f.Since.IsZero() {
		q = q.Where("activity_date_time >= ?", normalize(f.Since))
	}
	if !f.Until.IsZero() {
		q = q.Where("activity_date_time < ?", normalize(f.Until))
	}
	for column, value := range map[string]string{
		"category": f.Category, "activity": f.Activity, "target_id": f.TargetID,
		"actor_id": f.ActorID, "correlation_id": f.CorrelationID,
	} {
		if value != "" {
			q = q.Where(column+" = ?", value)
		}
	}
	var rows []auditRecordRow
	err := q.Order("activity_date_time DESC, id DESC").Offset(max(offset, 0)).Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.AuditRecord, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// DeleteAuditRecordsBefore applies the retention period.
func (s *Store) DeleteAuditRecordsBefore(ctx context.Context, tenantID string, before time.Time) (int64, error) {
	q := s.conn(ctx).Where("activity_date_time < ?", normalize(before))
	if tenantID != "" {
		q = q.Where("tenant_id = ?", tenantID)
	}
	res := q.Delete(&auditRecordRow{})
	return res.RowsAffected, mapErr(res.Error)
}
