package ratelimit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// newLockoutFunc returns an empty Lockout under p and a function that lets time
// pass for it: a fake clock for memory, a real sleep for Redis.
type newLockoutFunc func(t *testing.T, p LockoutPolicy) (l Lockout, advance func(time.Duration))

// testLockout checks the behaviour every Lockout must have. Durations are whole
// milliseconds, and checks made after real time has passed allow for it.
func testLockout(t *testing.T, newLockout newLockoutFunc) {
	t.Run("free allowance then exponential growth capped at max", func(t *testing.T) {
		l, _ := newLockout(t, LockoutPolicy{Free: 2, Base: time.Second, Max: 5 * time.Second, Window: time.Hour})
		for i, want := range []time.Duration{0, 0, time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second} {
			if got := mustFail(t, l, "k"); got != want {
				t.Fatalf("failure %d: got lock %s, want %s", i+1, got, want)
			}
		}
	})

	t.Run("check does not record a failure", func(t *testing.T) {
		l, _ := newLockout(t, LockoutPolicy{Free: 1, Base: time.Second, Max: time.Minute, Window: time.Hour})
		wantCheck(t, l, "k", 0, 0)
		wantFail(t, l, "k", 0)
		for range 3 {
			wantCheck(t, l, "k", 0, 0)
		}
		wantFail(t, l, "k", time.Second)
		for range 3 {
			wantCheck(t, l, "k", 900*time.Millisecond, time.Second)
		}
		wantFail(t, l, "k", 2*time.Second)
	})

	t.Run("reset forgets failures and lifts the lock", func(t *testing.T) {
		l, _ := newLockout(t, LockoutPolicy{Free: 0, Base: time.Second, Max: time.Minute, Window: time.Hour})
		wantFail(t, l, "k", time.Second)
		wantFail(t, l, "k", 2*time.Second)
		mustReset(t, l, "k")
		wantCheck(t, l, "k", 0, 0)
		wantFail(t, l, "k", time.Second)
		mustReset(t, l, "never-failed")
	})

	t.Run("lock ends but the count stays within the window", func(t *testing.T) {
		l, advance := newLockout(t, LockoutPolicy{Free: 0, Base: 200 * time.Millisecond, Max: time.Minute, Window: time.Hour})
		wantFail(t, l, "k", 200*time.Millisecond)
		advance(250 * time.Millisecond)
		wantCheck(t, l, "k", 0, 0)
		wantFail(t, l, "k", 400*time.Millisecond)
	})

	t.Run("window runs from the last failure", func(t *testing.T) {
		l, advance := newLockout(t, LockoutPolicy{Free: 2, Base: time.Second, Max: time.Minute, Window: 300 * time.Millisecond})
		wantFail(t, l, "k", 0)
		advance(200 * time.Millisecond)
		wantFail(t, l, "k", 0)
		advance(200 * time.Millisecond)
		wantFail(t, l, "k", time.Second)
	})

	t.Run("failures older than the window are forgotten", func(t *testing.T) {
		l, advance := newLockout(t, LockoutPolicy{Free: 1, Base: time.Second, Max: time.Minute, Window: 300 * time.Millisecond})
		wantFail(t, l, "k", 0)
		advance(350 * time.Millisecond)
		wantFail(t, l, "k", 0)
		wantFail(t, l, "k", time.Second)
	})

	t.Run("lock outlasts the window", func(t *testing.T) {
		l, advance := newLockout(t, LockoutPolicy{Free: 0, Base: 400 * time.Millisecond, Max: time.Minute, Window: 100 * time.Millisecond})
		wantFail(t, l, "k", 400*time.Millisecond)
		advance(200 * time.Millisecond)
		wantCheck(t, l, "k", time.Millisecond, 200*time.Millisecond)
		// The count expired with the window, so this is the first failure again.
		wantFail(t, l, "k", 400*time.Millisecond)
	})

	t.Run("keys are independent", func(t *testing.T) {
		l, _ := newLockout(t, LockoutPolicy{Free: 0, Base: time.Second, Max: time.Minute, Window: time.Hour})
		wantFail(t, l, "a", time.Second)
		wantCheck(t, l, "b", 0, 0)
		wantFail(t, l, "b", time.Second)
	})

	t.Run("invalid policy", func(t *testing.T) {
		for _, tt := range invalidPolicies {
			t.Run(tt.name, func(t *testing.T) {
				l, _ := newLockout(t, tt.p)
				ctx := context.Background()
				if _, err := l.Check(ctx, "k"); !errors.Is(err, ErrInvalidPolicy) {
					t.Errorf("Check: got error %v, want ErrInvalidPolicy", err)
				}
				if _, err := l.Fail(ctx, "k"); !errors.Is(err, ErrInvalidPolicy) {
					t.Errorf("Fail: got error %v, want ErrInvalidPolicy", err)
				}
				if err := l.Reset(ctx, "k"); !errors.Is(err, ErrInvalidPolicy) {
					t.Errorf("Reset: got error %v, want ErrInvalidPolicy", err)
				}
			})
		}
	})

	t.Run("concurrent failures are all counted", func(t *testing.T) {
		l, _ := newLockout(t, LockoutPolicy{Free: 45, Base: time.Second, Max: time.Hour, Window: time.Hour})
		var wg sync.WaitGroup
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := l.Fail(context.Background(), "k"); err != nil {
					t.Errorf("Fail: %v", err)
				}
			}()
		}
		wg.Wait()
		// Failure 51 is the 6th past the allowance: 1s * 2^5.
		wantFail(t, l, "k", 32*time.Second)
	})
}

var invalidPolicies = []struct {
	name string
	p    LockoutPolicy
}{
	{"negative free", LockoutPolicy{Free: -1, Base: time.Second, Max: time.Minute, Window: time.Hour}},
	{"zero base", LockoutPolicy{Free: 3, Base: 0, Max: time.Minute, Window: time.Hour}},
	{"max below base", LockoutPolicy{Free: 3, Base: time.Minute, Max: time.Second, Window: time.Hour}},
	{"zero window", LockoutPolicy{Free: 3, Base: time.Second, Max: time.Minute, Window: 0}},
}

func TestLockoutPolicyValidate(t *testing.T) {
	for _, tt := range invalidPolicies {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.p.Validate(); !errors.Is(err, ErrInvalidPolicy) {
				t.Fatalf("Validate(%+v): got %v, want ErrInvalidPolicy", tt.p, err)
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		p := LockoutPolicy{Free: 0, Base: time.Second, Max: time.Second, Window: time.Minute}
		if err := p.Validate(); err != nil {
			t.Fatalf("Validate(%+v): got %v, want nil", p, err)
		}
	})
}

func TestLockoutPolicyLock(t *testing.T) {
	p := LockoutPolicy{Free: 3, Base: time.Second, Max: time.Hour, Window: time.Hour}
	huge := LockoutPolicy{Free: 0, Base: time.Second, Max: time.Duration(1<<63 - 1), Window: time.Hour}
	tests := []struct {
		name     string
		p        LockoutPolicy
		failures int
		want     time.Duration
	}{
		{"first failure is free", p, 1, 0},
		{"last free failure", p, 3, 0},
		{"first locked failure gets base", p, 4, time.Second},
		{"second locked failure doubles", p, 5, 2 * time.Second},
		{"tenth locked failure", p, 13, 512 * time.Second},
		{"capped at max", p, 20, time.Hour},
		{"far past the cap", p, 1 << 30, time.Hour},
		{"no overflow near the largest duration", huge, 200, huge.Max},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.lock(tt.failures); got != tt.want {
				t.Fatalf("lock(%d) = %s, want %s", tt.failures, got, tt.want)
			}
		})
	}
}

func mustFail(t *testing.T, l Lockout, key string) time.Duration {
	t.Helper()
	d, err := l.Fail(context.Background(), key)
	if err != nil {
		t.Fatalf("Fail(%q): %v", key, err)
	}
	return d
}

func wantFail(t *testing.T, l Lockout, key string, want time.Duration) {
	t.Helper()
	if got := mustFail(t, l, key); got != want {
		t.Fatalf("Fail(%q): got lock %s, want %s", key, got, want)
	}
}

// wantCheck checks that key's remaining lock is within [lo, hi]; a range, because
// on Redis real time passes between calls.
func wantCheck(t *testing.T, l Lockout, key string, lo, hi time.Duration) {
	t.Helper()
	got, err := l.Check(context.Background(), key)
	if err != nil {
		t.Fatalf("Check(%q): %v", key, err)
	}
	if got < lo || got > hi {
		t.Fatalf("Check(%q): got %s, want between %s and %s", key, got, lo, hi)
	}
}

func mustReset(t *testing.T, l Lockout, key string) {
	t.Helper()
	if err := l.Reset(context.Background(), key); err != nil {
		t.Fatalf("Reset(%q): %v", key, err)
	}
}
