package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrInvalidLimit is returned (wrapped) by Allow when the Limit is unusable.
var ErrInvalidLimit = errors.New("invalid limit")

// maxTolerance bounds Period*Burst/Rate so that the arithmetic cannot overflow
// (int64 nanoseconds in memory, float64 microseconds since 1970 in Redis).
const maxTolerance = 100 * 365 * 24 * time.Hour

// Limit allows Burst events at once and then Rate events per Period (GCRA / token
// bucket semantics). The interval between events, Period/Rate, is rounded up to a
// whole microsecond by every implementation, so they admit exactly the same events.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// Result of one Allow call.
type Result struct {
	// Allowed reports whether the event is admitted (and was counted).
	Allowed bool
	// Remaining is how many more events would be admitted right now.
	Remaining int
	// RetryAfter is how long until an event would be admitted; it is > 0 only
	// when !Allowed.
	RetryAfter time.Duration
}

// Limiter counts events per key.
type Limiter interface {
	// Allow counts one event for key under l, unless l refuses it.
	Allow(ctx context.Context, key string, l Limit) (Result, error)
}

// interval validates l and returns the time one event costs (the GCRA emission
// interval) and the burst tolerance, the time Burst events cost.
func (l Limit) interval() (interval, tolerance time.Duration, err error) {
	switch {
	case l.Rate <= 0:
		return 0, 0, fmt.Errorf("%w: rate %d must be positive", ErrInvalidLimit, l.Rate)
	case l.Period <= 0:
		return 0, 0, fmt.Errorf("%w: period %s must be positive", ErrInvalidLimit, l.Period)
	case l.Burst < 1:
		return 0, 0, fmt.Errorf("%w: burst %d must be at least 1", ErrInvalidLimit, l.Burst)
	}
	interval = (l.Period + time.Duration(l.Rate) - 1) / time.Duration(l.Rate)
	interval = (interval + time.Microsecond - 1).Truncate(time.Microsecond)
	if time.Duration(l.Burst) > maxTolerance/interval {
		return 0, 0, fmt.Errorf("%w: burst %d at %d per %s spans more than %s",
			ErrInvalidLimit, l.Burst, l.Rate, l.Period, maxTolerance)
	}
	return interval, interval * time.Duration(l.Burst), nil
}
