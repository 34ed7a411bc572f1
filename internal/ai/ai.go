// Package ai talks to text-generation models: the Anthropic Messages API, any
// OpenAI-compatible server (Ollama, vLLM, llama.cpp) and an offline deterministic
// provider for development and tests. Every provider streams, retries what can be
// retried, and tells a finished generation from one that was cut off.
package ai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"
)

// Block is one part of the system prompt. Cache marks a cache breakpoint after the
// block (providers without prompt caching ignore it); put the most stable parts first.
type Block struct {
	Text  string
	Cache bool
}

// Message is one turn of the conversation.
type Message struct {
	Role string // "user" or "assistant"
	Text string
}

// Request is one generation.
type Request struct {
	System        []Block
	Messages      []Message
	MaxTokens     int
	Model         string // empty: the provider's configured model
	StopSequences []string
}

// Usage counts tokens as the provider reported them.
type Usage struct {
	InputTokens      int `json:"input_tokens"`
	OutputTokens     int `json:"output_tokens"`
	CacheReadTokens  int `json:"cache_read_tokens"`
	CacheWriteTokens int `json:"cache_write_tokens"`
}

// Result is a finished (or, with Partial, an interrupted) generation.
type Result struct {
	Text       string        `json:"text"`
	StopReason string        `json:"stop_reason"`
	Usage      Usage         `json:"usage"`
	Provider   string        `json:"provider"`
	Model      string        `json:"model"`
	RequestID  string        `json:"request_id"`
	Latency    time.Duration `json:"latency"`
	// Partial is set when the stream ended before the provider said it was done:
	// Text holds what arrived and must be kept as a draft, never as a finished
	// generation.
	Partial bool `json:"partial"`
}

// Provider generates text, streaming each piece to onDelta as it arrives. When the
// stream breaks off after some text, Stream returns the partial Result together
// with an error wrapping ErrIncomplete.
type Provider interface {
	// Name says which provider this is: "anthropic", "openai" or "offline".
	Name() string
	Stream(ctx context.Context, req Request, onDelta func(text string) error) (*Result, error)
}

// ErrIncomplete marks a stream that ended without its final event, or with an error
// event after the response had started.
var ErrIncomplete = errors.New("ai: the generation stopped before it finished")

// APIError is an error answer from a provider.
type APIError struct {
	Provider   string
	Status     int    // HTTP status; 0 for an error event inside a stream
	Type       string // provider's error type, e.g. "overloaded_error"
	Message    string
	RequestID  string
	RetryAfter time.Duration // from Retry-After, when the provider sent one
}

func (e *APIError) Error() string {
	return fmt.Sprintf("ai: %s answered %d %s: %s", e.Provider, e.Status, e.Type, e.Message)
}

// Retryable reports whether trying again may succeed: rate limits, overload and
// server errors, not bad requests.
func (e *APIError) Retryable() bool {
	return e.Status == 408 || e.Status == 409 || e.Status == 429 || e.Status >= 500
}

// RetryPolicy bounds retries of a failed call.
type RetryPolicy struct {
	Attempts int           // total attempts, at least 1
	Base     time.Duration // first backoff, doubled each time
	Max      time.Duration // longest single wait
}

// DefaultRetry is used when a provider is given none.
var DefaultRetry = RetryPolicy{Attempts: 4, Base: 500 * time.Millisecond, Max: 20 * time.Second}

// retryable reports whether err is worth another attempt: a retryable *APIError,
// or a network failure (refused, reset, cut) that is not the caller's own
// cancellation.
func retryable(err error) (*APIError, bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr, apiErr.Retryable()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return nil, false
	}
	var netErr net.Error
	return nil, errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED)
}

// Retry runs call until it succeeds, fails with an error that is neither a
// retryable *APIError nor a network failure, or runs out of attempts. It waits the provider's Retry-After when one
// was sent, else an exponential backoff. It does not retry once deltas were sent to
// the caller (sent reports that), since the text cannot be taken back.
func Retry(ctx context.Context, p RetryPolicy, sent func() bool, call func() error) error {
	if p.Attempts < 1 {
		p.Attempts = 1
	}
	wait := p.Base
	for attempt := 1; ; attempt++ {
		err := call()
		if err == nil || attempt >= p.Attempts || (sent != nil && sent()) {
			return err
		}
		apiErr, again := retryable(err)
		if !again {
			return err
		}
		d := wait
		if apiErr != nil && apiErr.RetryAfter > 0 {
			d = apiErr.RetryAfter
		}
		if p.Max > 0 && d > p.Max {
			d = p.Max
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
		wait *= 2
	}
}
