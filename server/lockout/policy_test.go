package lockout

import (
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/sigil-idp/sigil/storage"
)

func TestFailLocksAtThresholdAndDoublesEachTime(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	var c storage.LockoutCounter
	now := t0
	failN := func(n int) {
		for range n {
			fail(&c, now, 3, time.Minute, time.Hour, 24*time.Hour)
		}
	}
	failN(2)
	if Locked(c, now) || c.Failures != 2 {
		t.Fatalf("after 2 of 3 failures: %+v, want unlocked with 2 failures", c)
	}
	failN(1)
	if !Locked(c, now) || !c.LockedUntil.Equal(t0.Add(time.Minute)) {
		t.Fatalf("third failure: locked until %v, want %v", c.LockedUntil, t0.Add(time.Minute))
	}
	failN(5) // while locked: ignored
	if c.Failures != 0 || c.Lockouts != 1 {
		t.Errorf("failures while locked were counted: %+v", c)
	}
	now = c.LockedUntil
	failN(3)
	if want := now.Add(2 * time.Minute); !c.LockedUntil.Equal(want) {
		t.Errorf("second lockout until %v, want %v (doubled)", c.LockedUntil, want)
	}
	now = c.LockedUntil.Add(25 * time.Hour)
	failN(1)
	if c.Lockouts != 0 || c.Failures != 1 {
		t.Errorf("after a quiet day the counter must start again: %+v", c)
	}
}

func TestLockoutLength(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]time.Duration{0: time.Minute, 1: 2 * time.Minute, 5: 32 * time.Minute, 6: time.Hour, 60: time.Hour} {
		if got := lockoutLength(n, time.Minute, time.Hour); got != want {
			t.Errorf("lockoutLength(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestPolicyForAppliesTenantSettings(t *testing.T) {
	t.Parallel()
	p := PolicyFor(Defaults, storage.TenantSettings{})
	if p.Threshold != 10 || p.Duration != time.Minute {
		t.Errorf("defaults: threshold %d, duration %v; want 10 and 1m", p.Threshold, p.Duration)
	}
	p = PolicyFor(Defaults, storage.TenantSettings{LockoutThreshold: 5, LockoutDuration: 2 * time.Hour})
	if p.Threshold != 5 || p.Duration != 2*time.Hour || p.MaxDuration < 2*time.Hour {
		t.Errorf("tenant settings: %+v", p)
	}
}

func TestNetworkGroupsNeighbours(t *testing.T) {
	t.Parallel()
	cases := []struct{ addr, want string }{
		{"192.0.2.77", "192.0.2.0/24"},
		{"::ffff:192.0.2.77", "192.0.2.0/24"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
	}
	for _, tc := range cases {
		n, ok := Network(netip.MustParseAddr(tc.addr))
		if !ok || n.String() != tc.want {
			t.Errorf("Network(%s) = %v, want %s", tc.addr, n, tc.want)
		}
	}
	if _, ok := Network(netip.Addr{}); ok {
		t.Error("an invalid address must have no network")
	}
}

func TestClientAddr(t *testing.T) {
	t.Parallel()
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		name, remote, xff string
		trusted           []netip.Prefix
		want              string
	}{
		{"uses the peer without trusted proxies", "198.51.100.9:5000", "203.0.113.5", nil, "198.51.100.9"},
		{"ignores X-Forwarded-For from an untrusted peer", "198.51.100.9:5000", "203.0.113.5", proxy, "198.51.100.9"},
		{"takes the right-most untrusted hop behind a trusted proxy", "10.1.1.1:443", "1.2.3.4, 203.0.113.5, 10.2.2.2", proxy, "203.0.113.5"},
		{"falls back to the peer on a malformed hop", "10.1.1.1:443", "203.0.113.5, not-an-ip", proxy, "10.1.1.1"},
		{"reads an IPv6 peer", "[2001:db8::1]:443", "", nil, "2001:db8::1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("POST", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			if got := ClientAddr(r, tc.trusted); got.String() != tc.want {
				t.Errorf("ClientAddr = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestSettingsProblems(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		threshold int
		duration  time.Duration
		problems  int
	}{
		{"accepts the defaults (zero)", 0, 0, 0},
		{"accepts 5 failures and 2 minutes", 5, 2 * time.Minute, 0},
		{"refuses a negative threshold", -1, 0, 1},
		{"refuses 101 failures", 101, 0, 1},
		{"refuses half a second", 0, 500 * time.Millisecond, 1},
		{"reports both problems at once", 1000, 48 * time.Hour, 2},
	}
	for _, tc := range cases {
		if got := SettingsProblems(tc.threshold, tc.duration); len(got) != tc.problems {
			t.Errorf("%s: problems %q, want %d", tc.name, got, tc.problems)
		}
	}
}
