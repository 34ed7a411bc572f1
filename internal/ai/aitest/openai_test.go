package aitest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authorworks/authorworks/internal/ai"
	"github.com/authorworks/authorworks/internal/ai/aitest"
)

func newOpenAI(t *testing.T, opts aitest.OpenAIOptions, idle time.Duration) (*aitest.OpenAI, *ai.OpenAIProvider) {
	t.Helper()
	fake := aitest.NewOpenAI(opts)
	t.Cleanup(fake.Close)
	if idle == 0 {
		idle = 2 * time.Second
	}
	p, err := ai.NewOpenAI(ai.OpenAIConfig{
		BaseURL:     fake.BaseURL,
		Model:       "llama-test",
		IdleTimeout: idle,
		Retry:       ai.RetryPolicy{Attempts: 3, Base: time.Millisecond, Max: 2 * time.Second},
	})
	if err != nil {
		t.Fatalf("NewOpenAI: %v", err)
	}
	return fake, p
}

var openaiScene = ai.Request{
	System:    []ai.Block{{Text: "You write fiction.", Cache: true}, {Text: "Character: Mara"}},
	Messages:  []ai.Message{{Role: "user", Text: prompt}},
	MaxTokens: 4000,
}

func TestOpenAITextAndUsage(t *testing.T) {
	fake, p := newOpenAI(t, aitest.OpenAIOptions{ChunkSplit: true, Seed: 9}, 0)
	var deltas []string
	res, err := p.Stream(context.Background(), openaiScene, collect(&deltas))
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	want := aitest.ScriptedReply(prompt)
	if res.Text != want || strings.Join(deltas, "") != want || res.StopReason != "end_turn" {
		t.Errorf("text = %q, stop = %q; want %q, end_turn", res.Text, res.StopReason, want)
	}
	// internal/ai joins the system blocks into one message with a blank line.
	wantInput := aitest.Tokens("You write fiction.\n\nCharacter: Mara") + aitest.Tokens(prompt)
	if wantUsage := (ai.Usage{InputTokens: wantInput, OutputTokens: aitest.Tokens(want)}); res.Usage != wantUsage {
		t.Errorf("usage = %+v, want %+v", res.Usage, wantUsage)
	}
	if res.RequestID != "req_fake_000000" || res.Model != "llama-test" {
		t.Errorf("request id %q, model %q", res.RequestID, res.Model)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("requests = %d, want 1", len(reqs))
	}
	got := reqs[0]
	if got.Status != 200 || !got.Stream || !got.IncludeUsage || got.MaxTokens != 4000 || got.Model != "llama-test" ||
		len(got.System) != 1 || got.System[0].Text != "You write fiction.\n\nCharacter: Mara" || got.LastUserText() != prompt {
		t.Errorf("request = %+v", got)
	}
	if st := fake.Stats(); st.Streams != 1 || st.InputTokens != wantInput || st.OutputTokens != aitest.Tokens(want) || st.CacheReadTokens != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestOpenAIMaxTokensGivesLength(t *testing.T) {
	_, p := newOpenAI(t, aitest.OpenAIOptions{}, 0)
	req := openaiScene
	req.MaxTokens = 10
	res, err := p.Stream(context.Background(), req, func(string) error { return nil })
	if err != nil || res.StopReason != "max_tokens" || res.Usage.OutputTokens > 10 || !strings.HasPrefix(aitest.ScriptedReply(prompt), res.Text) {
		t.Fatalf("Stream = %+v, %v; want a prefix cut at 10 tokens with finish_reason length", res, err)
	}
}

func TestOpenAIWireFormat(t *testing.T) {
	fake := aitest.NewOpenAI(aitest.OpenAIOptions{})
	defer fake.Close()
	tests := []struct {
		name      string
		body      string
		wantUsage bool
	}{
		{"without include_usage", `{"model":"m","stream":true,"temperature":0.5,"messages":[{"role":"user","content":"hi"}]}`, false},
		{"with include_usage", `{"model":"m","stream":true,"stream_options":{"include_usage":true},"max_completion_tokens":50,
			"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"hi"}]}]}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := postRaw(t, fake.URL+"/v1/chat/completions", tt.body)
			defer res.Body.Close()
			if res.StatusCode != 200 || res.Header.Get("X-Request-Id") == "" {
				t.Fatalf("status %d, headers %v", res.StatusCode, res.Header)
			}
			var lines []string
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				if line := sc.Text(); line != "" {
					lines = append(lines, line)
				}
			}
			if len(lines) < 3 || lines[len(lines)-1] != "data: [DONE]" {
				t.Fatalf("lines = %q, want chunks ending in data: [DONE]", lines)
			}
			var text strings.Builder
			finishes, usages := 0, 0
			for _, line := range lines[:len(lines)-1] {
				data, ok := strings.CutPrefix(line, "data: ")
				if !ok {
					t.Fatalf("line %q is not a data line", line)
				}
				var chunk map[string]any
				if err := json.Unmarshal([]byte(data), &chunk); err != nil {
					t.Fatalf("chunk %q: %v", data, err)
				}
				u, hasUsage := chunk["usage"]
				if hasUsage != tt.wantUsage {
					t.Errorf("chunk %s: usage present = %v, want %v", data, hasUsage, tt.wantUsage)
				}
				if u != nil {
					usages++
					if um := u.(map[string]any); um["prompt_tokens"] != float64(aitest.Tokens("Be brief.")+aitest.Tokens("hi")) {
						t.Errorf("usage = %v", um)
					}
				}
				if chunk["object"] != "chat.completion.chunk" {
					t.Errorf("object = %v", chunk["object"])
				}
				for _, c := range chunk["choices"].([]any) {
					c := c.(map[string]any)
					if s, _ := c["delta"].(map[string]any)["content"].(string); s != "" {
						text.WriteString(s)
					}
					if c["finish_reason"] != nil {
						finishes++
					}
				}
			}
			if finishes != 1 || (usages == 1) != tt.wantUsage {
				t.Errorf("finish chunks = %d, usage chunks = %d", finishes, usages)
			}
			if text.String() == "" || !strings.HasPrefix(aitest.ScriptedReply("hi"), text.String()) {
				t.Errorf("text = %q", text.String())
			}
		})
	}
	reqs := fake.Requests()
	if reqs[0].Temperature == nil || *reqs[0].Temperature != 0.5 || reqs[1].MaxTokens != 50 || reqs[1].System[0].Text != "Be brief." {
		t.Errorf("requests = %+v", reqs)
	}
}

func TestOpenAIFaults(t *testing.T) {
	full := aitest.ScriptedReply(prompt)
	tests := []struct {
		name         string
		fault        aitest.Fault
		idle         time.Duration
		wantStatuses []int
		wantErr      func(error) bool
		wantDeltas   int // -1: the whole reply
		minElapsed   time.Duration
	}{
		{"429 honours retry-after", aitest.Fault{Kind: aitest.FaultRateLimit, RetryAfter: 250 * time.Millisecond}, 0,
			[]int{429, 200}, nil, -1, 245 * time.Millisecond},
		{"500 retried", aitest.Fault{Kind: aitest.FaultServerError}, 0, []int{500, 200}, nil, -1, 0},
		{"503 overloaded retried", aitest.Fault{Kind: aitest.FaultOverloaded}, 0, []int{503, 200}, nil, -1, 0},
		{"400 not retried", aitest.Fault{Kind: aitest.FaultStatus, Status: 400, Message: "bad model"}, 0, []int{400},
			func(err error) bool {
				var e *ai.APIError
				return errors.As(err, &e) && e.Status == 400 && e.Type == "invalid_request_error" && e.Message == "bad model"
			}, 0, 0},
		{"error chunk after 200", aitest.Fault{Kind: aitest.FaultErrorEvent, AfterDeltas: 2}, 0, []int{200},
			func(err error) bool {
				var e *ai.APIError
				return errors.Is(err, ai.ErrIncomplete) && errors.As(err, &e) && e.Type == "server_error"
			}, 2, 0},
		{"connection cut", aitest.Fault{Kind: aitest.FaultCut, AfterDeltas: 3}, 0, []int{200},
			func(err error) bool { return errors.Is(err, ai.ErrIncomplete) }, 3, 0},
		{"clean end without [DONE]", aitest.Fault{Kind: aitest.FaultEndEarly}, 0, []int{200},
			func(err error) bool { return errors.Is(err, ai.ErrIncomplete) }, 1, 0},
		{"short stall", aitest.Fault{Kind: aitest.FaultStall, Stall: 200 * time.Millisecond}, time.Second, []int{200}, nil, -1, 200 * time.Millisecond},
		{"stall past the idle timeout", aitest.Fault{Kind: aitest.FaultStall, AfterDeltas: 2}, 200 * time.Millisecond, []int{200},
			func(err error) bool { return errors.Is(err, ai.ErrIncomplete) }, 2, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake, p := newOpenAI(t, aitest.OpenAIOptions{Script: aitest.Sequence(tt.fault), ChunkSplit: true}, tt.idle)
			var deltas []string
			start := time.Now()
			res, err := p.Stream(context.Background(), openaiScene, collect(&deltas))
			elapsed := time.Since(start)
			if got := statuses(fake.Requests()); !slices.Equal(got, tt.wantStatuses) {
				t.Errorf("statuses = %v, want %v", got, tt.wantStatuses)
			}
			if elapsed < tt.minElapsed || elapsed > tt.minElapsed+1500*time.Millisecond {
				t.Errorf("took %v, want %v plus a little", elapsed, tt.minElapsed)
			}
			if tt.wantErr == nil {
				if err != nil || res.Text != full || res.Partial {
					t.Fatalf("Stream = %+v, %v; want the whole reply", res, err)
				}
				return
			}
			if !tt.wantErr(err) {
				t.Fatalf("err = %v, not the error wanted", err)
			}
			if tt.wantDeltas == 0 {
				return
			}
			if len(deltas) != tt.wantDeltas || res == nil || !res.Partial || res.Text != strings.Join(deltas, "") || !strings.HasPrefix(full, res.Text) {
				t.Errorf("deltas = %q, result = %+v; want %d deltas kept as a partial result", deltas, res, tt.wantDeltas)
			}
		})
	}
}

func TestOpenAIRateLimitHeaders(t *testing.T) {
	fake := aitest.NewOpenAI(aitest.OpenAIOptions{Script: aitest.Sequence(aitest.Fault{Kind: aitest.FaultRateLimit})})
	defer fake.Close()
	res := postRaw(t, fake.BaseURL+"/chat/completions", `{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}`)
	defer res.Body.Close()
	var body struct {
		Error struct {
			Type string `json:"type"`
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 429 || res.Header.Get("Retry-After") != "1" || res.Header.Get("x-ratelimit-remaining-requests") != "0" ||
		body.Error.Code != "rate_limit_exceeded" {
		t.Errorf("answer %d %+v, headers %v", res.StatusCode, body, res.Header)
	}
}

func TestOpenAIValidation(t *testing.T) {
	fake := aitest.NewOpenAI(aitest.OpenAIOptions{})
	defer fake.Close()
	for name, body := range map[string]string{
		"no messages":   `{"model":"m","stream":true,"messages":[]}`,
		"no model":      `{"stream":true,"messages":[{"role":"user","content":"hi"}]}`,
		"not streaming": `{"model":"m","messages":[{"role":"user","content":"hi"}]}`,
		"bad role":      `{"model":"m","stream":true,"messages":[{"role":"narrator","content":"hi"}]}`,
		"zero max":      `{"model":"m","stream":true,"max_tokens":0,"messages":[{"role":"user","content":"hi"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			res := postRaw(t, fake.URL+"/v1/chat/completions", body)
			defer res.Body.Close()
			if res.StatusCode != 400 {
				t.Errorf("status = %d, want 400", res.StatusCode)
			}
		})
	}
}
