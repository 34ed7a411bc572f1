package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// newStoreFunc returns an empty Store and a function that lets time pass for it:
// a fake clock for Memory, a real sleep for Redis.
type newStoreFunc func(t *testing.T) (s Store, advance func(time.Duration))

// testStore checks the behaviour every Store must have. Durations are whole
// milliseconds with generous margins so that the Redis run, on real time, is
// not flaky.
func testStore(t *testing.T, newStore newStoreFunc) {
	ctx := context.Background()

	t.Run("get missing", func(t *testing.T) {
		s, _ := newStore(t)
		mustMiss(t, s, "nope")
	})

	t.Run("set then get", func(t *testing.T) {
		s, _ := newStore(t)
		mustSet(t, s, "k", []byte("hello"), time.Minute)
		mustHit(t, s, "k", []byte("hello"))
	})

	t.Run("empty value is present", func(t *testing.T) {
		s, _ := newStore(t)
		mustSet(t, s, "k", []byte{}, time.Minute)
		mustHit(t, s, "k", []byte{})
	})

	t.Run("overwrite replaces value and expiry", func(t *testing.T) {
		s, advance := newStore(t)
		mustSet(t, s, "k", []byte("v1"), 200*time.Millisecond)
		mustSet(t, s, "k", []byte("v2"), time.Minute)
		mustHit(t, s, "k", []byte("v2"))
		advance(300 * time.Millisecond)
		mustHit(t, s, "k", []byte("v2"))
	})

	t.Run("delete", func(t *testing.T) {
		s, _ := newStore(t)
		mustSet(t, s, "k", []byte("v"), time.Minute)
		if err := s.Delete(ctx, "k"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		mustMiss(t, s, "k")
		if err := s.Delete(ctx, "k"); err != nil {
			t.Fatalf("Delete of absent key: got %v, want nil", err)
		}
	})

	t.Run("keys are independent", func(t *testing.T) {
		s, _ := newStore(t)
		mustSet(t, s, "a", []byte("A"), time.Minute)
		mustSet(t, s, "b", []byte("B"), time.Minute)
		if err := s.Delete(ctx, "a"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		mustMiss(t, s, "a")
		mustHit(t, s, "b", []byte("B"))
	})

	t.Run("expiry", func(t *testing.T) {
		s, advance := newStore(t)
		mustSet(t, s, "short", []byte("v"), 300*time.Millisecond)
		mustSet(t, s, "long", []byte("v"), time.Minute)
		advance(100 * time.Millisecond)
		mustHit(t, s, "short", []byte("v"))
		advance(300 * time.Millisecond)
		mustMiss(t, s, "short")
		mustHit(t, s, "long", []byte("v"))
	})

	t.Run("stored value is not aliased", func(t *testing.T) {
		s, _ := newStore(t)
		val := []byte("abc")
		mustSet(t, s, "k", val, time.Minute)
		val[0] = 'X'
		got := mustHit(t, s, "k", []byte("abc"))
		got[0] = 'Y'
		mustHit(t, s, "k", []byte("abc"))
	})

	t.Run("invalid ttl", func(t *testing.T) {
		for _, ttl := range []time.Duration{0, -time.Second} {
			t.Run(ttl.String(), func(t *testing.T) {
				s, _ := newStore(t)
				err := s.Set(ctx, "k", []byte("v"), ttl)
				if !errors.Is(err, ErrInvalidTTL) {
					t.Fatalf("Set with ttl %s: got error %v, want ErrInvalidTTL", ttl, err)
				}
				mustMiss(t, s, "k")
			})
		}
	})

	t.Run("concurrent use", func(t *testing.T) {
		s, _ := newStore(t)
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				key := fmt.Sprintf("k%d", i%5)
				if err := s.Set(ctx, key, []byte(key), time.Minute); err != nil {
					t.Errorf("Set: %v", err)
				}
				if _, _, err := s.Get(ctx, key); err != nil {
					t.Errorf("Get: %v", err)
				}
				if err := s.Delete(ctx, fmt.Sprintf("k%d", (i+1)%5)); err != nil {
					t.Errorf("Delete: %v", err)
				}
			}()
		}
		wg.Wait()
	})
}

func mustSet(t *testing.T, s Store, key string, val []byte, ttl time.Duration) {
	t.Helper()
	if err := s.Set(context.Background(), key, val, ttl); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

// mustHit checks that key holds want and returns what Get returned.
func mustHit(t *testing.T, s Store, key string, want []byte) []byte {
	t.Helper()
	got, ok, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if !ok {
		t.Fatalf("Get(%q): got absent, want %q", key, want)
	}
	if !bytes.Equal(got, want) || got == nil {
		t.Fatalf("Get(%q) = %q (nil: %t), want %q", key, got, got == nil, want)
	}
	return got
}

func mustMiss(t *testing.T, s Store, key string) {
	t.Helper()
	got, ok, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	if ok || got != nil {
		t.Fatalf("Get(%q) = %q, %t; want nil, false", key, got, ok)
	}
}
