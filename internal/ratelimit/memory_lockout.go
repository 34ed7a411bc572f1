package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

var _ Lockout = (*MemoryLockout)(nil)

// MemoryLockout is an in-process Lockout. It starts no goroutine; keys whose
// count and lock have both expired are dropped by a sweep that runs on Fail
// (see sweeper).
type MemoryLockout struct {
	policy LockoutPolicy
	err    error // from policy.Validate, returned by every method
	now    func() time.Time

	mu    sync.Mutex
	keys  map[string]failures
	sweep sweeper
}

// failures is one key's state.
type failures struct {
	n      int       // failures counted within the window
	last   time.Time // time of the last failure
	locked time.Time // end of the lock in force
}

func (f failures) expired(now time.Time, window time.Duration) bool {
	return now.Sub(f.last) >= window && !f.locked.After(now)
}

// NewMemoryLockout returns an in-process lockout under policy p that reads the
// time from now (time.Now when nil). It is safe for concurrent use. If p is
// invalid, every method returns an error wrapping ErrInvalidPolicy.
func NewMemoryLockout(p LockoutPolicy, now func() time.Time) *MemoryLockout {
	if now == nil {
		now = time.Now
	}
	return &MemoryLockout{
		policy: p,
		err:    p.Validate(),
		now:    now,
		keys:   make(map[string]failures),
		sweep:  newSweeper(),
	}
}

// Check returns how long key is still locked (0 when it is not).
func (m *MemoryLockout) Check(_ context.Context, key string) (time.Duration, error) {
	if m.err != nil {
		return 0, fmt.Errorf("ratelimit: check %q: %w", key, m.err)
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	return max(m.keys[key].locked.Sub(now), 0), nil
}

// Fail records one failure and returns the lock now in force (0 while under the
// free allowance).
func (m *MemoryLockout) Fail(_ context.Context, key string) (time.Duration, error) {
	if m.err != nil {
		return 0, fmt.Errorf("ratelimit: fail %q: %w", key, m.err)
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	f := m.keys[key]
	if now.Sub(f.last) >= m.policy.Window {
		f.n = 0
	}
	f.n++
	f.last = now
	if lock := m.policy.lock(f.n); lock > 0 {
		if until := now.Add(lock); until.After(f.locked) {
			f.locked = until
		}
	}
	m.keys[key] = f
	if m.sweep.tick() {
		for k, e := range m.keys {
			if e.expired(now, m.policy.Window) {
				delete(m.keys, k)
			}
		}
		m.sweep.swept(len(m.keys))
	}
	return max(f.locked.Sub(now), 0), nil
}

// Reset forgets key's failures and lifts its lock.
func (m *MemoryLockout) Reset(_ context.Context, key string) error {
	if m.err != nil {
		return fmt.Errorf("ratelimit: reset %q: %w", key, m.err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.keys, key)
	return nil
}
