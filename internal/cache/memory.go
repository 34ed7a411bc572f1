package cache

import (
	"context"
	"fmt"
	"sync"
	"time"
)

var _ Store = (*Memory)(nil)

// minSweep is the fewest writes between two sweeps of a Memory store, so that a
// nearly empty store is not walked on every Set.
const minSweep = 128

// Memory is an in-process Store. It starts no goroutine: expired entries are
// dropped when read, and Set walks the whole map once the writes since the last
// walk reach the number of entries that walk kept. The walk therefore costs
// amortized O(1) per Set, and expired entries never outnumber the live ones by
// more than the writes of one such period.
type Memory struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[string]memEntry
	writes  int // Set calls since the last sweep
	due     int // writes that trigger the next sweep
}

type memEntry struct {
	val     []byte
	expires time.Time
}

// NewMemory returns an empty in-process store that reads the time from now
// (time.Now when nil). It is safe for concurrent use.
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{now: now, entries: make(map[string]memEntry), due: minSweep}
}

// Get returns a copy of the value stored under key, or nil and false when the key
// is absent or expired.
func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok {
		return nil, false, nil
	}
	if !now.Before(e.expires) {
		delete(m.entries, key)
		return nil, false, nil
	}
	return clone(e.val), true, nil
}

// Set stores a copy of val under key for ttl, replacing any earlier value and expiry.
func (m *Memory) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("cache: set %q: %w (got %s)", key, ErrInvalidTTL, ttl)
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries[key] = memEntry{val: clone(val), expires: now.Add(ttl)}
	m.writes++
	if m.writes >= m.due {
		m.sweep(now)
	}
	return nil
}

// Delete removes key.
func (m *Memory) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
	return nil
}

// sweep drops every expired entry. The caller holds m.mu.
func (m *Memory) sweep(now time.Time) {
	for k, e := range m.entries {
		if !now.Before(e.expires) {
			delete(m.entries, k)
		}
	}
	m.writes = 0
	m.due = max(len(m.entries), minSweep)
}

// clone copies b so callers cannot alias the stored bytes; it keeps an empty,
// non-nil value non-nil.
func clone(b []byte) []byte {
	return append(make([]byte, 0, len(b)), b...)
}
