package gormstore

import (
	"context"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

type signInRow struct {
	ID                      string     `gorm:"column:id;primaryKey"`
	TenantID                string     `gorm:"column:tenant_id"`
	CreatedAt               time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	CorrelationID           string     `gorm:"column:correlation_id"`
	RequestID               string     `gorm:"column:request_id"`
	UserID                  string     `gorm:"column:user_id"`
	UserPrincipalName       string     `gorm:"column:user_principal_name"`
	UserDisplayName         string     `gorm:"column:user_display_name"`
	AppID                   string     `gorm:"column:app_id"`
	AppDisplayName          string     `gorm:"column:app_display_name"`
	ResourceID              string     `gorm:"column:resource_id"`
	IPAddress               string     `gorm:"column:ip_address"`
	Country                 string     `gorm:"column:country"`
	UserAgent               string     `gorm:"column:user_agent"`
	Platform                string     `gorm:"column:platform"`
	ClientAppType           string     `gorm:"column:client_app_type"`
	IsInteractive           bool       `gorm:"column:is_interactive"`
	AuthRequirement         string     `gorm:"column:authentication_requirement"`
	AuthMethods             stringList `gorm:"column:authentication_methods"`
	ErrorCode               int        `gorm:"column:error_code"`
	FailureReason           string     `gorm:"column:failure_reason"`
	ConditionalAccessStatus string     `gorm:"column:conditional_access_status"`
	AppliedPolicies         string     `gorm:"column:applied_policies"`
	RiskLevel               string     `gorm:"column:risk_level"`
	RiskDetections          stringList `gorm:"column:risk_detections"`
}

func (signInRow) TableName() string { return "sign_in_logs" }

func (r signInRow) toStorage() storage.SignIn {
	return storage.SignIn{ID: r.ID, TenantID: r.TenantID, CreatedAt: normalize(r.CreatedAt), CorrelationID: r.CorrelationID,
		RequestID: r.RequestID, UserID: r.UserID, UserPrincipal: r.UserPrincipalName, UserName: r.UserDisplayName,
		AppID: r.AppID, AppName: r.AppDisplayName, ResourceID: r.ResourceID, IPAddress: r.IPAddress, Country: r.Country,
		UserAgent: r.UserAgent, Platform: r.Platform, ClientAppType: r.ClientAppType, Interactive: r.IsInteractive,
		AuthRequirement: r.AuthRequirement, AuthMethods: r.AuthMethods, ErrorCode: r.ErrorCode, FailureReason: r.FailureReason,
		ConditionalAccessStatus: r.ConditionalAccessStatus, AppliedPolicies: []byte(r.AppliedPolicies),
		RiskLevel: r.RiskLevel, RiskDetections: r.RiskDetections}
}

// InsertSignIn implements storage.AccessStore.
func (s *Store) InsertSignIn(ctx context.Context, in *storage.SignIn) error {
	in.CreatedAt = orNow(in.CreatedAt, s.now())
	applied := string(in.AppliedPolicies)
	if applied == "" {
		applied = "[]"
	}
	row := signInRow{ID: in.ID, TenantID: in.TenantID, CreatedAt: in.CreatedAt, CorrelationID: in.CorrelationID,
		RequestID: in.RequestID, UserID: in.UserID, UserPrincipalName: in.UserPrincipal, UserDisplayName: in.UserName,
		AppID: in.AppID, AppDisplayName: in.AppName, ResourceID: in.ResourceID, IPAddress: in.IPAddress, Country: in.Country,
		UserAgent: in.UserAgent, Platform: in.Platform, ClientAppType: in.ClientAppType, IsInteractive: in.Interactive,
		AuthRequirement: in.AuthRequirement, AuthMethods: in.AuthMethods, ErrorCode: in.ErrorCode, FailureReason: in.FailureReason,
		ConditionalAccessStatus: in.ConditionalAccessStatus, AppliedPolicies: applied,
		RiskLevel: in.RiskLevel, RiskDetections: in.RiskDetections}
	if row.AuthMethods == nil {
		row.AuthMethods = stringList{}
	}
	if row.RiskDetections == nil {
		row.RiskDetections = stringList{}
	}
	return mapErr(s.conn(ctx).Create(&row).Error)
}

// ListSignIns implements storage.AccessStore: newest first, keyset paging.
func (s *Store) ListSignIns(ctx context.Context, tenantID string, f storage.SignInFilter, limit int) ([]storage.SignIn, error) {
	q := s.conn(ctx).Where("tenant_id = ?", tenantID)
	for column, value := range map[string]string{"user_id": f.UserID, "app_id": f.AppID, "correlation_id": f.CorrelationID} {
		if value != "" {
			q = q.Where(column+" = ?", value)
		}
	}
	if !f.Since.IsZero() {
		q = q.Where("created_at >= ?", normalize(f.Since))
	}
	if !f.Until.IsZero() {
		q = q.Where("created_at < ?", normalize(f.Until))
	}
	switch f.Status {
	case "success":
		q = q.Where("error_code = 0")
	case "failure":
		q = q.Where("error_code <> 0")
	}
	if !f.BeforeTime.IsZero() {
		t := normalize(f.BeforeTime)
		q = q.Where("(created_at < ? OR (created_at = ? AND id < ?))", t, t, f.BeforeID)
	}
	var rows []signInRow
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, mapErr(err)
	}
	out := make([]storage.SignIn, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.toStorage())
	}
	return out, nil
}

// LastSuccessfulSignIn implements storage.AccessStore.
func (s *Store) LastSuccessfulSignIn(ctx context.Context, tenantID, userID string) (*storage.SignIn, error) {
	var row signInRow
	err := s.conn(ctx).Where("tenant_id = ? AND user_id = ? AND error_code = 0 AND is_interactive = ?", tenantID, userID, true).
		Order("created_at DESC, id DESC").Take(&row).Error
	if err != nil {
		return nil, mapErr(err)
	}
	out := row.toStorage()
	return &out, nil
}

// PurgeSignInsBefore implements storage.AccessStore.
func (s *Store) PurgeSignInsBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.conn(ctx).Where("created_at < ?", normalize(cutoff)).Delete(&signInRow{})
	return res.RowsAffected, mapErr(res.Error)
}
