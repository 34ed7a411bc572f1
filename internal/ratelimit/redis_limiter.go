package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

var _ Limiter = (*RedisLimiter)(nil)

// allowScript is GCRA in one step, so concurrent callers on any number of nodes
// are serialized by Redis. Times are whole microseconds on the server's clock
// (TIME); Lua's doubles hold them exactly because Limit caps the burst tolerance
// at a century and 2^53 µs is 285 years.
//
// KEYS[1]: theoretical arrival time (TAT) of the key's next event.
// ARGV[1]: emission interval (µs); ARGV[2]: burst.
// Returns {allowed (0|1), remaining, retry after (µs)}.
var allowScript = redis.NewScript(`
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - interval * burst
if now < allow_at then
  return {0, 0, allow_at - now}
end
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return {1, math.floor((now - allow_at) / interval), 0}
`)

// RedisLimiter is a Limiter kept in Redis, shared by every node that uses the same
// server and prefix. A key's state expires once its allowance has fully refilled.
type RedisLimiter struct {
	client redis.UniversalClient
	prefix string
}

// NewRedisLimiter returns a limiter that keeps key's state under
// prefix+"rate:"+key in client.
func NewRedisLimiter(client redis.UniversalClient, prefix string) *RedisLimiter {
	return &RedisLimiter{client: client, prefix: prefix + "rate:"}
}

// Allow counts one event for key under l, unless l refuses it.
func (r *RedisLimiter) Allow(ctx context.Context, key string, l Limit) (Result, error) {
	interval, _, err := l.interval()
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: allow %q: %w", key, err)
	}
	v, err := allowScript.Run(ctx, r.client, []string{r.prefix + key},
		interval.Microseconds(), l.Burst).Int64Slice()
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: allow %q: %w", key, err)
	}
	if len(v) != 3 {
		return Result{}, fmt.Errorf("ratelimit: allow %q: script returned %d values, want 3", key, len(v))
	}
	return Result{
		Allowed:    v[0] == 1,
		Remaining:  int(v[1]),
		RetryAfter: time.Duration(v[2]) * time.Microsecond,
	}, nil
}
