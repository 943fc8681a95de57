package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/sigil-idp/sigil/server/lockout"
	"github.com/sigil-idp/sigil/storage"
)

// Janitor deletes expired codes, tokens, used client-assertion IDs, sign-in
// flows and stale smart-lockout counters. Every replica may run one: the deletes are idempotent.
type Janitor struct {
	Store    storage.Storage
	Interval time.Duration // default 10 minutes
	// Grace keeps expired records a while longer, so that a late reuse of a
	// refresh token is still recognised as reuse rather than as unknown.
	Grace time.Duration // default 24 hours
	// AuditRetention, when set, deletes directory audit records older than it.
	AuditRetention time.Duration
	// SignInRetention, when set, deletes sign-in log rows older than it.
	SignInRetention time.Duration
	Logger          *slog.Logger
	Now             func() time.Time
}

// Run sweeps once at start and then every Interval until ctx is done.
func (j *Janitor) Run(ctx context.Context) {
	j.defaults()
	ticker := time.NewTicker(j.Interval)
	defer ticker.Stop()
	for {
		j.Sweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func (j *Janitor) defaults() {
	if j.Interval <= 0 {
		j.Interval = 10 * time.Minute
	}
	if j.Grace <= 0 {
		j.Grace = 24 * time.Hour
	}
	if j.Now == nil {
		j.Now = time.Now
	}
	if j.Logger == nil {
		j.Logger = slog.Default()
	}
}

// Sweep deletes what expired before now minus Grace.
func (j *Janitor) Sweep(ctx context.Context) {
	j.defaults()
	before := j.Now().UTC().Add(-j.Grace)
	records, err := j.Store.DeleteExpiredOAuthRecords(ctx, before)
	if err != nil && ctx.Err() == nil {
		j.Logger.ErrorContext(ctx, "janitor: delete expired OAuth records", "err", err)
	}
	flows, err := j.Store.DeleteExpiredFlows(ctx, j.Now().UTC())
	if err != nil && ctx.Err() == nil {
		j.Logger.ErrorContext(ctx, "janitor: delete expired flows", "err", err)
	}
	// A counter quiet for lockout.Defaults.Forget counts as new anyway.
	counters, err := j.Store.DeleteStaleLockoutCounters(ctx, j.Now().UTC().Add(-lockout.Defaults.Forget))
	if err != nil && ctx.Err() == nil {
		j.Logger.ErrorContext(ctx, "janitor: delete stale lockout counters", "err", err)
	}
	audits := j.sweepAudit(ctx)
	signIns := j.sweepSignIns(ctx)
	ceremonies := j.sweepCeremonies(ctx)
	if records+flows+counters+audits+signIns+ceremonies > 0 {
		j.Logger.InfoContext(ctx, "janitor: swept expired records", "oauth_records", records, "flows", flows,
			"lockout_counters", counters, "audit_records", audits, "sign_ins", signIns, "ceremonies", ceremonies)
	}
}

// sweepSignIns applies the sign-in log's retention period (G-29).
func (j *Janitor) sweepSignIns(ctx context.Context) int64 {
	if j.SignInRetention <= 0 {
		return 0
	}
	n, err := j.Store.PurgeSignInsBefore(ctx, j.Now().UTC().Add(-j.SignInRetention))
	if err != nil && ctx.Err() == nil {
		j.Logger.ErrorContext(ctx, "janitor: delete sign-ins past retention", "err", err)
	}
	return n
}

// sweepAudit applies the audit retention period (K-10).
func (j *Janitor) sweepAudit(ctx context.Context) int64 {
	if j.AuditRetention <= 0 {
		return 0
	}
	n, err := j.Store.DeleteAuditRecordsBefore(ctx, "", j.Now().UTC().Add(-j.AuditRetention))
	if err != nil && ctx.Err() == nil {
		j.Logger.ErrorContext(ctx, "janitor: delete audit records past retention", "err", err)
	}
	return n
}
