package ai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"
)

func TestRetry(t *testing.T) {
	errPlain := errors.New("plain")
	overloaded := &APIError{Status: 529, Type: "overloaded_error"}
	fast := RetryPolicy{Attempts: 4, Base: time.Millisecond, Max: 50 * time.Millisecond}
	tests := []struct {
		name      string
		policy    RetryPolicy
		errs      []error // returned by successive calls; nil afterwards
		sent      bool
		wantCalls int
		wantErr   error
		minWait   time.Duration
	}{
		{name: "success first time", policy: fast, wantCalls: 1},
		{name: "429 then success", policy: fast, errs: []error{&APIError{Status: 429}}, wantCalls: 2},
		{name: "500 twice then success", policy: fast, errs: []error{&APIError{Status: 500}, &APIError{Status: 502}}, wantCalls: 3},
		{name: "wrapped retryable", policy: fast, errs: []error{errors.Join(errPlain, overloaded)}, wantCalls: 2},
		{name: "400 not retried", policy: fast, errs: []error{&APIError{Status: 400}}, wantCalls: 1, wantErr: &APIError{Status: 400}},
		{name: "plain error not retried", policy: fast, errs: []error{errPlain}, wantCalls: 1, wantErr: errPlain},
		{name: "stops after Attempts", policy: RetryPolicy{Attempts: 2, Base: time.Millisecond}, errs: []error{overloaded, overloaded, overloaded}, wantCalls: 2, wantErr: overloaded},
		{name: "zero Attempts means one", policy: RetryPolicy{}, errs: []error{overloaded}, wantCalls: 1, wantErr: overloaded},
		{name: "not after text was sent", policy: fast, errs: []error{overloaded}, sent: true, wantCalls: 1, wantErr: overloaded},
		{name: "honours RetryAfter", policy: RetryPolicy{Attempts: 2, Base: time.Millisecond, Max: time.Second}, errs: []error{&APIError{Status: 429, RetryAfter: 80 * time.Millisecond}}, wantCalls: 2, minWait: 80 * time.Millisecond},
		{name: "Max caps RetryAfter", policy: RetryPolicy{Attempts: 2, Base: time.Millisecond, Max: 5 * time.Millisecond}, errs: []error{&APIError{Status: 429, RetryAfter: time.Hour}}, wantCalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			start := time.Now()
			err := Retry(context.Background(), tt.policy, func() bool { return tt.sent }, func() error {
				calls++
				if calls <= len(tt.errs) {
					return tt.errs[calls-1]
				}
				return nil
			})
			elapsed := time.Since(start)
			if calls != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls, tt.wantCalls)
			}
			if tt.wantErr == nil && err != nil {
				t.Errorf("err = %v, want nil", err)
			}
			if tt.wantErr != nil {
				var want *APIError
				if errors.As(tt.wantErr, &want) {
					var got *APIError
					if !errors.As(err, &got) || got.Status != want.Status {
						t.Errorf("err = %v, want APIError %d", err, want.Status)
					}
				} else if !errors.Is(err, tt.wantErr) {
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
			}
			if elapsed < tt.minWait {
				t.Errorf("returned after %v, want at least %v", elapsed, tt.minWait)
			}
			if elapsed > 2*time.Second {
				t.Errorf("took %v", elapsed)
			}
		})
	}
}

func TestRetryBackoffDoubles(t *testing.T) {
	var at []time.Time
	_ = Retry(context.Background(), RetryPolicy{Attempts: 3, Base: 20 * time.Millisecond, Max: time.Second}, nil, func() error {
		at = append(at, time.Now())
		return &APIError{Status: 503}
	})
	if len(at) != 3 {
		t.Fatalf("calls = %d, want 3", len(at))
	}
	first, second := at[1].Sub(at[0]), at[2].Sub(at[1])
	if first < 20*time.Millisecond || second < 40*time.Millisecond {
		t.Errorf("waits = %v, %v; want at least 20ms then 40ms", first, second)
	}
}

func TestRetryStopsOnContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	start := time.Now()
	time.AfterFunc(30*time.Millisecond, cancel)
	err := Retry(ctx, RetryPolicy{Attempts: 5, Base: time.Hour, Max: time.Hour}, nil, func() error {
		calls++
		return &APIError{Status: 503}
	})
	if calls != 1 {
		t.Errorf("calls = %d, want 1", calls)
	}
	var apiErr *APIError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &apiErr) {
		t.Errorf("err = %v, want the APIError joined with context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("returned after %v, want soon after cancel", elapsed)
	}
}

// TestRetryNetworkFailures: a refused or reset connection is retried like a 5xx,
// the caller's own cancellation is not.
func TestRetryNetworkFailures(t *testing.T) {
	fast := RetryPolicy{Attempts: 3, Base: time.Millisecond, Max: time.Millisecond}
	tests := []struct {
		name      string
		err       error
		wantCalls int
	}{
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, 3},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), 3},
		{"cut", fmt.Errorf("stream: %w", io.ErrUnexpectedEOF), 3},
		{"cancelled", fmt.Errorf("stream: %w", context.Canceled), 1},
		{"plain", errors.New("bad request body"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := Retry(context.Background(), fast, nil, func() error { calls++; return tt.err })
			if calls != tt.wantCalls || !errors.Is(err, tt.err) {
				t.Fatalf("calls = %d, err = %v; want %d calls and the error back", calls, err, tt.wantCalls)
			}
		})
	}
	// A connection that fails once and then works gives the caller the success.
	calls := 0
	err := Retry(context.Background(), fast, nil, func() error {
		calls++
		if calls == 1 {
			return &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		}
		return nil
	})
	if err != nil || calls != 2 {
		t.Fatalf("calls = %d, err = %v; want success on the second call", calls, err)
	}
}
