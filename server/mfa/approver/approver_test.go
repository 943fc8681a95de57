package approver

import (
	"testing"
	"time"

	"github.com/sigil-idp/sigil/server/mfa"
	"github.com/sigil-idp/sigil/storage"
)

func TestARequestLivesWhilePendingAndBeforeItsDeadline(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a := &Approvals{Now: func() time.Time { return now }}
	for _, tc := range []struct {
		name    string
		state   string
		expires time.Time
		live    bool
		message string
	}{
		{"pending before the deadline", storage.ApprovalPending, now.Add(time.Second), true, ""},
		{"pending at the deadline (timeout)", storage.ApprovalPending, now, false, msgExpired},
		{"denied by a wrong number", storage.ApprovalDenied, now.Add(time.Minute), false, msgDenied},
		{"already used", storage.ApprovalUsed, now.Add(time.Minute), false, msgGone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := &storage.ApprovalRequest{State: tc.state, ExpiresAt: tc.expires}
			if got := a.live(req); got != tc.live {
				t.Errorf("live = %v, want %v", got, tc.live)
			}
			if !tc.live {
				if got := a.deadMessage(req); got != tc.message {
					t.Errorf("message %q, want %q", got, tc.message)
				}
			}
		})
	}
}

func TestDefaultsAndStrength(t *testing.T) {
	a := &Approvals{}
	if a.lifetime() != 60*time.Second {
		t.Errorf("default lifetime %v, want 60s", a.lifetime())
	}
	info := a.Info()
	if info.Level != mfa.LevelMFA || len(info.AMR) != 1 || info.AMR[0] != "mca" {
		t.Errorf("Info() = %+v, want MFA strength with amr mca (RFC 8176)", info)
	}
	if a.Usable(mfa.Registered{Methods: []storage.AuthMethod{{Kind: mfa.KindApprover}}}) {
		t.Error("an unconfirmed approver is usable")
	}
	if !a.Usable(mfa.Registered{Methods: []storage.AuthMethod{{Kind: mfa.KindApprover, Confirmed: true}}}) {
		t.Error("a registered approver is not usable")
	}
}

func TestDeviceSecretsAreStoredAsDigests(t *testing.T) {
	secret, digest := newDeviceSecret()
	other, _ := newDeviceSecret()
	if secret == other {
		t.Fatal("two device secrets are equal")
	}
	if digest != deviceDigest(secret) || digest == secret || len(digest) != 64 {
		t.Errorf("digest %q of %q is not its hex SHA-256", digest, secret)
	}
}
