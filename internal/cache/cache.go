package cache

import (
	"context"
	"errors"
	"time"
)

// ErrInvalidTTL is returned (wrapped) by Set when the time-to-live is not positive.
var ErrInvalidTTL = errors.New("ttl must be positive")

// Store is a key-value store with per-key expiry.
type Store interface {
	// Get returns the value and true, or nil and false when the key is absent or expired.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Set stores val under key for ttl (ttl > 0 required).
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	// Delete removes key; deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
}
