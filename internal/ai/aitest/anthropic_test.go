package aitest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/authorworks/authorworks/internal/ai"
	"github.com/authorworks/authorworks/internal/ai/aitest"
)

// newAnthropic starts a fake and a provider pointed at it, with fast retries.
func newAnthropic(t *testing.T, opts aitest.AnthropicOptions, mutate func(*ai.AnthropicConfig)) (*aitest.Anthropic, *ai.AnthropicProvider) {
	t.Helper()
	fake := aitest.NewAnthropic(opts)
	t.Cleanup(fake.Close)
	cfg := ai.AnthropicConfig{
		APIKey:      "test-key",
		BaseURL:     fake.URL,
		Model:       "claude-test-5",
		IdleTimeout: 2 * time.Second,
		Retry:       ai.RetryPolicy{Attempts: 3, Base: time.Millisecond, Max: 2 * time.Second},
	}
	if mutate != nil {
		mutate(&cfg)
	}
	return fake, ai.NewAnthropic(cfg)
}

// prompt is a user turn whose scripted reply contains multi-byte characters.
const prompt = "Write the harbour scene."

func userRequest(text string, maxTokens int) ai.Request {
	return ai.Request{Messages: []ai.Message{{Role: "user", Text: text}}, MaxTokens: maxTokens}
}

// collect returns an onDelta that appends to deltas, safe for one stream.
func collect(deltas *[]string) func(string) error {
	return func(s string) error {
		*deltas = append(*deltas, s)
		return nil
	}
}

func TestAnthropicTextIntactWithChunkSplitting(t *testing.T) {
	want := aitest.ScriptedReply(prompt)
	if utf8.RuneCountInString(want) == len(want) {
		t.Fatalf("the scripted reply to %q has no multi-byte character; pick another prompt", prompt)
	}
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			fake, p := newAnthropic(t, aitest.AnthropicOptions{ChunkSplit: true, Seed: seed}, nil)
			var deltas []string
			res, err := p.Stream(context.Background(), userRequest(prompt, 4000), collect(&deltas))
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if res.Text != want || strings.Join(deltas, "") != want {
				t.Errorf("text = %q\nwant %q", res.Text, want)
			}
			wantUsage := ai.Usage{InputTokens: aitest.Tokens(prompt), OutputTokens: aitest.Tokens(want)}
			if res.Usage != wantUsage || res.StopReason != "end_turn" || res.Partial {
				t.Errorf("usage = %+v, stop = %q, partial = %v; want %+v, end_turn, complete", res.Usage, res.StopReason, res.Partial, wantUsage)
			}
			if res.RequestID != "req_fake_000000" || res.Model != "claude-test-5" {
				t.Errorf("request id = %q, model = %q; want req_fake_000000, claude-test-5", res.RequestID, res.Model)
			}
			st := fake.Stats()
			if st.Requests != 1 || st.Streams != 1 || st.InputTokens != wantUsage.InputTokens || st.OutputTokens != wantUsage.OutputTokens {
				t.Errorf("stats = %+v, want one stream with the usage above", st)
			}
		})
	}
}

func TestAnthropicThinkingAndUnknownEventsAreSkipped(t *testing.T) {
	fake, p := newAnthropic(t, aitest.AnthropicOptions{Thinking: true, UnknownEvent: true}, nil)
	res, err := p.Stream(context.Background(), userRequest(prompt, 4000), func(string) error { return nil })
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	want := aitest.ScriptedReply(prompt)
	if res.Text != want {
		t.Errorf("text = %q, want the reply without the thinking", res.Text)
	}
	// Thinking is billed as output.
	if res.Usage.OutputTokens <= aitest.Tokens(want) || res.Usage.OutputTokens != fake.Stats().OutputTokens {
		t.Errorf("output tokens = %d, want more than the text's %d and equal to Stats %d",
			res.Usage.OutputTokens, aitest.Tokens(want), fake.Stats().OutputTokens)
	}
}

func TestAnthropicMaxTokensAndStopSequences(t *testing.T) {
	full := aitest.ScriptedReply(prompt)
	word := strings.Fields(full)[5]
	tests := []struct {
		name     string
		req      ai.Request
		wantStop string
		wantText string
	}{
		{"max_tokens", userRequest(prompt, 12), "max_tokens", ""},
		{"stop sequence", ai.Request{Messages: userRequest(prompt, 4000).Messages, MaxTokens: 4000, StopSequences: []string{word}},
			"stop_sequence", full[:strings.Index(full, word)]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, p := newAnthropic(t, aitest.AnthropicOptions{}, nil)
			res, err := p.Stream(context.Background(), tt.req, func(string) error { return nil })
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if res.StopReason != tt.wantStop || !strings.HasPrefix(full, res.Text) || res.Text == "" {
				t.Errorf("stop = %q, text = %q; want %s and a prefix of the reply", res.StopReason, res.Text, tt.wantStop)
			}
			if tt.wantText != "" && res.Text != tt.wantText {
				t.Errorf("text = %q, want %q", res.Text, tt.wantText)
			}
			if res.Usage.OutputTokens != aitest.Tokens(res.Text) || res.Usage.OutputTokens > tt.req.MaxTokens {
				t.Errorf("output tokens = %d, want Tokens(text) = %d within max_tokens %d", res.Usage.OutputTokens, aitest.Tokens(res.Text), tt.req.MaxTokens)
			}
		})
	}
}

func TestAnthropicReplyOverride(t *testing.T) {
	_, p := newAnthropic(t, aitest.AnthropicOptions{
		Reply: func(req aitest.ParsedRequest) string { return "Echo: " + req.LastUserText() },
	}, nil)
	res, err := p.Stream(context.Background(), userRequest("hello there", 100), func(string) error { return nil })
	if err != nil || res.Text != "Echo: hello there" {
		t.Fatalf("Stream = %+v, %v; want text %q", res, err, "Echo: hello there")
	}
}

// sseFrame is one parsed server-sent event.
type sseFrame struct {
	event string
	data  map[string]any
}

// postRaw sends body to path and returns the response; the caller closes it.
func postRaw(t *testing.T, url, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	return res
}

// readFrames parses an SSE body strictly: each event needs an event line and a
// data line, and the JSON type must equal the event name.
func readFrames(t *testing.T, res *http.Response) []sseFrame {
	t.Helper()
	var frames []sseFrame
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 1<<20)
	var cur sseFrame
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &cur.data); err != nil {
				t.Fatalf("data line %q: %v", line, err)
			}
		case line == "":
			if cur.event == "" || cur.data == nil || cur.data["type"] != cur.event {
				t.Fatalf("malformed frame %+v", cur)
			}
			frames = append(frames, cur)
			cur = sseFrame{}
		default:
			t.Fatalf("unexpected line %q", line)
		}
	}
	if cur.event != "" {
		t.Fatalf("unterminated frame %+v", cur)
	}
	return frames
}

func TestAnthropicWireFormat(t *testing.T) {
	fake := aitest.NewAnthropic(aitest.AnthropicOptions{MinCacheTokens: -1, Thinking: true, UnknownEvent: true})
	defer fake.Close()
	body := `{"model":"claude-test-5","max_tokens":4000,"stream":true,
		"system":[{"type":"text","text":"You write fiction.","cache_control":{"type":"ephemeral"}}],
		"messages":[{"role":"user","content":"` + prompt + `"}]}`
	res := postRaw(t, fake.URL+"/v1/messages", body)
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("request-id") != "req_fake_000000" ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") ||
		res.Header.Get("anthropic-ratelimit-requests-remaining") == "" {
		t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
	}
	frames := readFrames(t, res)
	var names []string
	for _, f := range frames {
		if len(names) == 0 || names[len(names)-1] != f.event {
			names = append(names, f.event)
		}
	}
	wantNames := []string{"message_start", "ping", "aitest_unknown_event",
		"content_block_start", "content_block_delta", "content_block_stop",
		"content_block_start", "content_block_delta", "content_block_stop",
		"message_delta", "message_stop"}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("events = %v\nwant %v", names, wantNames)
	}
	start := frames[0].data["message"].(map[string]any)["usage"].(map[string]any)
	system := float64(aitest.Tokens("You write fiction."))
	if start["output_tokens"] != 1.0 || start["cache_creation_input_tokens"] != system ||
		start["cache_read_input_tokens"] != 0.0 || start["input_tokens"] != float64(aitest.Tokens(prompt)) {
		t.Errorf("message_start usage = %v", start)
	}
	var text strings.Builder
	output := 0
	for _, f := range frames {
		if f.event != "content_block_delta" {
			continue
		}
		d := f.data["delta"].(map[string]any)
		switch d["type"] {
		case "text_delta":
			text.WriteString(d["text"].(string))
			output += aitest.Tokens(d["text"].(string))
		case "thinking_delta":
			output += aitest.Tokens(d["thinking"].(string))
		}
	}
	final := frames[len(frames)-2].data
	usage := final["usage"].(map[string]any)
	if final["delta"].(map[string]any)["stop_reason"] != "end_turn" || usage["output_tokens"] != float64(output) ||
		usage["cache_creation_input_tokens"] != system || usage["input_tokens"] != start["input_tokens"] {
		t.Errorf("message_delta = %v, want end_turn and cumulative usage with %d output tokens", final, output)
	}
	if text.String() != aitest.ScriptedReply(prompt) {
		t.Errorf("text = %q", text.String())
	}
}

func TestAnthropicRecordsRequests(t *testing.T) {
	fake, p := newAnthropic(t, aitest.AnthropicOptions{}, func(c *ai.AnthropicConfig) { c.Version = "2026-10-21" })
	req := ai.Request{
		System:        []ai.Block{{Text: "bible", Cache: true}, {Text: "beats"}},
		Messages:      []ai.Message{{Role: "user", Text: "Write."}, {Role: "assistant", Text: "Once"}},
		MaxTokens:     321,
		StopSequences: []string{"THE END"},
	}
	if _, err := p.Stream(context.Background(), req, func(string) error { return nil }); err != nil {
		t.Fatalf("Stream: %v", err)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("requests = %d, want 1", len(reqs))
	}
	got := reqs[0]
	if got.N != 0 || got.Status != 200 || got.Model != "claude-test-5" || got.MaxTokens != 321 || !got.Stream ||
		!slices.Equal(got.StopSequences, []string{"THE END"}) || got.Header.Get("anthropic-version") != "2026-10-21" {
		t.Errorf("request = %+v", got)
	}
	wantSystem := []aitest.Block{{Type: "text", Text: "bible", Cache: true, TTL: 5 * time.Minute}, {Type: "text", Text: "beats"}}
	if !slices.Equal(got.System, wantSystem) {
		t.Errorf("system = %+v, want %+v", got.System, wantSystem)
	}
	if len(got.Messages) != 2 || got.Messages[1].Role != "assistant" || got.Messages[1].Text() != "Once" || got.LastUserText() != "Write." {
		t.Errorf("messages = %+v", got.Messages)
	}
	for _, k := range []string{"temperature", "top_p", "top_k"} {
		if slices.Contains(got.Fields, k) {
			t.Errorf("the provider sent %q", k)
		}
	}
	if got.CacheMarkers() != 1 {
		t.Errorf("cache markers = %d, want 1", got.CacheMarkers())
	}
}

func TestAnthropicValidation(t *testing.T) {
	fake := aitest.NewAnthropic(aitest.AnthropicOptions{MaxOutputTokens: 1000})
	defer fake.Close()
	marker := `"cache_control":{"type":"ephemeral"}`
	block := `{"type":"text","text":"x",` + marker + `}`
	tests := []struct {
		name, body, wantMsg string
	}{
		{"temperature", `{"model":"m","max_tokens":10,"stream":true,"temperature":0.7,"messages":[{"role":"user","content":"hi"}]}`, "temperature"},
		{"top_p", `{"model":"m","max_tokens":10,"stream":true,"top_p":0.9,"messages":[{"role":"user","content":"hi"}]}`, "top_p"},
		{"top_k", `{"model":"m","max_tokens":10,"stream":true,"top_k":5,"messages":[{"role":"user","content":"hi"}]}`, "top_k"},
		{"no max_tokens", `{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}`, "max_tokens"},
		{"zero max_tokens", `{"model":"m","max_tokens":0,"stream":true,"messages":[{"role":"user","content":"hi"}]}`, "max_tokens"},
		{"max_tokens too large", `{"model":"m","max_tokens":1001,"stream":true,"messages":[{"role":"user","content":"hi"}]}`, "max_tokens"},
		{"five breakpoints", `{"model":"m","max_tokens":10,"stream":true,"system":[` + strings.Repeat(block+",", 4) + block + `],"messages":[{"role":"user","content":"hi"}]}`, "A maximum of 4 blocks with cache_control"},
		{"four plus automatic", `{"model":"m","max_tokens":10,"stream":true,` + marker + `,"system":[` + strings.Repeat(block+",", 3) + block + `],"messages":[{"role":"user","content":"hi"}]}`, "Found 5"},
		{"bad ttl", `{"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral","ttl":"2h"}}]}]}`, "ttl"},
		{"no messages", `{"model":"m","max_tokens":10,"stream":true,"messages":[]}`, "messages"},
		{"bad role", `{"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"system","content":"hi"}]}`, "role"},
		{"not streaming", `{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`, "stream"},
		{"not JSON", `{"model":`, "parsing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := postRaw(t, fake.URL+"/v1/messages", tt.body)
			defer res.Body.Close()
			var body struct {
				Type  string `json:"type"`
				Error struct {
					Type    string `json:"type"`
					Message string `json:"message"`
				} `json:"error"`
				RequestID string `json:"request_id"`
			}
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != 400 || body.Type != "error" || body.Error.Type != "invalid_request_error" ||
				!strings.Contains(body.Error.Message, tt.wantMsg) || body.RequestID == "" {
				t.Errorf("answer %d %+v, want 400 invalid_request_error mentioning %q", res.StatusCode, body, tt.wantMsg)
			}
		})
	}
	if st := fake.Stats(); st.Requests != len(tests) || st.Streams != 0 {
		t.Errorf("stats = %+v, want %d requests and no streams", st, len(tests))
	}
}

func TestAnthropicProviderGets400(t *testing.T) {
	_, p := newAnthropic(t, aitest.AnthropicOptions{MaxOutputTokens: 1000}, nil)
	_, err := p.Stream(context.Background(), userRequest("hi", 5000), func(string) error { return nil })
	var apiErr *ai.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Type != "invalid_request_error" {
		t.Fatalf("err = %v, want a 400 invalid_request_error", err)
	}
}

func TestAnthropicCountTokens(t *testing.T) {
	fake := aitest.NewAnthropic(aitest.AnthropicOptions{})
	defer fake.Close()
	body := `{"model":"m","system":"You write fiction.","messages":[{"role":"user","content":[{"type":"text","text":"It was a dark night."}]}]}`
	res := postRaw(t, fake.URL+"/v1/messages/count_tokens", body)
	defer res.Body.Close()
	var got struct {
		InputTokens int `json:"input_tokens"`
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != 200 {
		t.Fatalf("status %d, decode: %v", res.StatusCode, err)
	}
	if want := aitest.Tokens("You write fiction.") + aitest.Tokens("It was a dark night."); got.InputTokens != want {
		t.Errorf("input_tokens = %d, want %d", got.InputTokens, want)
	}
	if st := fake.Stats(); st.CountTokensRequests != 1 || st.Requests != 0 {
		t.Errorf("stats = %+v, want one count_tokens call and no generation", st)
	}
}

func TestAnthropicConcurrentStreams(t *testing.T) {
	fake, p := newAnthropic(t, aitest.AnthropicOptions{ChunkSplit: true, MinCacheTokens: -1}, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Go(func() {
			req := ai.Request{
				System:    []ai.Block{{Text: "Shared bible.", Cache: true}},
				Messages:  []ai.Message{{Role: "user", Text: "Scene " + string(rune('A'+i))}},
				MaxTokens: 4000,
			}
			res, err := p.Stream(context.Background(), req, func(string) error { return nil })
			if err == nil && res.Text != aitest.ScriptedReply(req.Messages[0].Text) {
				err = errors.New("wrong text for " + req.Messages[0].Text)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	st := fake.Stats()
	if st.Streams != 8 || st.CacheReadTokens+st.CacheWriteTokens != 8*aitest.Tokens("Shared bible.") {
		t.Errorf("stats = %+v, want 8 streams each reading or writing the bible", st)
	}
}

func TestAnthropicCloseEndsStalledStreams(t *testing.T) {
	fake := aitest.NewAnthropic(aitest.AnthropicOptions{Script: aitest.Sequence(aitest.Fault{Kind: aitest.FaultStall})})
	body := `{"model":"m","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}`
	res := postRaw(t, fake.URL+"/v1/messages", body)
	defer res.Body.Close()
	// The stream has started; read the first bytes so we know the handler is stalled.
	if _, err := bufio.NewReader(res.Body).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	fake.Close()
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v with a stalled stream, want it prompt", d)
	}
}

func TestAnthropic413(t *testing.T) {
	fake, p := newAnthropic(t, aitest.AnthropicOptions{MaxBodyBytes: 2000}, nil)
	req := ai.Request{System: []ai.Block{{Text: strings.Repeat("lore ", 1000)}}, Messages: userRequest("hi", 100).Messages, MaxTokens: 100}
	_, err := p.Stream(context.Background(), req, func(string) error { return nil })
	var apiErr *ai.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 413 || apiErr.Type != "request_too_large" {
		t.Fatalf("err = %v, want 413 request_too_large", err)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Status != 413 || reqs[0].BodyBytes <= 2000 || reqs[0].Model != "" {
		t.Errorf("requests = %+v, want one unparsed 413 request over 2000 bytes", reqs)
	}
}
