package gormstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sigil-idp/sigil/storage"
)

type bulkJobRow struct {
	ID         string    `gorm:"column:id;primaryKey"`
	TenantID   string    `gorm:"column:tenant_id"`
	Kind       string    `gorm:"column:kind"`
	GroupID    string    `gorm:"column:group_id"`
	Status     string    `gorm:"column:status"`
	Input      []byte    `gorm:"column:input"`
	TotalRows  int       `gorm:"column:total_rows"`
	Processed  int       `gorm:"column:processed"`
	Succeeded  int       `gorm:"column:succeeded"`
	Failed     int       `gorm:"column:failed"`
	Actor      string    `gorm:"column:actor"`
	ActorName  string    `gorm:"column:actor_name"`
	CreatedAt  time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt  time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
	LeaseUntil time.Time `gorm:"column:lease_until"`
}

func (bulkJobRow) TableName() string { return "bulk_jobs" }

func (r bulkJobRow) toStorage() storage.BulkJob {
	return storage.BulkJob{ID: r.ID, TenantID: r.TenantID, Kind: r.Kind, GroupID: r.GroupID, Status: r.Status, Input: r.Input,
		TotalRows: r.TotalRows, Processed: r.Processed, Succeeded: r.Succeeded, Failed: r.Failed, Actor: []byte(r.Actor),
		ActorName: r.ActorName, CreatedAt: normalize(r.CreatedAt), UpdatedAt: normalize(r.UpdatedAt), LeaseUntil: normalize(r.LeaseUntil)}
}

type bulkRowRow struct {
	JobID    string `gorm:"column:job_id;primaryKey"`
	Row      int    `gorm:"column:row_number;primaryKey"`
	OK       bool   `gorm:"column:ok"`
	ObjectID string `gorm:"column:object_id"`
	Error    string `gorm:"column:error"`
}

func (bulkRowRow) TableName() string { return "bulk_job_rows" }

// CreateBulkJob implements storage.BulkStore.
func (s *Store) CreateBulkJob(ctx context.Context, j *storage.BulkJob) error {
	now := s.now()
	j.CreatedAt, j.UpdatedAt = orNow(j.CreatedAt, now), orNow(j.UpdatedAt, now)
	if j.LeaseUntil.IsZero() {
		j.LeaseUntil = j.CreatedAt
	}
	row := bulkJobRow{ID: j.ID, TenantID: j.TenantID, Kind: j.Kind, GroupID: j.GroupID, Status: j.Status, Input: j.Input,
		TotalRows: j.TotalRows, Actor: string(j.Actor), ActorName: j.ActorName, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt,
		LeaseUntil: normalize(j.LeaseUntil)}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// GetBulkJob implements storage.BulkStore.
func (s *Store) GetBulkJob(ctx context.Context, tenantID, id string) (*storage.BulkJob, error) {
	var row bulkJobRow
	if err := s.conn(ctx).Where("tenant_id = ? AND id = ?", tenantID, id).Take(&row).Error; err != nil {
		return nil, mapErr(err)
	}
	j := row.toStorage()
	return &j, nil
}

// ListBulkJobs implements storage.BulkStore.
func (s *Store) ListBulkJobs(ctx context.Context, tenantID string) ([]storage.BulkJob, error) {
	var rows []bulkJobRow
	err := s.conn(ctx).Omit("input").Where("tenant_id = ?", tenantID).Order("created_at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.BulkJob, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// ClaimBulkJob implements storage.BulkStore with a conditional UPDATE, so of
// two workers racing for one job only one wins.
func (s *Store) ClaimBulkJob(ctx context.Context, now, leaseUntil time.Time) (*storage.BulkJob, error) {
	now, leaseUntil = normalize(now), normalize(leaseUntil)
	claimable := func(db *gorm.DB) *gorm.DB {
		return db.Where("status = ? OR (status = ? AND lease_until < ?)", storage.BulkQueued, storage.BulkRunning, now)
	}
	for range 5 {
		var row bulkJobRow
		err := claimable(s.conn(ctx).Omit("input")).Order("created_at, id").Take(&row).Error
		if err != nil {
			return nil, mapErr(err)
		}
		res := claimable(s.conn(ctx).Model(&bulkJobRow{}).Where("id = ?", row.ID)).
			Updates(map[string]any{"status": storage.BulkRunning, "lease_until": leaseUntil, "updated_at": now})
		if res.Error != nil {
			return nil, mapErr(res.Error)
		}
		if res.RowsAffected == 1 {
			return s.GetBulkJob(ctx, row.TenantID, row.ID)
		}
	}
	return nil, storage.ErrNotFound
}

// RecordBulkRow implements storage.BulkStore.
func (s *Store) RecordBulkRow(ctx context.Context, tenantID string, r storage.BulkRowResult, leaseUntil time.Time) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		row := bulkRowRow{JobID: r.JobID, Row: r.Row, OK: r.OK, ObjectID: r.ObjectID, Error: r.Error}
		if err := s.conn(ctx).Create(&row).Error; err != nil {
			return mapErr(err)
		}
		ok, failed := 0, 1
		if r.OK {
			ok, failed = 1, 0
		}
		res := s.conn(ctx).Model(&bulkJobRow{}).Where("tenant_id = ? AND id = ?", tenantID, r.JobID).Updates(map[string]any{
			"processed": gorm.Expr("processed + 1"), "succeeded": gorm.Expr("succeeded + ?", ok),
			"failed": gorm.Expr("failed + ?", failed), "updated_at": s.now(), "lease_until": normalize(leaseUntil)})
		if res.Error != nil {
			return mapErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return storage.ErrNotFound
		}
		return nil
	})
}

// FinishBulkJob implements storage.BulkStore.
func (s *Store) FinishBulkJob(ctx context.Context, tenantID, id string, at time.Time) error {
	res := s.conn(ctx).Model(&bulkJobRow{}).Where("tenant_id = ? AND id = ?", tenantID, id).
		Updates(map[string]any{"status": storage.BulkCompleted, "updated_at": normalize(orNow(at, s.now())), "input": []byte{}})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// ListBulkRows implements storage.BulkStore.
func (s *Store) ListBulkRows(ctx context.Context, tenantID, jobID string) ([]storage.BulkRowResult, error) {
	if _, err := s.GetBulkJob(ctx, tenantID, jobID); err != nil {
		return nil, err
	}
	var rows []bulkRowRow
	if err := s.conn(ctx).Where("job_id = ?", jobID).Order("row_number").Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.BulkRowResult, 0, len(rows))
	for _, r := range rows {
		out = append(out, storage.BulkRowResult{JobID: r.JobID, Row: r.Row, OK: r.OK, ObjectID: r.ObjectID, Error: r.Error})
	}
	return out, nil
}
