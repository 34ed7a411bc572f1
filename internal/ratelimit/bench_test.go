package ratelimit

import (
	"context"
	"strconv"
	"testing"
	"time"
)

func BenchmarkMemoryLimiterAllow(b *testing.B) {
	benchmarkAllow(b, NewMemoryLimiter(nil))
}

func BenchmarkRedisLimiterAllow(b *testing.B) {
	client, prefix := newRedisClient(b)
	benchmarkAllow(b, NewRedisLimiter(client, prefix))
}

// benchmarkAllow spreads events over 1024 keys under a limit loose enough that
// most are admitted, from one goroutine and then from GOMAXPROCS of them.
func benchmarkAllow(b *testing.B, l Limiter) {
	lim := Limit{Rate: 1000, Period: time.Second, Burst: 100}
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = "bench:" + strconv.Itoa(i)
	}
	ctx := context.Background()
	b.Run("serial", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := l.Allow(ctx, keys[i%len(keys)], lim); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := l.Allow(ctx, keys[i%len(keys)], lim); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
}
