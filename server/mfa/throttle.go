package mfa

import (
	"time"

	"github.com/sigil-idp/sigil/storage"
)

// Throttle of second-factor attempts, per user and shared by every replica
// (the counts live in storage.MFAState): FreeFailures wrong answers are
// allowed, then each further attempt waits a delay that doubles with every
// failure, from FirstDelay up to MaxDelay. A six-digit code guessed at that
// pace has no practical chance.
const (
	FreeFailures = 5
	FirstDelay   = 30 * time.Second
	MaxDelay     = 15 * time.Minute
)

// RetryAfter returns how long the user must wait before the next attempt
// (0: they may try now).
func RetryAfter(st *storage.MFAState, now time.Time) time.Duration {
	if st == nil || st.Failures < FreeFailures || st.LastFailureAt == nil {
		return 0
	}
	delay := FirstDelay
	for i := FreeFailures; i < st.Failures && delay < MaxDelay; i++ {
		delay *= 2
	}
	delay = min(delay, MaxDelay)
	wait := st.LastFailureAt.Add(delay).Sub(now)
	return max(wait, 0)
}
