package aitest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Defaults for AnthropicOptions fields left at zero.
const (
	DefaultMinCacheTokens  = 1024
	DefaultMaxBodyBytes    = 32 << 20
	DefaultMaxOutputTokens = 128_000
)

// AnthropicOptions shapes an Anthropic fake. The zero value gives a fast,
// well-behaved server with a 1,024-token cache minimum and the real clock.
type AnthropicOptions struct {
	// Reply, when set, gives the reply text for a request instead of
	// ScriptedReply(req.LastUserText()). max_tokens and stop sequences still cut it.
	Reply func(req ParsedRequest) string
	// Script, when set, picks a fault for request n (from 0); see Sequence.
	Script func(n int, req ParsedRequest) Fault
	// MinCacheTokens is the shortest prefix the cache stores: 0 means
	// DefaultMinCacheTokens, negative means no minimum. Shorter breakpoints are
	// skipped without an error, as the API does.
	MinCacheTokens int
	// Now is the clock for cache TTLs and rate-limit reset times; nil means
	// time.Now. See Clock.
	Now func() time.Time
	// ChunkSplit sends every frame in random pieces of 1–16 bytes, cutting lines
	// and multi-byte characters; Seed makes the pieces reproducible.
	ChunkSplit bool
	Seed       uint64
	// FirstTokenDelay is waited after message_start and ping, before the first
	// content block; TokenDelay between deltas.
	FirstTokenDelay time.Duration
	TokenDelay      time.Duration
	// Thinking sends a thinking block (thinking and signature deltas) before the
	// text; its tokens count as output and against max_tokens.
	Thinking bool
	// UnknownEvent sends an event of a type the API does not define after the
	// ping; clients must ignore it.
	UnknownEvent bool
	// MaxBodyBytes is the largest body accepted before 413 request_too_large;
	// 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxOutputTokens is the largest max_tokens accepted before 400; 0 means
	// DefaultMaxOutputTokens.
	MaxOutputTokens int
}

// Anthropic is a fake Messages API server. It serves POST /v1/messages
// (streaming only) and POST /v1/messages/count_tokens.
type Anthropic struct {
	// URL is the server's root, e.g. "http://127.0.0.1:41234"; use it as
	// ai.AnthropicConfig.BaseURL.
	URL string

	c               *core
	cache           *promptCache
	thinking        bool
	unknownEvent    bool
	maxBody         int64
	maxOutputTokens int
}

// NewAnthropic starts a fake Messages API server. Call Close when done.
func NewAnthropic(opts AnthropicOptions) *Anthropic {
	minTokens := opts.MinCacheTokens
	switch {
	case minTokens == 0:
		minTokens = DefaultMinCacheTokens
	case minTokens < 0:
		minTokens = 0
	}
	f := &Anthropic{
		c: &core{
			seed: opts.Seed, chunkSplit: opts.ChunkSplit,
			firstTokenDelay: opts.FirstTokenDelay, tokenDelay: opts.TokenDelay,
			script: opts.Script, reply: opts.Reply, now: opts.Now,
		},
		cache:           newPromptCache(minTokens),
		thinking:        opts.Thinking,
		unknownEvent:    opts.UnknownEvent,
		maxBody:         opts.MaxBodyBytes,
		maxOutputTokens: opts.MaxOutputTokens,
	}
	if f.maxBody <= 0 {
		f.maxBody = DefaultMaxBodyBytes
	}
	if f.maxOutputTokens <= 0 {
		f.maxOutputTokens = DefaultMaxOutputTokens
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/messages", f.serveMessages)
	mux.HandleFunc("POST /v1/messages/count_tokens", f.serveCountTokens)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.fail(w, -1, http.StatusNotFound, "not_found_error", "aitest: no route for "+r.Method+" "+r.URL.Path, Fault{})
	})
	f.c.start(mux)
	f.URL = f.c.srv.URL
	return f
}

// Close stops the server, ending stalled streams first.
func (f *Anthropic) Close() { f.c.close() }

// Requests returns every request to /v1/messages so far, in order of arrival.
func (f *Anthropic) Requests() []ParsedRequest { return f.c.requests() }

// Stats returns the totals so far.
func (f *Anthropic) Stats() Stats { return f.c.totals() }

func (f *Anthropic) serveMessages(w http.ResponseWriter, r *http.Request) {
	body, readErr := io.ReadAll(io.LimitReader(r.Body, f.maxBody+1))
	size := len(body)
	tooLarge := int64(size) > f.maxBody
	if tooLarge {
		// Read the rest so the client gets the answer rather than a reset.
		rest, _ := io.Copy(io.Discard, r.Body)
		size += int(rest)
	}
	rec := f.c.begin(r, size)
	switch {
	case tooLarge:
		f.fail(w, rec.N, http.StatusRequestEntityTooLarge, "request_too_large", "Request exceeds the maximum allowed number of bytes.", Fault{})
		return
	case readErr != nil:
		f.fail(w, rec.N, http.StatusBadRequest, "invalid_request_error", "aitest: read body: "+readErr.Error(), Fault{})
		return
	}

	req, segs, err := parseAnthropic(body, anthropicRules{generate: true, maxOutputTokens: f.maxOutputTokens})
	req.N, req.Path, req.Header, req.BodyBytes = rec.N, rec.Path, rec.Header, rec.BodyBytes
	f.c.update(req)
	if err != nil {
		f.fail(w, req.N, http.StatusBadRequest, "invalid_request_error", err.Error(), Fault{})
		return
	}
	fault := f.c.fault(req)
	if fault.Kind == FaultStallHeaders && !f.c.wait(r.Context(), fault.Stall, true) {
		return
	}
	if fault.status() {
		f.failWith(w, req.N, fault)
		return
	}
	f.stream(w, r, req, segs, fault)
}

func (f *Anthropic) serveCountTokens(w http.ResponseWriter, r *http.Request) {
	f.c.addStats(func(s *Stats) { s.CountTokensRequests++ })
	body, err := io.ReadAll(io.LimitReader(r.Body, f.maxBody+1))
	if err == nil && int64(len(body)) > f.maxBody {
		f.fail(w, -1, http.StatusRequestEntityTooLarge, "request_too_large", "Request exceeds the maximum allowed number of bytes.", Fault{})
		return
	}
	var segs []segment
	if err == nil {
		_, segs, err = parseAnthropic(body, anthropicRules{})
	}
	if err != nil {
		f.fail(w, -1, http.StatusBadRequest, "invalid_request_error", err.Error(), Fault{})
		return
	}
	total := 0
	if len(segs) > 0 {
		total = segs[len(segs)-1].total
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int{"input_tokens": total})
}

// failWith answers with the error status a fault asks for.
func (f *Anthropic) failWith(w http.ResponseWriter, n int, fault Fault) {
	status, typ, msg := fault.Status, "api_error", "Internal server error"
	switch fault.Kind {
	case FaultRateLimit:
		status, typ, msg = http.StatusTooManyRequests, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"
		if fault.RetryAfter <= 0 {
			fault.RetryAfter = time.Second
		}
	case FaultOverloaded:
		status, typ, msg = 529, "overloaded_error", "Overloaded"
	case FaultServerError:
		status = http.StatusInternalServerError
	default:
		if status == 0 {
			status = http.StatusInternalServerError
		}
		typ, msg = anthropicErrorType(status), http.StatusText(status)
	}
	typ, msg = fault.errorText(typ, msg)
	f.fail(w, n, status, typ, msg, fault)
}

// anthropicErrorType names the error type the API uses for status.
func anthropicErrorType(status int) string {
	switch status {
	case 400:
		return "invalid_request_error"
	case 401:
		return "authentication_error"
	case 402:
		return "billing_error"
	case 403:
		return "permission_error"
	case 404:
		return "not_found_error"
	case 413:
		return "request_too_large"
	case 429:
		return "rate_limit_error"
	case 529:
		return "overloaded_error"
	case 504:
		return "timeout_error"
	}
	return "api_error"
}

// fail answers status with the API's error body. n < 0 marks a request that is
// not in the log.
func (f *Anthropic) fail(w http.ResponseWriter, n, status int, typ, msg string, fault Fault) {
	id := requestID("req", max(n, 0))
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("request-id", id)
	setRetryHeaders(h, fault)
	if status == http.StatusTooManyRequests {
		f.rateLimitHeaders(h, true, fault.RetryAfter)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type":       "error",
		"error":      map[string]any{"type": typ, "message": msg},
		"request_id": id,
	})
	if n >= 0 {
		f.c.setStatus(n, status)
	}
}

// rateLimitHeaders sets the anthropic-ratelimit-* headers; limited empties every
// bucket until the retry time.
func (f *Anthropic) rateLimitHeaders(h http.Header, limited bool, wait time.Duration) {
	if wait <= 0 {
		wait = time.Minute
	}
	reset := f.c.now().Add(wait).UTC().Format(time.RFC3339)
	for _, b := range []struct {
		name  string
		limit int
	}{{"requests", 4000}, {"tokens", 2_000_000}, {"input-tokens", 2_000_000}, {"output-tokens", 400_000}} {
		remaining := b.limit - 1
		if limited {
			remaining = 0
		}
		prefix := "anthropic-ratelimit-" + b.name + "-"
		h.Set(prefix+"limit", strconv.Itoa(b.limit))
		h.Set(prefix+"remaining", strconv.Itoa(remaining))
		h.Set(prefix+"reset", reset)
	}
}
