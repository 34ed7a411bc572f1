package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrInvalidPolicy is returned (wrapped) by LockoutPolicy.Validate, and by every
// method of a Lockout built with an invalid policy.
var ErrInvalidPolicy = errors.New("invalid lockout policy")

// Lockout tracks failures per key (e.g. failed logins per account) and imposes an
// exponentially growing lock once too many happen.
type Lockout interface {
	// Check returns how long key is still locked (0 when it is not).
	Check(ctx context.Context, key string) (time.Duration, error)
	// Fail records one failure and returns the lock now in force (0 while under the free allowance).
	Fail(ctx context.Context, key string) (time.Duration, error)
	// Reset forgets key's failures (after a success).
	Reset(ctx context.Context, key string) error
}

// LockoutPolicy says when failures lock a key and for how long.
//
// Free failures within Window cost nothing; the (Free+k)th failure locks for
// min(Base*2^(k-1), Max). Failures older than Window are forgotten (the counter
// expires Window after the last failure). A lock runs its full length even when
// it outlasts Window; a failure during a lock never shortens it.
type LockoutPolicy struct {
	// Free is how many failures within Window cost nothing (>= 0).
	Free int
	// Base is the first lock (> 0).
	Base time.Duration
	// Max caps the lock (>= Base).
	Max time.Duration
	// Window is how long after the last failure the count is kept (> 0).
	Window time.Duration
}

// Validate reports whether p can be used, so that configuration can be checked
// at startup.
func (p LockoutPolicy) Validate() error {
	switch {
	case p.Free < 0:
		return fmt.Errorf("%w: free %d must not be negative", ErrInvalidPolicy, p.Free)
	case p.Base <= 0:
		return fmt.Errorf("%w: base %s must be positive", ErrInvalidPolicy, p.Base)
	case p.Max < p.Base:
		return fmt.Errorf("%w: max %s must be at least base %s", ErrInvalidPolicy, p.Max, p.Base)
	case p.Window <= 0:
		return fmt.Errorf("%w: window %s must be positive", ErrInvalidPolicy, p.Window)
	}
	return nil
}

// lock returns the lock imposed by the failure numbered failures (1-based)
// within the window.
func (p LockoutPolicy) lock(failures int) time.Duration {
	k := failures - p.Free
	if k <= 0 {
		return 0
	}
	d := p.Base
	for range k - 1 {
		if d >= p.Max/2 {
			return p.Max
		}
		d *= 2
	}
	return min(d, p.Max)
}
