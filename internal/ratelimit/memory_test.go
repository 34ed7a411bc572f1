package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

func TestMemoryLimiter(t *testing.T) {
	testLimiter(t, func(t *testing.T) (Limiter, func(time.Duration)) {
		clock := newFakeClock()
		return NewMemoryLimiter(clock.Now), clock.Advance
	})
}

func TestMemoryLockout(t *testing.T) {
	testLockout(t, func(t *testing.T, p LockoutPolicy) (Lockout, func(time.Duration)) {
		clock := newFakeClock()
		return NewMemoryLockout(p, clock.Now), clock.Advance
	})
}

func TestMemoryLimiterExactRefill(t *testing.T) {
	clock := newFakeClock()
	l := NewMemoryLimiter(clock.Now)
	lim := Limit{Rate: 1, Period: time.Second, Burst: 1}
	mustAllow(t, l, "k", lim)
	clock.Advance(time.Second - time.Microsecond)
	if got, want := mustAllow(t, l, "k", lim), (Result{RetryAfter: time.Microsecond}); got != want {
		t.Fatalf("1µs early: got %+v, want %+v", got, want)
	}
	clock.Advance(time.Microsecond)
	if got, want := mustAllow(t, l, "k", lim), (Result{Allowed: true}); got != want {
		t.Fatalf("on time: got %+v, want %+v", got, want)
	}
}

func TestMemoryLimiterStaysBounded(t *testing.T) {
	clock := newFakeClock()
	l := NewMemoryLimiter(clock.Now)
	lim := Limit{Rate: 1, Period: time.Millisecond, Burst: 1}
	for i := range 100 * minSweep {
		mustAllow(t, l, fmt.Sprintf("k%d", i), lim)
		clock.Advance(time.Millisecond)
		if n := len(l.tat); n > 2*minSweep {
			t.Fatalf("after %d keys the limiter holds %d, want at most %d", i+1, n, 2*minSweep)
		}
	}
}

func TestMemoryLockoutStaysBounded(t *testing.T) {
	clock := newFakeClock()
	l := NewMemoryLockout(LockoutPolicy{Free: 0, Base: time.Millisecond, Max: time.Millisecond, Window: time.Millisecond}, clock.Now)
	for i := range 100 * minSweep {
		mustFail(t, l, fmt.Sprintf("k%d", i))
		clock.Advance(time.Millisecond)
		if n := len(l.keys); n > 2*minSweep {
			t.Fatalf("after %d keys the lockout holds %d, want at most %d", i+1, n, 2*minSweep)
		}
	}
}

func TestMemoryLockoutKeepsLockedKeys(t *testing.T) {
	clock := newFakeClock()
	l := NewMemoryLockout(LockoutPolicy{Free: 0, Base: time.Hour, Max: time.Hour, Window: time.Millisecond}, clock.Now)
	mustFail(t, l, "locked")
	// Enough failures on other keys, each past its window, to force sweeps.
	for i := range 4 * minSweep {
		clock.Advance(time.Millisecond)
		mustFail(t, l, fmt.Sprintf("k%d", i))
	}
	wantCheck(t, l, "locked", time.Hour-time.Second, time.Hour)
}
