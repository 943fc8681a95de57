package access

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/server/policy"
	"github.com/sigil-idp/sigil/storage"
)

// Sign-in error codes, modelled on Entra's AADSTS numbers so that people who
// know those can read Sigil's log (0 is success).
const (
	CodeSuccess               = 0
	CodeBadCredentials        = 50126 // wrong password or unknown user (the log does not tell them apart for the user)
	CodeBlocked               = 53003 // blocked by Conditional Access or security defaults
	CodeMFAFailed             = 500121
	CodeInteractionRequired   = 50076 // prompt=none but MFA or consent needed
	CodeNotAssigned           = 50105
	CodeDeclined              = 65004 // consent or terms of use declined
	CodePasswordChange        = 50144
	CodeUnmetRequirements     = 53008 // an essential acr Sigil cannot reach
	CodeRefreshRevoked        = 70043 // refresh refused at re-evaluation
	CodeLegacyAuthentication  = 53011 // a password grant or basic authentication
	CodeAccountDisabled       = 50057
	CodeInvalidClientOrSecret = 7000215
)

// SignInRecord is what the log needs to know about a finished sign-in or a
// token request.
type SignInRecord struct {
	Tenant        *storage.Tenant
	CorrelationID string
	RequestID     string
	// User is nil when the user is unknown; UserPrincipal is then what was
	// typed.
	User          *storage.User
	UserPrincipal string
	AppID         string
	AppName       string
	ResourceID    string
	Addr          netip.Addr
	UserAgent     string
	ClientAppType string
	Interactive   bool
	AMR           []string
	ACR           string
	ErrorCode     int
	FailureReason string
	// Evaluation is the last access evaluation of the sign-in (nil when it
	// ended before one).
	Evaluation *Evaluation
	Facts      Facts
}

// Record writes the sign-in log row. It never fails the sign-in: the caller
// logs the error.
func (s *Service) Record(ctx context.Context, rec SignInRecord) error {
	row := &storage.SignIn{ID: newUUID(), TenantID: rec.Tenant.ID, CreatedAt: s.now(), CorrelationID: rec.CorrelationID,
		RequestID: rec.RequestID, UserPrincipal: rec.UserPrincipal, AppID: rec.AppID, AppName: rec.AppName,
		ResourceID: rec.ResourceID, UserAgent: truncate(rec.UserAgent, 512), Platform: policy.PlatformFromUserAgent(rec.UserAgent),
		ClientAppType: rec.ClientAppType, Interactive: rec.Interactive, AuthMethods: rec.AMR, ErrorCode: rec.ErrorCode,
		FailureReason: truncate(rec.FailureReason, 1024), RiskLevel: rec.Facts.Risk, RiskDetections: rec.Facts.Detections,
		AuthRequirement: "singleFactorAuthentication", ConditionalAccessStatus: policy.OutcomeNotApplied}
	if rec.Addr.IsValid() {
		row.IPAddress = rec.Addr.String()
		row.Country = s.GeoIP.Lookup(rec.Addr).Country
	}
	if rec.User != nil {
		row.UserID, row.UserPrincipal, row.UserName = rec.User.ID, rec.User.UserPrincipalName, rec.User.DisplayName
	}
	if mfa.LevelOf(rec.ACR) >= mfa.LevelMFA {
		row.AuthRequirement = "multiFactorAuthentication"
	}
	if ev := rec.Evaluation; ev != nil {
		row.ConditionalAccessStatus = ev.Decision.Status()
		applied, err := json.Marshal(appliedPolicies(ev.Decision))
		if err != nil {
			return fmt.Errorf("access: encode applied policies: %w", err)
		}
		row.AppliedPolicies = applied
		if row.RiskLevel == "" {
			row.RiskLevel = ev.Input.Signals.SignInRisk
		}
	}
	if err := s.Store.InsertSignIn(ctx, row); err != nil {
		return fmt.Errorf("access: write sign-in log: %w", err)
	}
	return nil
}

// appliedPolicies is the log's trace: security defaults first, then each
// policy.
func appliedPolicies(d policy.Decision) []policy.Result {
	out := make([]policy.Result, 0, len(d.Results)+1)
	if d.SecurityDefaults != nil {
		out = append(out, *d.SecurityDefaults)
	}
	return append(out, d.Results...)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
