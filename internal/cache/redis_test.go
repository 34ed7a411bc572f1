package cache

import (
	"context"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/testenv"
	"github.com/redis/go-redis/v9"
)

func TestRedis(t *testing.T) {
	testenv.RedisURL(t) // skip or fail once here rather than in every subtest
	testStore(t, func(t *testing.T) (Store, func(time.Duration)) {
		client, prefix := newRedisClient(t)
		return NewRedis(client, prefix), time.Sleep
	})
}

func TestRedisSetsMillisecondTTL(t *testing.T) {
	client, prefix := newRedisClient(t)
	s := NewRedis(client, prefix)
	mustSet(t, s, "k", []byte("v"), 1500*time.Microsecond)
	ttl, err := client.PTTL(context.Background(), prefix+"k").Result()
	if err != nil {
		t.Fatal(err)
	}
	if ttl <= 0 || ttl > 2*time.Millisecond {
		t.Fatalf("PTTL after Set with 1.5ms: got %s, want in (0, 2ms]", ttl)
	}
}

// newRedisClient connects to the test Redis (or skips/fails per testenv) and
// returns a client and a key prefix of this test's own; the keys are removed
// when the test ends.
func newRedisClient(t *testing.T) (*redis.Client, string) {
	t.Helper()
	opts, err := redis.ParseURL(testenv.RedisURL(t))
	if err != nil {
		t.Fatalf("parse %s: %v", testenv.RedisEnv, err)
	}
	client := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		t.Fatalf("ping Redis: %v", err)
	}
	prefix := testenv.UniquePrefix(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			if err := client.Del(ctx, iter.Val()).Err(); err != nil {
				t.Errorf("clean up %s: %v", iter.Val(), err)
			}
		}
		if err := iter.Err(); err != nil {
			t.Errorf("clean up %s*: %v", prefix, err)
		}
		if err := client.Close(); err != nil {
			t.Errorf("close Redis client: %v", err)
		}
	})
	return client, prefix
}
