package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

var _ Limiter = (*MemoryLimiter)(nil)

// MemoryLimiter is an in-process Limiter. It starts no goroutine; keys whose
// allowance has fully refilled are dropped by a sweep that runs on admitted
// events (see sweeper).
type MemoryLimiter struct {
	now func() time.Time

	mu    sync.Mutex
	tat   map[string]time.Time // theoretical arrival time of the next event per key
	sweep sweeper
}

// NewMemoryLimiter returns an in-process limiter that reads the time from now
// (time.Now when nil). It is safe for concurrent use.
func NewMemoryLimiter(now func() time.Time) *MemoryLimiter {
	if now == nil {
		now = time.Now
	}
	return &MemoryLimiter{now: now, tat: make(map[string]time.Time), sweep: newSweeper()}
}

// Allow counts one event for key under l, unless l refuses it.
func (m *MemoryLimiter) Allow(_ context.Context, key string, l Limit) (Result, error) {
	interval, tolerance, err := l.interval()
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: allow %q: %w", key, err)
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	tat := m.tat[key]
	if tat.Before(now) {
		tat = now
	}
	next := tat.Add(interval)
	allowAt := next.Add(-tolerance)
	if now.Before(allowAt) {
		return Result{RetryAfter: allowAt.Sub(now)}, nil
	}
	m.tat[key] = next
	if m.sweep.tick() {
		for k, t := range m.tat {
			if !t.After(now) {
				delete(m.tat, k)
			}
		}
		m.sweep.swept(len(m.tat))
	}
	return Result{Allowed: true, Remaining: int(now.Sub(allowAt) / interval)}, nil
}
