package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/testenv"
	"github.com/redis/go-redis/v9"
)

func TestRedisLimiter(t *testing.T) {
	testenv.RedisURL(t) // skip or fail once here rather than in every subtest
	testLimiter(t, func(t *testing.T) (Limiter, func(time.Duration)) {
		client, prefix := newRedisClient(t)
		return NewRedisLimiter(client, prefix), time.Sleep
	})
}

func TestRedisLockout(t *testing.T) {
	testenv.RedisURL(t) // skip or fail once here rather than in every subtest
	testLockout(t, func(t *testing.T, p LockoutPolicy) (Lockout, func(time.Duration)) {
		client, prefix := newRedisClient(t)
		return NewRedisLockout(client, prefix, p), time.Sleep
	})
}

// TestRedisKeysExpire checks that Redis drops a key's state on its own once it
// no longer matters, since no sweep runs there.
func TestRedisKeysExpire(t *testing.T) {
	ctx := context.Background()
	client, prefix := newRedisClient(t)

	t.Run("limiter key lives until the allowance refills", func(t *testing.T) {
		l := NewRedisLimiter(client, prefix)
		lim := Limit{Rate: 1, Period: 10 * time.Second, Burst: 3}
		mustAllow(t, l, "k", lim)
		mustAllow(t, l, "k", lim)
		wantPTTL(t, client, prefix+"rate:k", 19*time.Second, 20*time.Second)
	})

	t.Run("lockout key lives for the window", func(t *testing.T) {
		l := NewRedisLockout(client, prefix, LockoutPolicy{Free: 1, Base: time.Second, Max: time.Hour, Window: 10 * time.Second})
		mustFail(t, l, "w")
		wantPTTL(t, client, prefix+"lockout:w", 9*time.Second, 10*time.Second)
	})

	t.Run("lockout key lives for a lock longer than the window", func(t *testing.T) {
		l := NewRedisLockout(client, prefix, LockoutPolicy{Free: 0, Base: time.Minute, Max: time.Hour, Window: 10 * time.Second})
		mustFail(t, l, "l")
		wantPTTL(t, client, prefix+"lockout:l", 59*time.Second, time.Minute)
	})

	t.Run("reset deletes the key", func(t *testing.T) {
		l := NewRedisLockout(client, prefix, LockoutPolicy{Free: 0, Base: time.Minute, Max: time.Hour, Window: 10 * time.Second})
		mustFail(t, l, "r")
		mustReset(t, l, "r")
		if n, err := client.Exists(ctx, prefix+"lockout:r").Result(); err != nil || n != 0 {
			t.Fatalf("EXISTS after Reset: got %d, %v; want 0, nil", n, err)
		}
	})
}

func wantPTTL(t *testing.T, client *redis.Client, key string, lo, hi time.Duration) {
	t.Helper()
	got, err := client.PTTL(context.Background(), key).Result()
	if err != nil {
		t.Fatalf("PTTL %s: %v", key, err)
	}
	if got < lo || got > hi {
		t.Fatalf("PTTL %s: got %s, want between %s and %s", key, got, lo, hi)
	}
}

// newRedisClient connects to the test Redis (or skips/fails per testenv) and
// returns a client and a key prefix of this test's own; the keys are removed
// when the test ends.
func newRedisClient(tb testing.TB) (*redis.Client, string) {
	tb.Helper()
	opts, err := redis.ParseURL(testenv.RedisURL(tb))
	if err != nil {
		tb.Fatalf("parse %s: %v", testenv.RedisEnv, err)
	}
	client := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		tb.Fatalf("ping Redis: %v", err)
	}
	prefix := testenv.UniquePrefix(tb)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			if err := client.Del(ctx, iter.Val()).Err(); err != nil {
				tb.Errorf("clean up %s: %v", iter.Val(), err)
			}
		}
		if err := iter.Err(); err != nil {
			tb.Errorf("clean up %s*: %v", prefix, err)
		}
		if err := client.Close(); err != nil {
			tb.Errorf("close Redis client: %v", err)
		}
	})
	return client, prefix
}
