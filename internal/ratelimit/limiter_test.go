package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// newLimiterFunc returns an empty Limiter and a function that lets time pass for
// it: a fake clock for memory, a real sleep for Redis.
type newLimiterFunc func(t *testing.T) (l Limiter, advance func(time.Duration))

// testLimiter checks the behaviour every Limiter must have. Timing-sensitive
// checks use intervals of 100 ms or more so that the Redis run, on real time,
// is not flaky.
func testLimiter(t *testing.T, newLimiter newLimiterFunc) {
	t.Run("burst then deny", func(t *testing.T) {
		l, _ := newLimiter(t)
		lim := Limit{Rate: 1, Period: time.Minute, Burst: 3}
		for i := range 3 {
			got := mustAllow(t, l, "k", lim)
			if want := (Result{Allowed: true, Remaining: 2 - i}); got != want {
				t.Fatalf("event %d: got %+v, want %+v", i+1, got, want)
			}
		}
		first := mustAllow(t, l, "k", lim)
		if first.Allowed || first.Remaining != 0 || first.RetryAfter <= 0 || first.RetryAfter > time.Minute {
			t.Fatalf("event 4: got %+v, want refused with 0 < RetryAfter <= 1m", first)
		}
		// A refused event is not counted, so it does not push the retry out.
		second := mustAllow(t, l, "k", lim)
		if second.Allowed || second.RetryAfter > first.RetryAfter {
			t.Fatalf("event 5: got %+v, want refused with RetryAfter <= %s", second, first.RetryAfter)
		}
	})

	t.Run("retry after is enough", func(t *testing.T) {
		l, advance := newLimiter(t)
		lim := Limit{Rate: 10, Period: time.Second, Burst: 2} // one event per 100ms
		mustAllow(t, l, "k", lim)
		mustAllow(t, l, "k", lim)
		refused := mustAllow(t, l, "k", lim)
		if refused.Allowed || refused.RetryAfter <= 0 || refused.RetryAfter > 100*time.Millisecond {
			t.Fatalf("event 3: got %+v, want refused with 0 < RetryAfter <= 100ms", refused)
		}
		advance(refused.RetryAfter)
		if got, want := mustAllow(t, l, "k", lim), (Result{Allowed: true}); got != want {
			t.Fatalf("after RetryAfter: got %+v, want %+v", got, want)
		}
		if got := mustAllow(t, l, "k", lim); got.Allowed {
			t.Fatalf("right after the refilled event: got %+v, want refused", got)
		}
	})

	t.Run("full refill", func(t *testing.T) {
		l, advance := newLimiter(t)
		lim := Limit{Rate: 10, Period: time.Second, Burst: 3}
		for range 3 {
			mustAllow(t, l, "k", lim)
		}
		advance(300 * time.Millisecond)
		if got, want := mustAllow(t, l, "k", lim), (Result{Allowed: true, Remaining: 2}); got != want {
			t.Fatalf("after a full refill: got %+v, want %+v", got, want)
		}
	})

	t.Run("keys are independent", func(t *testing.T) {
		l, _ := newLimiter(t)
		lim := Limit{Rate: 1, Period: time.Minute, Burst: 2}
		mustAllow(t, l, "a", lim)
		mustAllow(t, l, "a", lim)
		if got := mustAllow(t, l, "a", lim); got.Allowed {
			t.Fatalf("a after its burst: got %+v, want refused", got)
		}
		if got, want := mustAllow(t, l, "b", lim), (Result{Allowed: true, Remaining: 1}); got != want {
			t.Fatalf("b: got %+v, want %+v", got, want)
		}
	})

	t.Run("invalid limit", func(t *testing.T) {
		tests := []struct {
			name string
			lim  Limit
		}{
			{"zero rate", Limit{Rate: 0, Period: time.Second, Burst: 1}},
			{"negative rate", Limit{Rate: -1, Period: time.Second, Burst: 1}},
			{"zero period", Limit{Rate: 1, Period: 0, Burst: 1}},
			{"negative period", Limit{Rate: 1, Period: -time.Second, Burst: 1}},
			{"zero burst", Limit{Rate: 1, Period: time.Second, Burst: 0}},
			{"negative burst", Limit{Rate: 1, Period: time.Second, Burst: -1}},
			{"burst spans centuries", Limit{Rate: 1, Period: 24 * time.Hour, Burst: 1 << 20}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				l, _ := newLimiter(t)
				got, err := l.Allow(context.Background(), "k", tt.lim)
				if !errors.Is(err, ErrInvalidLimit) {
					t.Fatalf("Allow(%+v): got error %v, want ErrInvalidLimit", tt.lim, err)
				}
				if got != (Result{}) {
					t.Fatalf("Allow(%+v): got %+v with the error, want the zero Result", tt.lim, got)
				}
			})
		}
	})

	t.Run("concurrent events never exceed the burst", func(t *testing.T) {
		l, _ := newLimiter(t)
		lim := Limit{Rate: 1, Period: time.Minute, Burst: 10}
		var allowed atomic.Int64
		var wg sync.WaitGroup
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 4 {
					r, err := l.Allow(context.Background(), "k", lim)
					if err != nil {
						t.Errorf("Allow: %v", err)
						return
					}
					if r.Allowed {
						allowed.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		if got := allowed.Load(); got != int64(lim.Burst) {
			t.Fatalf("200 concurrent events admitted %d, want exactly the burst %d", got, lim.Burst)
		}
	})
}

func mustAllow(t *testing.T, l Limiter, key string, lim Limit) Result {
	t.Helper()
	r, err := l.Allow(context.Background(), key, lim)
	if err != nil {
		t.Fatalf("Allow(%q, %+v): %v", key, lim, err)
	}
	return r
}

func TestLimitInterval(t *testing.T) {
	tests := []struct {
		lim           Limit
		wantInterval  time.Duration
		wantTolerance time.Duration
	}{
		{Limit{Rate: 10, Period: time.Second, Burst: 3}, 100 * time.Millisecond, 300 * time.Millisecond},
		{Limit{Rate: 3, Period: time.Second, Burst: 1}, 333334 * time.Microsecond, 333334 * time.Microsecond},
		{Limit{Rate: 1000, Period: time.Millisecond, Burst: 5}, time.Microsecond, 5 * time.Microsecond},
		{Limit{Rate: 1, Period: time.Hour, Burst: 2}, time.Hour, 2 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d per %s burst %d", tt.lim.Rate, tt.lim.Period, tt.lim.Burst), func(t *testing.T) {
			interval, tolerance, err := tt.lim.interval()
			if err != nil {
				t.Fatal(err)
			}
			if interval != tt.wantInterval || tolerance != tt.wantTolerance {
				t.Fatalf("got interval %s, tolerance %s; want %s, %s", interval, tolerance, tt.wantInterval, tt.wantTolerance)
			}
		})
	}
}
