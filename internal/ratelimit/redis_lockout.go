package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

var _ Lockout = (*RedisLockout)(nil)

// failScript records one failure in one step, on the server's clock (TIME, in
// milliseconds), so concurrent failures on any number of nodes are all counted.
// It mirrors MemoryLockout.Fail.
//
// KEYS[1]: hash {n: failures in window, last: last failure, until: lock end}.
// ARGV: free, base (ms), max (ms), window (ms).
// Returns the lock in force (ms).
var failScript = redis.NewScript(`
local free = tonumber(ARGV[1])
local base = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local s = redis.call('HMGET', KEYS[1], 'n', 'last', 'until')
local n = tonumber(s[1]) or 0
local last = tonumber(s[2]) or 0
local locked = tonumber(s[3]) or 0
if now - last >= window then n = 0 end
n = n + 1
if n > free then
  locked = math.max(locked, now + math.min(base * 2 ^ (n - free - 1), max))
end
redis.call('HSET', KEYS[1], 'n', n, 'last', string.format('%.0f', now), 'until', string.format('%.0f', locked))
redis.call('PEXPIRE', KEYS[1], math.max(window, locked - now))
return math.max(locked - now, 0)
`)

// checkScript returns the lock in force (ms) on the server's clock.
var checkScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local locked = tonumber(redis.call('HGET', KEYS[1], 'until')) or 0
return math.max(locked - now, 0)
`)

// RedisLockout is a Lockout kept in Redis, shared by every node that uses the same
// server and prefix. Times are whole milliseconds on the Redis server's clock;
// policy durations are rounded up to a millisecond. A key's state expires once
// both its count and its lock have.
type RedisLockout struct {
	client redis.UniversalClient
	prefix string
	policy LockoutPolicy
	err    error // from policy.Validate, returned by every method
}

// NewRedisLockout returns a lockout under policy p that keeps key's state under
// prefix+"lockout:"+key in client. If p is invalid, every method returns an
// error wrapping ErrInvalidPolicy.
func NewRedisLockout(client redis.UniversalClient, prefix string, p LockoutPolicy) *RedisLockout {
	return &RedisLockout{client: client, prefix: prefix + "lockout:", policy: p, err: p.Validate()}
}

// Check returns how long key is still locked (0 when it is not).
func (r *RedisLockout) Check(ctx context.Context, key string) (time.Duration, error) {
	if r.err != nil {
		return 0, fmt.Errorf("ratelimit: check %q: %w", key, r.err)
	}
	ms, err := checkScript.Run(ctx, r.client, []string{r.prefix + key}).Int64()
	if err != nil {
		return 0, fmt.Errorf("ratelimit: check %q: %w", key, err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Fail records one failure and returns the lock now in force (0 while under the
// free allowance).
func (r *RedisLockout) Fail(ctx context.Context, key string) (time.Duration, error) {
	if r.err != nil {
		return 0, fmt.Errorf("ratelimit: fail %q: %w", key, r.err)
	}
	p := r.policy
	ms, err := failScript.Run(ctx, r.client, []string{r.prefix + key},
		p.Free, millis(p.Base), millis(p.Max), millis(p.Window)).Int64()
	if err != nil {
		return 0, fmt.Errorf("ratelimit: fail %q: %w", key, err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Reset forgets key's failures and lifts its lock.
func (r *RedisLockout) Reset(ctx context.Context, key string) error {
	if r.err != nil {
		return fmt.Errorf("ratelimit: reset %q: %w", key, r.err)
	}
	if err := r.client.Del(ctx, r.prefix+key).Err(); err != nil {
		return fmt.Errorf("ratelimit: reset %q: %w", key, err)
	}
	return nil
}

// millis rounds d up to whole milliseconds.
func millis(d time.Duration) int64 {
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}
