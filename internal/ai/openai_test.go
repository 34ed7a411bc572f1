package ai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeOpenAI serves handler as /chat/completions and returns a provider pointed at
// it, with fast retries.
func fakeOpenAI(t *testing.T, cfg OpenAIConfig, handler http.HandlerFunc) *OpenAIProvider {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", handler)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL + "/v1/"
	if cfg.Model == "" {
		cfg.Model = "llama3"
	}
	if cfg.Retry.Attempts == 0 {
		cfg.Retry = RetryPolicy{Attempts: 3, Base: time.Millisecond, Max: 20 * time.Millisecond}
	}
	p, err := NewOpenAI(cfg)
	if err != nil {
		t.Fatalf("NewOpenAI: %v", err)
	}
	return p
}

// sse writes one server-sent event the way OpenAI frames it.
func openaiSSE(w http.ResponseWriter, data string) {
	fmt.Fprintf(w, "data: %s\n\n", data)
	w.(http.Flusher).Flush()
}

func openaiHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Request-Id", "req-123")
	w.WriteHeader(http.StatusOK)
}

func openaiDelta(text string) string {
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-1", "model": "llama3:8b",
		"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": text}, "finish_reason": nil}},
	})
	return string(b)
}

const (
	openaiFinish = `{"id":"chatcmpl-1","model":"llama3:8b","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`
	openaiUsage  = `{"id":"chatcmpl-1","model":"llama3:8b","choices":[],"usage":{"prompt_tokens":42,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":30}}}`
)

var openaiRequestFixture = Request{
	System:    []Block{{Text: "You write fiction.", Cache: true}, {Text: "Character: Mara"}},
	Messages:  []Message{{Role: "user", Text: "Begin."}},
	MaxTokens: 100,
}

func openaiCollect(deltas *[]string) func(string) error {
	return func(s string) error {
		*deltas = append(*deltas, s)
		return nil
	}
}

func TestOpenAIStream(t *testing.T) {
	p := fakeOpenAI(t, OpenAIConfig{}, func(w http.ResponseWriter, r *http.Request) {
		openaiHeaders(w)
		w.Write([]byte(": keep-alive comment\n\n"))
		openaiSSE(w, `{"id":"chatcmpl-1","model":"llama3:8b","choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}`)
		openaiSSE(w, openaiDelta("Hello"))
		openaiSSE(w, openaiDelta(", world"))
		openaiSSE(w, openaiFinish)
		openaiSSE(w, openaiUsage)
		openaiSSE(w, "[DONE]")
	})
	var deltas []string
	res, err := p.Stream(context.Background(), openaiRequestFixture, openaiCollect(&deltas))
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	want := Result{
		Text: "Hello, world", StopReason: "end_turn", Provider: "openai", Model: "llama3:8b", RequestID: "req-123",
		Usage: Usage{InputTokens: 42, OutputTokens: 7, CacheReadTokens: 30},
	}
	res.Latency = 0
	if *res != want {
		t.Errorf("result:\n got %+v\nwant %+v", *res, want)
	}
	if got := strings.Join(deltas, "|"); got != "Hello|, world" {
		t.Errorf("deltas = %q, want %q", got, "Hello|, world")
	}
}

func TestOpenAIFinishWithoutDone(t *testing.T) {
	p := fakeOpenAI(t, OpenAIConfig{}, func(w http.ResponseWriter, r *http.Request) {
		openaiHeaders(w)
		openaiSSE(w, openaiDelta("Short."))
		openaiSSE(w, `{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}`)
	})
	res, err := p.Stream(context.Background(), openaiRequestFixture, func(string) error { return nil })
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if res.Partial || res.StopReason != "max_tokens" || res.Text != "Short." {
		t.Errorf("got %+v, want complete %q with stop max_tokens", *res, "Short.")
	}
}

func TestOpenAIUTF8SplitAcrossWrites(t *testing.T) {
	const text = "Café — 東京"
	line := []byte("data: " + openaiDelta(text) + "\n\n")
	p := fakeOpenAI(t, OpenAIConfig{}, func(w http.ResponseWriter, r *http.Request) {
		openaiHeaders(w)
		// Cut inside each multi-byte character so no write ends on a rune boundary.
		rest := line
		for _, r := range []string{"é", "—", "東"} {
			i := strings.Index(string(rest), r) + 1
			w.Write(rest[:i])
			w.(http.Flusher).Flush()
			time.Sleep(5 * time.Millisecond)
			rest = rest[i:]
		}
		w.Write(rest)
		openaiSSE(w, openaiFinish)
		openaiSSE(w, "[DONE]")
	})
	var deltas []string
	res, err := p.Stream(context.Background(), openaiRequestFixture, openaiCollect(&deltas))
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if res.Text != text || len(deltas) != 1 || deltas[0] != text {
		t.Errorf("text = %q, deltas = %q; want %q in one delta", res.Text, deltas, text)
	}
}

func TestOpenAIRetries(t *testing.T) {
	tests := []struct {
		name       string
		statuses   []int // answers before a successful stream; the last repeats
		header     string
		body       string
		wantCalls  int32
		wantStatus int // 0: success
		wantType   string
		wantMsg    string
	}{
		{name: "429 with Retry-After then success", statuses: []int{429}, header: "1", body: `{"error":{"message":"slow down","type":"rate_limit"}}`, wantCalls: 2},
		{name: "500 retried then APIError", statuses: []int{500, 500, 500, 500}, body: `{"error":{"message":"boom","type":"server_error"}}`, wantCalls: 3, wantStatus: 500, wantType: "server_error", wantMsg: "boom"},
		{name: "400 not retried", statuses: []int{400, 400}, body: `{"error":{"message":"bad model","type":"invalid_request_error","code":null}}`, wantCalls: 1, wantStatus: 400, wantType: "invalid_request_error", wantMsg: "bad model"},
		{name: "Ollama string error", statuses: []int{404, 404}, body: `{"error":"model \"x\" not found"}`, wantCalls: 1, wantStatus: 404, wantMsg: `model "x" not found`},
		{name: "plain text body", statuses: []int{400, 400}, body: "nope", wantCalls: 1, wantStatus: 400, wantMsg: "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			p := fakeOpenAI(t, OpenAIConfig{}, func(w http.ResponseWriter, r *http.Request) {
				n := int(calls.Add(1))
				if n <= len(tt.statuses) {
					if tt.header != "" {
						w.Header().Set("Retry-After", tt.header)
					}
					w.Header().Set("X-Request-Id", "req-err")
					w.WriteHeader(tt.statuses[n-1])
					_, _ = io.WriteString(w, tt.body)
					return
				}
				openaiHeaders(w)
				openaiSSE(w, openaiDelta("ok"))
				openaiSSE(w, openaiFinish)
				openaiSSE(w, "[DONE]")
			})
			start := time.Now()
			res, err := p.Stream(context.Background(), openaiRequestFixture, func(string) error { return nil })
			if calls.Load() != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls.Load(), tt.wantCalls)
			}
			if time.Since(start) > 2*time.Second {
				t.Errorf("took %v; Retry.Max should cap the wait", time.Since(start))
			}
			if tt.wantStatus == 0 {
				if err != nil || res.Text != "ok" {
					t.Fatalf("got %+v, %v; want text %q", res, err, "ok")
				}
				return
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			want := APIError{Provider: "openai", Status: tt.wantStatus, Type: tt.wantType, Message: tt.wantMsg, RequestID: "req-err"}
			if *apiErr != want {
				t.Errorf("APIError:\n got %+v\nwant %+v", *apiErr, want)
			}
			if res != nil {
				t.Errorf("result = %+v, want nil", res)
			}
		})
	}
}

func TestOpenAIIncomplete(t *testing.T) {
	tests := []struct {
		name    string
		end     func(w http.ResponseWriter)
		wantAPI string // message of the error event, if any
	}{
		{name: "error chunk after 200", end: func(w http.ResponseWriter) {
			openaiSSE(w, `{"error":{"message":"overloaded","type":"server_error"}}`)
		}, wantAPI: "overloaded"},
		{name: "connection cut", end: func(http.ResponseWriter) { panic(http.ErrAbortHandler) }},
		{name: "clean end without DONE or finish_reason", end: func(http.ResponseWriter) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			p := fakeOpenAI(t, OpenAIConfig{}, func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				openaiHeaders(w)
				openaiSSE(w, openaiDelta("Once upon"))
				tt.end(w)
			})
			var deltas []string
			res, err := p.Stream(context.Background(), openaiRequestFixture, openaiCollect(&deltas))
			if !errors.Is(err, ErrIncomplete) {
				t.Fatalf("err = %v, want ErrIncomplete", err)
			}
			if res == nil || !res.Partial || res.Text != "Once upon" || res.Provider != "openai" {
				t.Fatalf("result = %+v, want partial %q", res, "Once upon")
			}
			if calls.Load() != 1 {
				t.Errorf("calls = %d, want 1 (text was already delivered)", calls.Load())
			}
			var apiErr *APIError
			if got := errors.As(err, &apiErr); got != (tt.wantAPI != "") {
				t.Fatalf("errors.As(APIError) = %v for %v", got, err)
			}
			if apiErr != nil && (apiErr.Message != tt.wantAPI || apiErr.Type != "server_error") {
				t.Errorf("APIError = %+v, want message %q", *apiErr, tt.wantAPI)
			}
		})
	}
}

func TestOpenAIIdleWatchdog(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	p := fakeOpenAI(t, OpenAIConfig{IdleTimeout: 200 * time.Millisecond}, func(w http.ResponseWriter, r *http.Request) {
		openaiHeaders(w)
		openaiSSE(w, openaiDelta("Then"))
		time.Sleep(100 * time.Millisecond) // under the timeout: must not fire
		openaiSSE(w, openaiDelta(" nothing"))
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	start := time.Now()
	res, err := p.Stream(context.Background(), openaiRequestFixture, func(string) error { return nil })
	elapsed := time.Since(start)
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("err = %v, want ErrIncomplete", err)
	}
	if res == nil || !res.Partial || res.Text != "Then nothing" {
		t.Fatalf("result = %+v, want partial %q", res, "Then nothing")
	}
	if elapsed > 2*time.Second {
		t.Errorf("took %v, want about 300ms", elapsed)
	}
}

func TestOpenAIIdleBeforeHeaders(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	p := fakeOpenAI(t, OpenAIConfig{IdleTimeout: 100 * time.Millisecond}, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	_, err := p.Stream(context.Background(), openaiRequestFixture, func(string) error { return nil })
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("err = %v, want ErrIncomplete", err)
	}
}

func TestOpenAIDeltaErrorAborts(t *testing.T) {
	stop := errors.New("client went away")
	p := fakeOpenAI(t, OpenAIConfig{}, func(w http.ResponseWriter, r *http.Request) {
		openaiHeaders(w)
		openaiSSE(w, openaiDelta("one"))
		openaiSSE(w, openaiDelta("two"))
		openaiSSE(w, openaiFinish)
		openaiSSE(w, "[DONE]")
	})
	res, err := p.Stream(context.Background(), openaiRequestFixture, func(string) error { return stop })
	if !errors.Is(err, stop) {
		t.Fatalf("err = %v, want %v", err, stop)
	}
	if res == nil || !res.Partial || res.Text != "one" {
		t.Errorf("result = %+v, want partial %q", res, "one")
	}
}

func TestOpenAIRequestBody(t *testing.T) {
	temp := 0.8
	tests := []struct {
		name     string
		cfg      OpenAIConfig
		req      Request
		wantAuth string
		wantTemp any
		wantMax  any
		wantMdl  string
	}{
		{name: "defaults", cfg: OpenAIConfig{MaxTokens: 512}, req: Request{
			System: openaiRequestFixture.System, Messages: openaiRequestFixture.Messages,
		}, wantMax: 512.0, wantMdl: "llama3"},
		{name: "key and temperature", cfg: OpenAIConfig{APIKey: "sk-test", Temperature: &temp}, req: Request{
			System: openaiRequestFixture.System, Messages: openaiRequestFixture.Messages, MaxTokens: 64, Model: "qwen2.5",
		}, wantAuth: "Bearer sk-test", wantTemp: 0.8, wantMax: 64.0, wantMdl: "qwen2.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body map[string]any
			var auth string
			var hasAuth bool
			p := fakeOpenAI(t, tt.cfg, func(w http.ResponseWriter, r *http.Request) {
				_, hasAuth = r.Header["Authorization"]
				auth = r.Header.Get("Authorization")
				if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
					t.Errorf("decode body: %v", err)
				}
				openaiHeaders(w)
				openaiSSE(w, openaiFinish)
				openaiSSE(w, "[DONE]")
			})
			if _, err := p.Stream(context.Background(), tt.req, func(string) error { return nil }); err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if auth != tt.wantAuth || hasAuth != (tt.wantAuth != "") {
				t.Errorf("Authorization = %q (present %v), want %q", auth, hasAuth, tt.wantAuth)
			}
			if body["model"] != tt.wantMdl || body["stream"] != true || body["max_tokens"] != tt.wantMax {
				t.Errorf("model/stream/max_tokens = %v/%v/%v, want %v/true/%v", body["model"], body["stream"], body["max_tokens"], tt.wantMdl, tt.wantMax)
			}
			if temp, ok := body["temperature"]; ok != (tt.wantTemp != nil) || temp != tt.wantTemp {
				t.Errorf("temperature = %v (present %v), want %v", temp, ok, tt.wantTemp)
			}
			if got := fmt.Sprint(body["stream_options"]); got != "map[include_usage:true]" {
				t.Errorf("stream_options = %s, want map[include_usage:true]", got)
			}
			msgs, _ := json.Marshal(body["messages"])
			wantMsgs := `[{"content":"You write fiction.\n\nCharacter: Mara","role":"system"},{"content":"Begin.","role":"user"}]`
			if string(msgs) != wantMsgs {
				t.Errorf("messages:\n got %s\nwant %s", msgs, wantMsgs)
			}
		})
	}
}

func TestNewOpenAIRequiresBaseURL(t *testing.T) {
	if _, err := NewOpenAI(OpenAIConfig{Model: "x"}); err == nil {
		t.Error("NewOpenAI without BaseURL: got nil error, want one")
	}
}

func TestOpenAIRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{"0.5", 500 * time.Millisecond},
		{"junk", 0},
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.in != "" {
			h.Set("Retry-After", tt.in)
		}
		if got := retryAfter(h, now); got != tt.want {
			t.Errorf("retryAfter(Retry-After: %q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
