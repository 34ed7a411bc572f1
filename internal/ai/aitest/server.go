package aitest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// Stats totals what a fake served. Token counts follow Tokens.
type Stats struct {
	// Requests counts requests to the generation endpoint, whatever the answer.
	Requests int
	// Streams counts requests answered with a 200 stream.
	Streams int
	// InputTokens counts prompt tokens that were neither read from nor written to
	// the cache.
	InputTokens int
	// CacheReadTokens and CacheWriteTokens count prompt tokens read from and
	// written to the prompt cache; CacheWrite1hTokens is the part of the writes
	// made with a one-hour TTL. All three stay 0 on the OpenAI fake.
	CacheReadTokens    int
	CacheWriteTokens   int
	CacheWrite1hTokens int
	// OutputTokens counts the thinking and text tokens actually sent, so a cut
	// stream counts only what went out.
	OutputTokens int
	// CountTokensRequests counts calls to /v1/messages/count_tokens.
	CountTokensRequests int
}

// PromptTokens returns all prompt tokens: uncached, read and written.
func (s Stats) PromptTokens() int {
	return s.InputTokens + s.CacheReadTokens + s.CacheWriteTokens
}

// core is what both fakes share: the server, the request log, the totals and the
// knobs that shape a stream.
type core struct {
	srv     *httptest.Server
	release chan struct{} // closed by Close so that stalled handlers return
	once    sync.Once

	seed            uint64
	chunkSplit      bool
	firstTokenDelay time.Duration
	tokenDelay      time.Duration
	script          func(int, ParsedRequest) Fault
	reply           func(ParsedRequest) string
	now             func() time.Time

	mu    sync.Mutex
	reqs  []ParsedRequest
	stats Stats
}

func (c *core) start(h http.Handler) {
	c.release = make(chan struct{})
	if c.now == nil {
		c.now = time.Now
	}
	c.srv = httptest.NewServer(h)
}

// close releases stalled handlers, then shuts the server down; httptest waits for
// running handlers, which would otherwise sit out their stalls.
func (c *core) close() {
	c.once.Do(func() {
		close(c.release)
		c.srv.Close()
	})
}

// begin numbers and logs a request.
func (c *core) begin(r *http.Request, bodyBytes int) ParsedRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	req := ParsedRequest{N: len(c.reqs), Path: r.URL.Path, Header: r.Header.Clone(), BodyBytes: bodyBytes}
	c.reqs = append(c.reqs, req)
	c.stats.Requests++
	return req
}

// update replaces the logged copy of req.
func (c *core) update(req ParsedRequest) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reqs[req.N] = req
}

func (c *core) setStatus(n, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reqs[n].Status = status
	if status == http.StatusOK {
		c.stats.Streams++
	}
}

func (c *core) addStats(f func(*Stats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(&c.stats)
}

func (c *core) requests() []ParsedRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.reqs)
}

func (c *core) totals() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

func (c *core) fault(req ParsedRequest) Fault {
	if c.script == nil {
		return Fault{}
	}
	return c.script(req.N, req)
}

func (c *core) replyText(req ParsedRequest) string {
	if c.reply != nil {
		return c.reply(req)
	}
	return ScriptedReply(req.LastUserText())
}

// wait sleeps for d, or until the client leaves or the fake closes; d <= 0 with
// forever set waits for one of the latter. It reports whether the full time passed.
func (c *core) wait(ctx context.Context, d time.Duration, forever bool) bool {
	if d <= 0 && !forever {
		return true
	}
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-timeout:
		return true
	case <-ctx.Done():
	case <-c.release:
	}
	return false
}

// sendDeltas sends deltas through send, TokenDelay apart, and breaks off where
// fault says: errorEvent sends the fault's error event. It reports whether the
// stream should be finished normally.
func (c *core) sendDeltas(ctx context.Context, deltas []string, fault Fault, send func(string) bool, errorEvent func()) bool {
	at, mid := fault.midStream()
	at = min(at, len(deltas))
	for i := 0; ; i++ {
		if mid && i == at {
			switch fault.Kind {
			case FaultErrorEvent:
				errorEvent()
				return false
			case FaultCut:
				panic(http.ErrAbortHandler) // net/http drops the connection without logging
			case FaultEndEarly:
				return false
			case FaultStall:
				if !c.wait(ctx, fault.Stall, true) {
					return false
				}
			}
		}
		if i == len(deltas) {
			return true
		}
		if i > 0 && !c.wait(ctx, c.tokenDelay, false) {
			return false
		}
		ok := send(deltas[i])
		c.addStats(func(st *Stats) { st.OutputTokens += Tokens(deltas[i]) })
		if !ok {
			return false
		}
	}
}

// newStream starts a 200 event stream for request n.
func (c *core) newStream(w http.ResponseWriter, r *http.Request, n int) *stream {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	s := &stream{w: w, ctx: r.Context()}
	s.flusher, _ = w.(http.Flusher)
	if c.chunkSplit {
		s.rng = rand.New(rand.NewPCG(c.seed, uint64(n)))
	}
	s.flush()
	return s
}

// stream writes frames, each flushed at once; with chunk splitting each frame
// goes out in pieces of 1–16 bytes, and its first multi-byte character is always
// cut in two.
type stream struct {
	w       http.ResponseWriter
	flusher http.Flusher
	ctx     context.Context
	rng     *rand.Rand
}

// write sends a frame and reports whether the client is still there.
func (s *stream) write(frame string) bool {
	if s.rng == nil {
		_, _ = s.w.Write([]byte(frame))
		s.flush()
		return s.ctx.Err() == nil
	}
	prev := 0
	for _, cut := range splitPoints(frame, s.rng) {
		_, _ = s.w.Write([]byte(frame[prev:cut]))
		s.flush()
		if !utf8.RuneStart(frame[cut]) {
			// A short pause keeps the halves of the character in separate reads.
			time.Sleep(100 * time.Microsecond)
		}
		prev = cut
	}
	_, _ = s.w.Write([]byte(frame[prev:]))
	s.flush()
	return s.ctx.Err() == nil
}

func (s *stream) flush() {
	if s.flusher != nil {
		s.flusher.Flush()
	}
}

// splitPoints returns sorted cut offsets inside frame: random steps of 1–16
// bytes, plus one inside the first multi-byte character.
func splitPoints(frame string, rng *rand.Rand) []int {
	var cuts []int
	for i, r := range frame {
		if utf8.RuneLen(r) > 1 {
			cuts = append(cuts, i+1)
			break
		}
	}
	for at := 1 + rng.IntN(16); at < len(frame); at += 1 + rng.IntN(16) {
		cuts = append(cuts, at)
	}
	slices.Sort(cuts)
	return slices.Compact(cuts)
}

// setRetryHeaders sets retry-after, retry-after-ms and x-should-retry for an
// error answer.
func setRetryHeaders(h http.Header, f Fault) {
	if f.RetryAfter > 0 {
		h.Set("retry-after", strconv.Itoa(int(math.Ceil(f.RetryAfter.Seconds()))))
		if f.RetryAfter%time.Second != 0 {
			h.Set("retry-after-ms", strconv.FormatInt(f.RetryAfter.Milliseconds(), 10))
		}
	}
	if f.ShouldRetry != "" {
		h.Set("x-should-retry", f.ShouldRetry)
	}
}

func requestID(prefix string, n int) string {
	return fmt.Sprintf("%s_fake_%06d", prefix, n)
}
