package ai

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAnthropic is an httptest server that speaks the Messages API's SSE framing.
// Each test scripts the response with handle; n counts requests from 0.
type fakeAnthropic struct {
	srv     *httptest.Server
	release chan struct{} // closed at cleanup so stalled handlers return

	mu      sync.Mutex
	bodies  []map[string]any
	headers []http.Header
	times   []time.Time
}

func newFakeAnthropic(t *testing.T, handle func(w *anthropicSSE, r *http.Request, n int)) *fakeAnthropic {
	t.Helper()
	f := &fakeAnthropic{release: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
			return
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		n := len(f.bodies)
		f.bodies = append(f.bodies, body)
		f.headers = append(f.headers, r.Header.Clone())
		f.times = append(f.times, time.Now())
		f.mu.Unlock()
		handle(&anthropicSSE{w: w, release: f.release, ctx: r.Context()}, r, n)
	}))
	t.Cleanup(func() {
		close(f.release)
		f.srv.Close()
	})
	return f
}

func (f *fakeAnthropic) requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.bodies)
}

func (f *fakeAnthropic) body(i int) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bodies[i]
}

func (f *fakeAnthropic) arrival(i int) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.times[i]
}

func (f *fakeAnthropic) header(i int) http.Header {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.headers[i]
}

// anthropicSSE writes server-sent events and flushes after each write.
type anthropicSSE struct {
	w       http.ResponseWriter
	release chan struct{}
	ctx     context.Context
}

// begin sends the headers of a 200 stream.
func (s *anthropicSSE) begin(requestID string) {
	s.w.Header().Set("Content-Type", "text/event-stream")
	s.w.Header().Set("request-id", requestID)
	s.w.WriteHeader(http.StatusOK)
	s.flush()
}

func (s *anthropicSSE) raw(text string) {
	_, _ = s.w.Write([]byte(text))
	s.flush()
}

func (s *anthropicSSE) flush() {
	if fl, ok := s.w.(http.Flusher); ok {
		fl.Flush()
	}
}

// event writes one event whose JSON type equals its name, as the API does.
func (s *anthropicSSE) event(name string, fields map[string]any) {
	fields["type"] = name
	data, err := json.Marshal(fields)
	if err != nil {
		panic(err)
	}
	s.raw("event: " + name + "\ndata: " + string(data) + "\n\n")
}

func (s *anthropicSSE) messageStart(model string, input, cacheWrite, cacheRead int) {
	s.event("message_start", map[string]any{"message": map[string]any{
		"id": "msg_01", "type": "message", "role": "assistant", "model": model,
		"content": []any{}, "stop_reason": nil, "stop_sequence": nil,
		"usage": map[string]any{
			"input_tokens": input, "cache_creation_input_tokens": cacheWrite,
			"cache_read_input_tokens": cacheRead, "output_tokens": 1,
		},
	}})
}

func (s *anthropicSSE) blockStart(index int, kind string) {
	block := map[string]any{"type": kind}
	if kind == "text" {
		block["text"] = ""
	} else {
		block["thinking"] = ""
	}
	s.event("content_block_start", map[string]any{"index": index, "content_block": block})
}

func (s *anthropicSSE) textDelta(index int, text string) {
	s.event("content_block_delta", map[string]any{"index": index, "delta": map[string]any{"type": "text_delta", "text": text}})
}

func (s *anthropicSSE) blockStop(index int) {
	s.event("content_block_stop", map[string]any{"index": index})
}

func (s *anthropicSSE) messageDelta(stopReason string, output int) {
	s.event("message_delta", map[string]any{
		"delta": map[string]any{"stop_reason": stopReason, "stop_sequence": nil},
		"usage": map[string]any{"output_tokens": output},
	})
}

// finish closes the text block at index and ends the message.
func (s *anthropicSSE) finish(index int, stopReason string, output int) {
	s.blockStop(index)
	s.messageDelta(stopReason, output)
	s.event("message_stop", map[string]any{})
}

// stall blocks until the client goes away or the test ends.
func (s *anthropicSSE) stall() {
	select {
	case <-s.ctx.Done():
	case <-s.release:
	case <-time.After(5 * time.Second):
	}
}

// fail answers with an error status and the API's error body.
func (s *anthropicSSE) fail(status int, errType, message string, headers map[string]string) {
	for k, v := range headers {
		s.w.Header().Set(k, v)
	}
	s.w.Header().Set("Content-Type", "application/json")
	s.w.Header().Set("request-id", "req_err")
	s.w.WriteHeader(status)
	_ = json.NewEncoder(s.w).Encode(map[string]any{
		"type":       "error",
		"error":      map[string]any{"type": errType, "message": message},
		"request_id": "req_err",
	})
}

// anthropicSimpleStream sends a complete one-block answer.
func anthropicSimpleStream(w *anthropicSSE, text string) {
	w.begin("req_ok")
	w.messageStart("claude-test-5", 10, 0, 0)
	w.blockStart(0, "text")
	w.textDelta(0, text)
	w.finish(0, "end_turn", 3)
}

func newTestAnthropic(t *testing.T, f *fakeAnthropic, mutate func(*AnthropicConfig)) *AnthropicProvider {
	t.Helper()
	cfg := AnthropicConfig{
		APIKey:      "test-key",
		BaseURL:     f.srv.URL,
		Model:       "claude-cfg",
		IdleTimeout: 5 * time.Second,
		Retry:       RetryPolicy{Attempts: 3, Base: time.Millisecond, Max: 2 * time.Second},
	}
	if mutate != nil {
		mutate(&cfg)
	}
	return NewAnthropic(cfg)
}

var anthropicHello = Request{Messages: []Message{{Role: "user", Text: "Write."}}}

// anthropicCollect returns an onDelta that records deltas.
func anthropicCollect(deltas *[]string) func(string) error {
	return func(s string) error {
		*deltas = append(*deltas, s)
		return nil
	}
}

func TestAnthropicStream(t *testing.T) {
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) {
		w.begin("req_abc")
		w.messageStart("claude-test-5", 10, 100, 200)
		w.event("ping", map[string]any{})
		w.blockStart(0, "thinking")
		w.event("content_block_delta", map[string]any{"index": 0, "delta": map[string]any{"type": "thinking_delta", "thinking": "hidden"}})
		w.event("content_block_delta", map[string]any{"index": 0, "delta": map[string]any{"type": "signature_delta", "signature": "sig"}})
		w.blockStop(0)
		w.blockStart(1, "text")
		w.textDelta(1, "It was ")
		w.event("ping", map[string]any{})
		w.event("unknown_future_event", map[string]any{"x": 1})
		w.textDelta(1, "a dark ")
		w.textDelta(1, "night.")
		w.blockStop(1)
		w.messageDelta("end_turn", 5)
		w.messageDelta("end_turn", 7)
		w.event("message_stop", map[string]any{})
	})
	p := newTestAnthropic(t, f, nil)

	var deltas []string
	res, err := p.Stream(context.Background(), anthropicHello, anthropicCollect(&deltas))
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if got, want := strings.Join(deltas, "|"), "It was |a dark |night."; got != want {
		t.Errorf("deltas = %q, want %q", got, want)
	}
	want := Result{
		Text:       "It was a dark night.",
		StopReason: "end_turn",
		Usage:      Usage{InputTokens: 10, OutputTokens: 7, CacheReadTokens: 200, CacheWriteTokens: 100},
		Provider:   "anthropic",
		Model:      "claude-test-5",
		RequestID:  "req_abc",
	}
	got := *res
	got.Latency = 0
	if got != want {
		t.Errorf("result = %+v, want %+v", got, want)
	}
	if res.Latency <= 0 {
		t.Errorf("latency = %v, want > 0", res.Latency)
	}
	if p.Name() != "anthropic" {
		t.Errorf("Name() = %q, want anthropic", p.Name())
	}
}

func TestAnthropicSplitUTF8(t *testing.T) {
	const text = "naïve 世界"
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) {
		w.begin("req_utf8")
		w.messageStart("claude-test-5", 10, 0, 0)
		w.blockStart(0, "text")
		frame := `event: content_block_delta` + "\n" +
			`data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"` + text + `"}}` + "\n\n"
		cut := strings.Index(frame, "世") + 1 // inside the three bytes of 世
		w.raw(frame[:cut])
		time.Sleep(20 * time.Millisecond)
		w.raw(frame[cut:])
		w.finish(0, "end_turn", 4)
	})
	p := newTestAnthropic(t, f, nil)

	var deltas []string
	res, err := p.Stream(context.Background(), anthropicHello, anthropicCollect(&deltas))
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if len(deltas) != 1 || deltas[0] != text {
		t.Errorf("deltas = %q, want [%q]", deltas, text)
	}
	if res.Text != text {
		t.Errorf("text = %q, want %q", res.Text, text)
	}
}

func TestAnthropicRequestBody(t *testing.T) {
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) { anthropicSimpleStream(w, "ok") })
	p := newTestAnthropic(t, f, func(c *AnthropicConfig) { c.Version = "2023-06-01"; c.MaxTokens = 1234 })

	req := Request{
		System: []Block{
			{Text: "bible", Cache: true},
			{Text: "chapter"},
			{Text: "beats", Cache: true},
			{Text: "tail"},
		},
		Messages:      []Message{{Role: "user", Text: "Write."}, {Role: "assistant", Text: "Once"}},
		StopSequences: []string{"THE END"},
	}
	if _, err := p.Stream(context.Background(), req, func(string) error { return nil }); err != nil {
		t.Fatalf("Stream: %v", err)
	}
	body := f.body(0)
	for _, k := range []string{"temperature", "top_p", "top_k"} {
		if _, ok := body[k]; ok {
			t.Errorf("body has %q, want it absent", k)
		}
	}
	if body["stream"] != true {
		t.Errorf("stream = %v, want true", body["stream"])
	}
	if body["model"] != "claude-cfg" {
		t.Errorf("model = %v, want claude-cfg", body["model"])
	}
	if body["max_tokens"] != float64(1234) {
		t.Errorf("max_tokens = %v, want 1234", body["max_tokens"])
	}
	system, _ := body["system"].([]any)
	if len(system) != 4 {
		t.Fatalf("system = %v, want 4 blocks", body["system"])
	}
	for i, b := range system {
		block := b.(map[string]any)
		if block["type"] != "text" || block["text"] != req.System[i].Text {
			t.Errorf("system[%d] = %v, want text block %q", i, block, req.System[i].Text)
		}
		cc, has := block["cache_control"].(map[string]any)
		if has != req.System[i].Cache {
			t.Errorf("system[%d] cache_control = %v, want present=%v", i, block["cache_control"], req.System[i].Cache)
		}
		if has && cc["type"] != "ephemeral" {
			t.Errorf("system[%d] cache_control type = %v, want ephemeral", i, cc["type"])
		}
	}
	msgs, _ := body["messages"].([]any)
	if len(msgs) != 2 || msgs[1].(map[string]any)["role"] != "assistant" {
		t.Errorf("messages = %v, want user then assistant", body["messages"])
	}
	if stops, _ := body["stop_sequences"].([]any); len(stops) != 1 || stops[0] != "THE END" {
		t.Errorf("stop_sequences = %v, want [THE END]", body["stop_sequences"])
	}
	h := f.header(0)
	if got := h.Get("anthropic-version"); got != "2023-06-01" {
		t.Errorf("anthropic-version = %q, want 2023-06-01", got)
	}
	// SDK v2 sends the API key as a bearer token.
	if got := h.Get("authorization"); got != "Bearer test-key" {
		t.Errorf("authorization = %q, want Bearer test-key", got)
	}
	if got := h.Get("x-stainless-retry-count"); got != "" && got != "0" {
		t.Errorf("x-stainless-retry-count = %q, want 0", got)
	}
}

func TestAnthropicCacheBreakpointsKeepLastFour(t *testing.T) {
	blocks := make([]Block, 6)
	for i := range blocks {
		blocks[i] = Block{Text: "b", Cache: true}
	}
	out := anthropicSystem(blocks)
	var marked []int
	for i, b := range out {
		if b.CacheControl.Type != "" {
			marked = append(marked, i)
		}
	}
	if got, want := marked, []int{2, 3, 4, 5}; len(got) != len(want) || got[0] != want[0] || got[3] != want[3] {
		t.Errorf("marked blocks = %v, want %v", got, want)
	}
}

func TestAnthropicBadRequests(t *testing.T) {
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) { anthropicSimpleStream(w, "ok") })
	tests := []struct {
		name string
		cfg  func(*AnthropicConfig)
		req  Request
	}{
		{"no model", func(c *AnthropicConfig) { c.Model = "" }, anthropicHello},
		{"no messages", nil, Request{}},
		{"bad role", nil, Request{Messages: []Message{{Role: "system", Text: "x"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestAnthropic(t, f, tt.cfg)
			res, err := p.Stream(context.Background(), tt.req, func(string) error { return nil })
			if err == nil || res != nil {
				t.Errorf("Stream = %v, %v; want nil result and an error", res, err)
			}
		})
	}
	if n := f.requests(); n != 0 {
		t.Errorf("requests = %d, want 0", n)
	}
}

func TestAnthropicRetryAfter429(t *testing.T) {
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, n int) {
		if n == 0 {
			w.fail(http.StatusTooManyRequests, "rate_limit_error", "slow down", map[string]string{"retry-after-ms": "300", "retry-after": "1"})
			return
		}
		anthropicSimpleStream(w, "after wait")
	})
	p := newTestAnthropic(t, f, nil)

	res, err := p.Stream(context.Background(), anthropicHello, func(string) error { return nil })
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if res.Text != "after wait" {
		t.Errorf("text = %q, want %q", res.Text, "after wait")
	}
	if n := f.requests(); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
	gap := f.arrival(1).Sub(f.arrival(0))
	if gap < 280*time.Millisecond || gap > 900*time.Millisecond {
		t.Errorf("wait between requests = %v, want about 300ms (retry-after-ms)", gap)
	}
}

func TestAnthropicRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"seconds", map[string]string{"retry-after": "2"}, 2 * time.Second},
		{"milliseconds win", map[string]string{"retry-after-ms": "1500", "retry-after": "2"}, 1500 * time.Millisecond},
		{"http date", map[string]string{"retry-after": now.Add(3 * time.Second).Format(http.TimeFormat)}, 3 * time.Second},
		{"garbage", map[string]string{"retry-after": "soon"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := retryAfter(h, now); got != tt.want {
				t.Errorf("retryAfter(%v) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestAnthropicOverloadedExhaustsRetries(t *testing.T) {
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) {
		w.fail(529, "overloaded_error", "Overloaded", nil)
	})
	p := newTestAnthropic(t, f, nil)

	res, err := p.Stream(context.Background(), anthropicHello, func(string) error { return nil })
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	want := APIError{Provider: "anthropic", Status: 529, Type: "overloaded_error", Message: "Overloaded", RequestID: "req_err"}
	if *apiErr != want {
		t.Errorf("APIError = %+v, want %+v", *apiErr, want)
	}
	if res != nil {
		t.Errorf("result = %+v, want nil", res)
	}
	if n := f.requests(); n != 3 {
		t.Errorf("requests = %d, want 3 (the policy's attempts)", n)
	}
}

func TestAnthropicBadRequestNotRetried(t *testing.T) {
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) {
		w.fail(http.StatusBadRequest, "invalid_request_error", "temperature is not supported", nil)
	})
	p := newTestAnthropic(t, f, nil)

	_, err := p.Stream(context.Background(), anthropicHello, func(string) error { return nil })
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Type != "invalid_request_error" || apiErr.Message != "temperature is not supported" {
		t.Fatalf("err = %v, want a 400 invalid_request_error *APIError", err)
	}
	if errors.Is(err, ErrIncomplete) {
		t.Errorf("err = %v, want no ErrIncomplete", err)
	}
	if n := f.requests(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestAnthropicErrorEventAfter200(t *testing.T) {
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) {
		w.begin("req_mid")
		w.messageStart("claude-test-5", 10, 0, 0)
		w.blockStart(0, "text")
		w.textDelta(0, "Hello")
		w.event("error", map[string]any{"error": map[string]any{"type": "overloaded_error", "message": "Overloaded"}})
	})
	p := newTestAnthropic(t, f, nil)

	res, err := p.Stream(context.Background(), anthropicHello, func(string) error { return nil })
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("err = %v, want ErrIncomplete", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Type != "overloaded_error" || apiErr.Status != 0 || apiErr.RequestID != "req_mid" {
		t.Errorf("err = %v (%+v), want an overloaded_error *APIError with Status 0 and request id req_mid", err, apiErr)
	}
	if res == nil || !res.Partial || res.Text != "Hello" || res.RequestID != "req_mid" {
		t.Errorf("result = %+v, want Partial with text Hello", res)
	}
	if n := f.requests(); n != 1 {
		t.Errorf("requests = %d, want 1 (text was already delivered)", n)
	}
}

func TestAnthropicStreamCut(t *testing.T) {
	tests := []struct {
		name string
		end  func(w *anthropicSSE)
	}{
		// The chunked body ends cleanly: the SDK reports no error and no stop reason.
		{"clean end without message_stop", func(w *anthropicSSE) { w.blockStop(0) }},
		// The connection drops mid-body.
		{"connection closed", func(*anthropicSSE) { panic(http.ErrAbortHandler) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) {
				w.begin("req_cut")
				w.messageStart("claude-test-5", 10, 0, 0)
				w.blockStart(0, "text")
				w.textDelta(0, "Half a sen")
				tt.end(w)
			})
			p := newTestAnthropic(t, f, nil)

			res, err := p.Stream(context.Background(), anthropicHello, func(string) error { return nil })
			if !errors.Is(err, ErrIncomplete) {
				t.Fatalf("err = %v, want ErrIncomplete", err)
			}
			t.Logf("err = %v", err)
			if res == nil || !res.Partial || res.Text != "Half a sen" || res.StopReason != "" {
				t.Errorf("result = %+v, want Partial with text %q and no stop reason", res, "Half a sen")
			}
		})
	}
}

func TestAnthropicIdleWatchdog(t *testing.T) {
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) {
		w.begin("req_idle")
		w.messageStart("claude-test-5", 10, 0, 0)
		w.blockStart(0, "text")
		w.textDelta(0, "Then")
		w.stall()
	})
	p := newTestAnthropic(t, f, func(c *AnthropicConfig) { c.IdleTimeout = 200 * time.Millisecond })

	start := time.Now()
	res, err := p.Stream(context.Background(), anthropicHello, func(string) error { return nil })
	elapsed := time.Since(start)
	if !errors.Is(err, ErrIncomplete) || !errors.Is(err, errAnthropicIdle) {
		t.Fatalf("err = %v, want ErrIncomplete from the idle anthropicWatchdog", err)
	}
	if elapsed > time.Second {
		t.Errorf("returned after %v, want within 1s", elapsed)
	}
	if res == nil || !res.Partial || res.Text != "Then" {
		t.Errorf("result = %+v, want Partial with text Then", res)
	}
}

func TestAnthropicOnDeltaErrorAborts(t *testing.T) {
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) {
		w.begin("req_abort")
		w.messageStart("claude-test-5", 10, 0, 0)
		w.blockStart(0, "text")
		w.textDelta(0, "one ")
		w.textDelta(0, "two ")
		w.stall()
	})
	p := newTestAnthropic(t, f, nil)

	errStop := errors.New("reader left")
	calls := 0
	start := time.Now()
	res, err := p.Stream(context.Background(), anthropicHello, func(string) error {
		calls++
		if calls == 2 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("err = %v, want %v", err, errStop)
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %v, want an immediate abort", time.Since(start))
	}
	if calls != 2 || res == nil || !res.Partial || res.Text != "one two " {
		t.Errorf("calls = %d, result = %+v; want 2 calls and a Partial result", calls, res)
	}
	if n := f.requests(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

func TestAnthropicContextCancel(t *testing.T) {
	f := newFakeAnthropic(t, func(w *anthropicSSE, _ *http.Request, _ int) {
		w.begin("req_cancel")
		w.messageStart("claude-test-5", 10, 0, 0)
		w.blockStart(0, "text")
		w.textDelta(0, "Begin")
		w.stall()
	})
	p := newTestAnthropic(t, f, nil)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	res, err := p.Stream(ctx, anthropicHello, func(string) error {
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %v, want a prompt return", time.Since(start))
	}
	if res == nil || !res.Partial || res.Text != "Begin" {
		t.Errorf("result = %+v, want Partial with text Begin", res)
	}
}
