package aitest

import (
	"sync"
	"time"
)

// FaultKind names a way a request can fail.
type FaultKind int

// The faults a Script can ask for. The first four answer with an error status
// instead of a stream; the others start a 200 stream and break it.
const (
	// FaultNone answers normally.
	FaultNone FaultKind = iota
	// FaultRateLimit answers 429 with retry-after (Fault.RetryAfter, 1s when
	// zero) and rate-limit headers whose remaining counts are 0.
	FaultRateLimit
	// FaultOverloaded answers 529 overloaded_error (OpenAI fake: 503).
	FaultOverloaded
	// FaultServerError answers 500 api_error (OpenAI fake: server_error).
	FaultServerError
	// FaultStatus answers Fault.Status with error type Fault.ErrorType.
	FaultStatus
	// FaultErrorEvent sends Fault.AfterDeltas text deltas, then an error event
	// (Anthropic: "event: error"; OpenAI: a data line holding an "error" object),
	// then ends the body.
	FaultErrorEvent
	// FaultCut sends Fault.AfterDeltas text deltas, then aborts the connection
	// mid-body, as a reset or a dropped proxy does.
	FaultCut
	// FaultEndEarly sends Fault.AfterDeltas text deltas, then ends the body
	// cleanly without message_stop or [DONE].
	FaultEndEarly
	// FaultStall sends Fault.AfterDeltas text deltas, then sends nothing for
	// Fault.Stall (until the client leaves when zero), then finishes normally.
	FaultStall
	// FaultStallHeaders sends nothing at all for Fault.Stall (until the client
	// leaves when zero), then answers normally.
	FaultStallHeaders
)

// Fault scripts how one request fails. The zero value answers normally.
type Fault struct {
	Kind FaultKind
	// Status and ErrorType set the answer of FaultStatus; ErrorType and Message
	// also override the defaults of the other error kinds.
	Status    int
	ErrorType string
	Message   string
	// RetryAfter is sent with an error status as retry-after in whole seconds,
	// rounded up, plus retry-after-ms when it is not a whole number of seconds
	// (the SDKs and internal/ai prefer the latter).
	RetryAfter time.Duration
	// ShouldRetry, when set, is sent as the x-should-retry header ("true" or
	// "false") with an error status.
	ShouldRetry string
	// AfterDeltas is how many text deltas a mid-stream fault lets through; 0
	// means 1, negative means none.
	AfterDeltas int
	// Stall is how long FaultStall and FaultStallHeaders keep quiet.
	Stall time.Duration
}

// status reports whether the fault answers with an error status instead of a stream.
func (f Fault) status() bool {
	switch f.Kind {
	case FaultRateLimit, FaultOverloaded, FaultServerError, FaultStatus:
		return true
	}
	return false
}

// errorText returns the fault's error type and message, or the given defaults.
func (f Fault) errorText(typ, msg string) (string, string) {
	if f.ErrorType != "" {
		typ = f.ErrorType
	}
	if f.Message != "" {
		msg = f.Message
	}
	return typ, msg
}

// midStream reports whether the fault breaks a started stream, and after how
// many deltas.
func (f Fault) midStream() (int, bool) {
	switch f.Kind {
	case FaultErrorEvent, FaultCut, FaultEndEarly, FaultStall:
	default:
		return 0, false
	}
	switch {
	case f.AfterDeltas == 0:
		return 1, true
	case f.AfterDeltas < 0:
		return 0, true
	}
	return f.AfterDeltas, true
}

// Sequence returns a Script that answers request n with faults[n] and every later
// request normally: Sequence(Fault{Kind: FaultOverloaded}) fails the first
// request only.
func Sequence(faults ...Fault) func(n int, req ParsedRequest) Fault {
	return func(n int, _ ParsedRequest) Fault {
		if n < len(faults) {
			return faults[n]
		}
		return Fault{}
	}
}

// Clock is a manual clock for AnthropicOptions.Now, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock that reads t until advanced.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
