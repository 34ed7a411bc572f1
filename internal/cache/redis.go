package cache

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

var _ Store = (*Redis)(nil)

// Redis is a Store kept in Redis, shared by every node that uses the same server
// and prefix. Expiry is Redis's own, at millisecond resolution.
type Redis struct {
	client redis.UniversalClient
	prefix string
}

// NewRedis returns a store that keeps key under prefix+key in client.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix}
}

// Get returns the value stored under key, or nil and false when the key is absent
// or expired.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, bool, error) {
	val, err := r.client.Get(ctx, r.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("cache: get %q: %w", key, err)
	}
	return val, true, nil
}

// Set stores val under key for ttl, rounded up to a whole millisecond.
func (r *Redis) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("cache: set %q: %w (got %s)", key, ErrInvalidTTL, ttl)
	}
	// go-redis truncates to milliseconds (and warns below one); round up instead
	// so a value never lives shorter than asked.
	ttl = (ttl + time.Millisecond - 1).Truncate(time.Millisecond)
	if err := r.client.Set(ctx, r.prefix+key, val, ttl).Err(); err != nil {
		return fmt.Errorf("cache: set %q: %w", key, err)
	}
	return nil
}

// Delete removes key.
func (r *Redis) Delete(ctx context.Context, key string) error {
	if err := r.client.Del(ctx, r.prefix+key).Err(); err != nil {
		return fmt.Errorf("cache: delete %q: %w", key, err)
	}
	return nil
}
