package cache

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestMemory(t *testing.T) {
	testStore(t, func(t *testing.T) (Store, func(time.Duration)) {
		clock := newFakeClock()
		return NewMemory(clock.Now), clock.Advance
	})
}

func TestMemoryExpiresAtTTL(t *testing.T) {
	clock := newFakeClock()
	m := NewMemory(clock.Now)
	mustSet(t, m, "k", []byte("v"), time.Second)
	clock.Advance(time.Second - time.Nanosecond)
	mustHit(t, m, "k", []byte("v"))
	clock.Advance(time.Nanosecond)
	mustMiss(t, m, "k")
	if n := len(m.entries); n != 0 {
		t.Fatalf("entries after reading an expired key: got %d, want 0", n)
	}
}

func TestMemoryStaysBounded(t *testing.T) {
	clock := newFakeClock()
	m := NewMemory(clock.Now)
	// Many keys, each written once and never read again: only the sweep on Set
	// can drop them.
	for i := range 100 * minSweep {
		mustSet(t, m, fmt.Sprintf("k%d", i), []byte("v"), time.Millisecond)
		clock.Advance(time.Millisecond)
		if n := len(m.entries); n > 2*minSweep {
			t.Fatalf("after %d writes the store holds %d entries, want at most %d", i+1, n, 2*minSweep)
		}
	}
}

func TestMemoryNilClockUsesTimeNow(t *testing.T) {
	m := NewMemory(nil)
	mustSet(t, m, "k", []byte("v"), time.Minute)
	mustHit(t, m, "k", []byte("v"))
	if err := m.Set(context.Background(), "k", []byte("v"), time.Nanosecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond)
	mustMiss(t, m, "k")
}
